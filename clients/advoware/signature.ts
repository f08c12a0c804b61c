import { createHmac } from 'node:crypto';

export interface TokenSignatureInput {
  productId: string;
  appId: string;
  nonce: string;
  timestamp: string;
  /** The API key as Advoware issues it: base64. It is decoded before use as the HMAC key. */
  apiKeyBase64: string;
}

/** HMAC-SHA512 over `product:app:nonce:timestamp` with the decoded API key, base64-encoded (SPEC §3.1). */
export function signTokenRequest(input: TokenSignatureInput): string {
  const message = `${input.productId}:${input.appId}:${input.nonce}:${input.timestamp}`;
  return createHmac('sha512', Buffer.from(input.apiKeyBase64, 'base64')).update(message, 'utf8').digest('base64');
}
