import { THREECX_SIGNATURE_HEADER, type ThreeCxWebhookEvent } from '../../contracts/threecx';
import { signThreeCxBody } from '../../lib/threecx-signature';
import { postJson } from '../core/post-json.js';

/** What the hub answered to one webhook; `body` is parsed JSON when it is JSON (the screen pop for call.started). */
export interface WebhookDelivery {
  event: ThreeCxWebhookEvent['event'];
  status: number;
  body: unknown;
  /** Set instead of status/body when the hub could not be reached or did not answer in time. */
  error?: string;
  durationMs: number;
}

/**
 * POSTs one signed event. Plain node:http without keep-alive (as the EspoCRM simulator does), so a finished
 * delivery leaves no socket behind that would keep a test process or the hub's gateway open.
 */
export async function deliverEvent(url: string, secret: string, event: ThreeCxWebhookEvent, timeoutMs: number): Promise<WebhookDelivery> {
  const raw = JSON.stringify(event);
  const started = performance.now();
  try {
    const { status, text, contentType } = await postJson(url, raw, { [THREECX_SIGNATURE_HEADER]: signThreeCxBody(secret, raw) }, { timeoutMs });
    return { event: event.event, status, body: parseBody(text, contentType), durationMs: performance.now() - started };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return { event: event.event, status: 0, body: undefined, error, durationMs: performance.now() - started };
  }
}

function parseBody(text: string, contentType: string): unknown {
  if (text === '') return undefined;
  if (!contentType.includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
