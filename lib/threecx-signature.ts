import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The 3CX webhook signature (contracts/threecx.ts `THREECX_SIGNATURE_HEADER`): lowercase hex HMAC-SHA256 of the
 * raw body. Here, below the clients and the simulators, because both the simulator (signing) and the gateway
 * (verifying) need the same definition.
 */
export function signThreeCxBody(secret: string, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** Constant-time check, so a forger cannot learn the signature byte by byte from response times. */
export function verifyThreeCxSignature(secret: string, rawBody: string | Buffer, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signThreeCxBody(secret, rawBody), 'hex');
  const given = Buffer.from(signature.trim().toLowerCase(), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
