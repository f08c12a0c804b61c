import { randomBytes } from 'node:crypto';
import { unauthorized } from './errors.js';
import { parseTokenRequest, verifyTokenRequest, type AdvowareCredentials } from './token-request.js';

export type { AdvowareCredentials } from './token-request.js';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** Outcome of a token request: an HTTP status and its body. */
export interface TokenOutcome {
  status: number;
  body: TokenResponse | { Message: string };
}

export interface TokenServiceOptions {
  ttlSeconds: number;
  /** How far `RequestTimeStamp` may be from the simulator's clock, either way. */
  timestampToleranceSeconds: number;
}

/** Issues and verifies the opaque Bearer tokens of the Advoware security service. */
export class TokenService {
  private readonly tokens = new Map<string, number>();
  /** Nonce → when it may be forgotten: after that its timestamp is stale anyway, so a replay fails regardless. */
  private readonly usedNonces = new Map<string, number>();
  private issued = 0;

  constructor(
    private readonly credentials: AdvowareCredentials,
    private readonly options: TokenServiceOptions,
  ) {}

  get tokensIssued(): number {
    return this.issued;
  }

  resetCounter(): void {
    this.issued = 0;
  }

  request(raw: unknown): TokenOutcome {
    const fail = (status: number, message: string): TokenOutcome => ({ status, body: { Message: message } });
    const now = Date.now();
    const toleranceMs = this.options.timestampToleranceSeconds * 1000;
    const req = parseTokenRequest(raw);
    if ('status' in req) return fail(req.status, req.message);
    const rejection = verifyTokenRequest(req, this.credentials, now, toleranceMs);
    if (rejection) return fail(rejection.status, rejection.message);

    // Only a correctly signed request consumes its nonce, so a forged one cannot burn a legitimate nonce.
    this.forgetOldNonces(now);
    if (this.usedNonces.has(req.Nonce)) return fail(401, 'Nonce wurde bereits verwendet.');
    this.usedNonces.set(req.Nonce, now + 2 * toleranceMs);

    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, now + this.options.ttlSeconds * 1000);
    this.issued += 1;
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: this.options.ttlSeconds } };
  }

  isValid(token: string): boolean {
    const expiresAt = this.tokens.get(token);
    if (expiresAt === undefined) return false;
    if (expiresAt <= Date.now()) {
      this.tokens.delete(token);
      return false;
    }
    return true;
  }

  /** Invalidate every issued token, as if their lifetime had run out. */
  expireAll(): void {
    this.tokens.clear();
  }

  /** Throws 401 unless the `Authorization` header carries a valid Bearer token. */
  authorize(header: string | undefined): void {
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (token === undefined || !this.isValid(token)) {
      throw unauthorized('Authorization has been denied for this request.');
    }
  }

  private forgetOldNonces(now: number): void {
    for (const [nonce, forgetAt] of this.usedNonces) if (forgetAt <= now) this.usedNonces.delete(nonce);
  }
}
