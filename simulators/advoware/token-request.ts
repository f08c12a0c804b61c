import { createHmac, timingSafeEqual } from 'node:crypto';

export interface AdvowareCredentials {
  productId: string;
  appId: string;
  /** The API key as configured: base64; the HMAC key is its decoded bytes. */
  apiKeyBase64: string;
  kanzlei: string;
  database: string;
  user: string;
  /** May be empty: the hub sends `ADVOWARE_ROLE=""` when the firm uses no role. */
  role: string;
  password: string;
}

/** Body of `POST /api/v1/Token` (SPEC §3.1). */
export interface TokenRequest {
  AppID: string;
  Kanzlei: string;
  Database: string;
  User: string;
  Role: string;
  Product: string;
  Password: string;
  Nonce: string;
  HMAC512Signature: string;
  RequestTimeStamp: string;
}

const REQUIRED_FIELDS = ['AppID', 'Kanzlei', 'Database', 'User', 'Product', 'Password', 'Nonce', 'HMAC512Signature', 'RequestTimeStamp'] as const;

/** A rejected token request: the status and the `{Message}` the security service answers. */
export interface TokenRejection {
  status: number;
  message: string;
}

/** The signature a client must send: base64(HMAC-SHA512(base64-decoded key, "product:app:nonce:timestamp")). */
export function advowareSignature(apiKeyBase64: string, productId: string, appId: string, nonce: string, timestamp: string): string {
  return createHmac('sha512', Buffer.from(apiKeyBase64, 'base64')).update(`${productId}:${appId}:${nonce}:${timestamp}`).digest('base64');
}

/** The body as a `TokenRequest`, or the 400 for a missing field. `Role` may be empty, the others may not. */
export function parseTokenRequest(raw: unknown): TokenRequest | TokenRejection {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { status: 400, message: 'Request-Body fehlt.' };
  const body = raw as Record<string, unknown>;
  const missing: string[] = REQUIRED_FIELDS.filter((f) => typeof body[f] !== 'string' || body[f] === '');
  if (typeof body.Role !== 'string') missing.push('Role');
  if (missing.length > 0) return { status: 400, message: `Fehlende Felder: ${missing.join(', ')}` };
  return body as unknown as TokenRequest;
}

/**
 * Checks credentials, signature and timestamp (not the nonce: that needs state).
 * Every rejection is a 401 whose message never echoes what was sent.
 */
export function verifyTokenRequest(
  req: TokenRequest,
  credentials: AdvowareCredentials,
  now: number,
  toleranceMs: number,
): TokenRejection | undefined {
  const c = credentials;
  const pairs: [string, string][] = [
    [req.AppID, c.appId],
    [req.Kanzlei, c.kanzlei],
    [req.Database, c.database],
    [req.User, c.user],
    [req.Role, c.role],
    [req.Product, c.productId],
    [req.Password, c.password],
  ];
  // One message for every credential mismatch, like a real auth service: no hint which field was wrong.
  if (!pairs.every(([got, want]) => safeEqual(got, want))) return { status: 401, message: 'Anmeldung fehlgeschlagen.' };

  const expected = advowareSignature(c.apiKeyBase64, req.Product, req.AppID, req.Nonce, req.RequestTimeStamp);
  if (!safeEqual(req.HMAC512Signature, expected)) return { status: 401, message: 'Ungültige Signatur.' };

  const sentAt = Date.parse(req.RequestTimeStamp);
  if (Number.isNaN(sentAt)) return { status: 401, message: 'RequestTimeStamp ist ungültig.' };
  if (Math.abs(now - sentAt) > toleranceMs) return { status: 401, message: 'RequestTimeStamp ist abgelaufen.' };
  return undefined;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
