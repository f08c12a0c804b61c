import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

/** EspoCRM's `X-Signature`: base64 of `webhookId + ":"` followed by the raw HMAC-SHA256 digest of the body. */
export function signWebhookBody(webhookId: string, secretKey: string, rawBody: string): string {
  const digest = createHmac('sha256', secretKey).update(rawBody).digest();
  return Buffer.concat([Buffer.from(`${webhookId}:`), digest]).toString('base64');
}

/**
 * POSTs a JSON body and resolves with the response status. No keep-alive agent, so a
 * finished delivery leaves no socket behind that would keep a test process or server open.
 */
export function postJson(url: string, body: string, headers: Record<string, string>, signal: AbortSignal, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const req = client.request(
      target,
      {
        method: 'POST',
        agent: false,
        signal,
        timeout: timeoutMs,
        headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`webhook delivery timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
