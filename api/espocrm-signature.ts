import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * EspoCRM's webhook signature (SPEC §4): `X-Signature` is base64 of the webhook ID, a colon,
 * and the raw HMAC-SHA256 of the raw body with the webhook's secret key.
 */
export function verifyEspoSignature(rawBody: Buffer, header: string | undefined, webhookId: string, secret: string): boolean {
  if (!header) return false;
  const expected = Buffer.concat([Buffer.from(`${webhookId}:`), createHmac('sha256', secret).update(rawBody).digest()]);
  const given = Buffer.from(header, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
