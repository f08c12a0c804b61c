import { ApplicationFailure } from '@temporalio/common';
import { failureType, type ExternalSystem, type FailureKind } from '../contracts/failures';

/** Kinds that a retry cannot fix: the request itself is wrong or the target is gone. */
const NON_RETRYABLE: ReadonlySet<FailureKind> = new Set(['BadRequest', 'AuthenticationFailed', 'Forbidden', 'NotFound', 'Conflict', 'ClientError']);

export interface ExternalFailureDetails {
  system: ExternalSystem;
  kind: FailureKind;
  status?: number;
  method: string;
  /** Path relative to the system's base URL; never carries credentials. */
  path: string;
  /** Set when the call failed while getting an access token, not in the call itself. */
  phase?: 'token';
}

export function kindForStatus(status: number): FailureKind {
  if (status === 400 || status === 422) return 'BadRequest';
  if (status === 401) return 'Unauthorized';
  if (status === 403) return 'Forbidden';
  if (status === 404 || status === 410) return 'NotFound';
  if (status === 409) return 'Conflict';
  if (status === 429) return 'RateLimited';
  if (status === 408) return 'Timeout';
  if (status >= 500) return 'ServerError';
  return 'ClientError';
}

export function isRetryable(kind: FailureKind): boolean {
  return !NON_RETRYABLE.has(kind);
}

/**
 * The one error every client throws. It is a Temporal `ApplicationFailure`, so an
 * activity can let it propagate: its type names system and kind, `nonRetryable`
 * follows the classification, and `Retry-After` becomes the next retry delay.
 */
export function externalFailure(
  details: ExternalFailureDetails,
  message: string,
  options: { retryAfterMs?: number; cause?: Error } = {},
): ApplicationFailure {
  return ApplicationFailure.create({
    type: failureType(details.system, details.kind),
    message: `${details.system} ${details.method} ${details.path}: ${message}`,
    nonRetryable: !isRetryable(details.kind),
    details: [details],
    nextRetryDelay: options.retryAfterMs,
    cause: options.cause,
  });
}

/** The classification a failure thrown by `externalFailure` carries, if it is one. */
export function failureDetails(err: unknown): ExternalFailureDetails | undefined {
  if (!(err instanceof ApplicationFailure)) return undefined;
  const first = err.details?.[0] as Partial<ExternalFailureDetails> | undefined;
  if (!first || typeof first.system !== 'string' || typeof first.kind !== 'string') return undefined;
  return first as ExternalFailureDetails;
}

/** Parses a `Retry-After` header (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
