import type { ApplicationFailure } from '@temporalio/common';
import type { FailureKind } from '../../contracts/failures';
import { externalFailure, kindForStatus, parseRetryAfter } from '../errors';

export interface GoogleErrorClassification {
  /** HTTP status; absent when no response arrived (network error, timeout). */
  status?: number;
  /** Google's `error.errors[0].reason`, e.g. `rateLimitExceeded`, `fullSyncRequired`, `deleted`, `notFound`. */
  reason?: string;
  message: string;
  /** Whether trying the same call again later can succeed. */
  retryable: boolean;
  /** 429, or 403 with a rate-limit reason: back off (and count against the shared bucket). */
  rateLimited: boolean;
  /** 410 on a sync token: drop the token and run a full sync instead of retrying. */
  fullSyncRequired: boolean;
  retryAfterMs?: number;
}

/** Calendar's per-minute limits; `dailyLimitExceeded`/`quotaExceeded` do not clear within a sync and stay non-retryable. */
const RATE_LIMIT_REASONS: ReadonlySet<string> = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);

/** The parts of a GaxiosError (googleapis' error) this reads; duck-typed so that any copy of gaxios works. */
interface GaxiosLike {
  message?: unknown;
  status?: unknown;
  code?: unknown;
  config?: unknown;
  response?: { status?: unknown; data?: unknown; headers?: unknown };
}

interface GoogleEnvelope {
  error?: { message?: unknown; errors?: { reason?: unknown }[] };
}

export function classifyGoogleError(err: unknown): GoogleErrorClassification {
  const e: GaxiosLike = typeof err === 'object' && err !== null ? err : {};
  const status = numberOf(e.response?.status) ?? numberOf(e.status);
  const envelope = envelopeOf(e.response?.data);
  const reason = typeof envelope?.error?.errors?.[0]?.reason === 'string' ? envelope.error.errors[0].reason : undefined;
  const message = typeof envelope?.error?.message === 'string' ? envelope.error.message : typeof e.message === 'string' ? e.message : String(err);
  const rateLimited = status === 429 || (status === 403 && reason !== undefined && RATE_LIMIT_REASONS.has(reason));
  const result: GoogleErrorClassification = {
    message,
    retryable: isRetryable(status, rateLimited, e),
    rateLimited,
    fullSyncRequired: status === 410 && reason === 'fullSyncRequired',
  };
  if (status !== undefined) result.status = status;
  if (reason !== undefined) result.reason = reason;
  const retryAfterMs = parseRetryAfter(headerOf(e.response?.headers, 'retry-after'));
  if (retryAfterMs !== undefined) result.retryAfterMs = retryAfterMs;
  return result;
}

/**
 * The hub's failure for a Google error: an ApplicationFailure typed `Google<Kind>` whose
 * `nonRetryable` follows the classification, so an activity can simply rethrow it.
 */
export function googleFailure(err: unknown, call: { method: string; path: string }): ApplicationFailure {
  const c = classifyGoogleError(err);
  const kind = failureKind(c, err);
  const details = { system: 'Google' as const, kind, method: call.method, path: call.path, ...(c.status !== undefined ? { status: c.status } : {}) };
  return externalFailure(details, c.reason ? `${c.message} (${c.reason})` : c.message, {
    retryAfterMs: c.retryAfterMs,
    cause: err instanceof Error ? err : undefined,
  });
}

/** Chosen so that the kind's retryability (clients/errors.ts) agrees with `classifyGoogleError`. */
function failureKind(c: GoogleErrorClassification, err: unknown): FailureKind {
  if (c.rateLimited) return 'RateLimited';
  if (c.status !== undefined) return kindForStatus(c.status);
  if (!c.retryable) return 'BadRequest'; // never sent: googleapis rejected the call itself (e.g. a missing parameter)
  return isTimeout(err) ? 'Timeout' : 'Unavailable';
}

function isRetryable(status: number | undefined, rateLimited: boolean, e: GaxiosLike): boolean {
  if (rateLimited) return true;
  // No response: a network failure or timeout if the request was sent (gaxios errors carry their config), else a bug.
  if (status === undefined) return e.config !== undefined;
  return status === 401 || status === 408 || status >= 500;
}

/**
 * gaxios implements `timeout` with `AbortSignal.timeout`, so a timeout surfaces as an
 * AbortError; only the signal's reason tells it apart from a cancellation.
 */
function isTimeout(err: unknown): boolean {
  const e = err as (GaxiosLike & { config?: { signal?: { reason?: { name?: unknown } } } }) | undefined;
  const code = e?.code;
  return code === 'TimeoutError' || code === 'ETIMEDOUT' || e?.config?.signal?.reason?.name === 'TimeoutError';
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** gaxios parses JSON bodies, but an error body can arrive as text (e.g. a wrong content type). */
function envelopeOf(data: unknown): GoogleEnvelope | undefined {
  if (typeof data === 'string') {
    try {
      return envelopeOf(JSON.parse(data));
    } catch {
      return undefined;
    }
  }
  return typeof data === 'object' && data !== null ? data : undefined;
}

/**
 * gaxios hands out a fetch-style `Headers` (in Node node-fetch's own class, so not `instanceof` the global one)
 * or, in older versions, a plain object.
 */
function headerOf(headers: unknown, name: string): string | null {
  const getter = (headers as { get?: unknown } | null)?.get;
  if (typeof getter === 'function') {
    const value: unknown = getter.call(headers, name);
    return typeof value === 'string' ? value : null;
  }
  if (typeof headers === 'object' && headers !== null) {
    const value = (headers as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : null;
  }
  return null;
}
