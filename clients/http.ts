import type { ExternalSystem } from '../contracts/failures';
import { abortReason } from '../lib/call-scope';
import { externalFailure, kindForStatus, parseRetryAfter, type ExternalFailureDetails } from './errors';

export interface HttpRequest {
  method: string;
  /** Absolute URL. */
  url: string;
  /** Path shown in errors and logs (relative, without credentials). */
  displayPath: string;
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
  /**
   * The caller's cancellation (an activity's, see lib/call-scope.ts), on top of `timeoutMs`. When it aborts, the
   * exchange ends at once with the signal's reason, not with a failure of `system`: nobody waits for the answer.
   */
  signal?: AbortSignal;
  /** Marks failures of a token request, so callers can tell "could not log in" from "the call failed". */
  phase?: ExternalFailureDetails['phase'];
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, the text otherwise, undefined when empty. */
  body: unknown;
}

/**
 * One HTTP exchange with a timeout. Network errors and time-outs (the body included) become retryable failures of
 * `system`; any HTTP status is returned, not thrown, so callers decide. An abort of `req.signal` rethrows its reason.
 */
export async function sendHttp(system: ExternalSystem, req: HttpRequest): Promise<HttpResponse> {
  const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
  let payload: string | undefined;
  if (req.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(req.body);
  }
  const caller = req.signal;
  // Before anything goes out: an attempt already cancelled must not reach the system at all.
  if (caller?.aborted) throw abortReason(caller);
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
  try {
    const res = await fetch(req.url, { method: req.method, headers, body: payload, signal });
    return { status: res.status, headers: res.headers, body: await readBody(res) };
  } catch (err) {
    if (caller?.aborted) throw abortReason(caller);
    const timedOut = timeout.aborted || (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'));
    const kind = timedOut ? 'Timeout' : 'Unavailable';
    const message = timedOut ? `no answer within ${req.timeoutMs} ms` : `unreachable (${describeNetworkError(err)})`;
    throw externalFailure({ system, kind, method: req.method, path: req.displayPath, phase: req.phase }, message, {
      cause: err instanceof Error ? err : undefined,
    });
  }
}

/** Throws the classified failure for a non-2xx answer. */
export function failForStatus(system: ExternalSystem, req: Pick<HttpRequest, 'method' | 'displayPath' | 'phase'>, res: HttpResponse): never {
  const kind = kindForStatus(res.status);
  throw externalFailure(
    { system, kind, status: res.status, method: req.method, path: req.displayPath, phase: req.phase },
    `HTTP ${res.status} ${summarize(res.body)}`.trim(),
    { retryAfterMs: parseRetryAfter(res.headers.get('retry-after')) },
  );
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return undefined;
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

// Error answers go into workflow histories; keep them short.
function summarize(body: unknown): string {
  if (body === undefined) return '';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string } }).cause;
  if (cause?.code) return cause.code;
  return err instanceof Error ? err.message : String(err);
}
