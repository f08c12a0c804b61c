import { createHmac } from 'node:crypto';

/** EspoCRM's `X-Signature`: base64 of `webhookId + ":"` followed by the raw HMAC-SHA256 digest of the body. */
export function signWebhookBody(webhookId: string, secretKey: string, rawBody: string): string {
  const digest = createHmac('sha256', secretKey).update(rawBody).digest();
  return Buffer.concat([Buffer.from(`${webhookId}:`), digest]).toString('base64');
}
