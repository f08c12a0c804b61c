import http from 'node:http';
import https from 'node:https';

export interface PostAnswer {
  status: number;
  /** The response body as text ('' when empty). */
  text: string;
  contentType: string;
}

/**
 * POSTs a JSON body the way a system's webhook sender does and resolves with the answer. No keep-alive agent, so
 * a finished delivery leaves no socket behind that would keep a test process or server open.
 */
export function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const req = client.request(
      target,
      {
        method: 'POST',
        agent: false,
        ...(options.signal ? { signal: options.signal } : {}),
        timeout: options.timeoutMs,
        headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), contentType: res.headers['content-type'] ?? '' }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`webhook delivery timed out after ${options.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
