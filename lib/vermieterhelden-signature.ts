import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The Vermieterhelden webhook's authentication (SPEC §7): lowercase hex HMAC-SHA256 of the raw body in
 * `X-Webhook-Signature`, or the shared secret itself in `X-Webhook-Secret` (the WordPress plugin's simple mode).
 * Here because the gateway (verifying) and the sender simulation (signing) need the one definition.
 */
export const VERMIETERHELDEN_SIGNATURE_HEADER = 'X-Webhook-Signature';
export const VERMIETERHELDEN_SECRET_HEADER = 'X-Webhook-Secret';

export function signVermieterheldenBody(secret: string, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** Constant-time, so a forger cannot learn the signature byte by byte from response times. */
export function verifyVermieterheldenSignature(secret: string, rawBody: string | Buffer, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signVermieterheldenBody(secret, rawBody), 'hex');
  const given = Buffer.from(
    signature
      .trim()
      .replace(/^sha256=/i, '')
      .toLowerCase(),
    'hex',
  );
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The secret sent as it is; compared in constant time over its hash, so its length leaks nothing either. */
export function verifyVermieterheldenSecret(secret: string, given: string | undefined): boolean {
  if (!given) return false;
  const digest = (value: string) => createHmac('sha256', 'vermieterhelden-secret-compare').update(value).digest();
  return timingSafeEqual(digest(given), digest(secret));
}
