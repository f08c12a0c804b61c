import { espoDateTimeAfter, toEspoDateTime } from '../espocrm-datetime';
import type { EspoBeteiligte, SyncStatus } from '../../contracts/espocrm';

/**
 * The status machine (SPEC §5.6) as the EspoCRM field patches each transition writes.
 * EspoCRM rejects nulls on several fields, so bookkeeping is cleared with `''` and `0`;
 * stale retry timestamps are left alone — the status alone decides what the sweep picks up.
 */

/** Retry timing; every duration is configurable (the tests run on seconds). */
export interface RetryPolicy {
  /** Pause after the 1st, 2nd, … failed attempt in a row; the last value repeats. */
  backoffMs: readonly number[];
  /** Failed attempts in a row that end in `permanently_failed`. */
  maxAttempts: number;
  /** How long `permanently_failed` lasts before the sweep resets it to `failed`. */
  autoResetMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  backoffMs: [60_000, 300_000, 900_000, 3_600_000, 14_400_000],
  maxAttempts: 5,
  autoResetMs: 86_400_000,
};

/** EspoCRM's limit for `syncErrorMessage`. */
export const MAX_ERROR_MESSAGE_LENGTH = 2000;

/** Used only when a policy has no backoff at all: a minute rather than a hot retry loop. */
const FALLBACK_BACKOFF_MS = 60_000;

/** The pause after failure number `retryIndex` (0-based: the first failure waits `backoffMs[0]`). */
export function backoffFor(retryIndex: number, policy: Pick<RetryPolicy, 'backoffMs'>): number {
  const { backoffMs } = policy;
  if (backoffMs.length === 0) return FALLBACK_BACKOFF_MS;
  const index = Number.isFinite(retryIndex) ? Math.min(Math.max(Math.trunc(retryIndex), 0), backoffMs.length - 1) : 0;
  return backoffMs[index] ?? FALLBACK_BACKOFF_MS;
}

/** At most `max` characters, marked with `…` when cut; never splits a surrogate pair. */
export function truncateMessage(message: string, max: number = MAX_ERROR_MESSAGE_LENGTH): string {
  if (message.length <= max) return message;
  let cut = message.slice(0, Math.max(max - 1, 0));
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

export interface SyncedPatchInput {
  now: Date;
  /** Advoware's rowId after this run (from the PUT/POST answer, or the GET when nothing was written). */
  rowId: string;
  stammdatenHash: string;
  /** Only after a create. */
  betnr?: number;
}

/** Every successful run ends here: `clean`, the new sync point, retry bookkeeping cleared. */
export function syncedPatch(input: SyncedPatchInput): Partial<EspoBeteiligte> {
  return {
    ...(input.betnr !== undefined ? { betnr: input.betnr } : {}),
    syncStatus: 'clean',
    advowareRowId: input.rowId,
    stammdatenHash: input.stammdatenHash,
    advowareLastSync: toEspoDateTime(input.now),
    syncRetryCount: 0,
    syncErrorMessage: '',
  };
}

export interface FailurePatchInput {
  now: Date;
  /** `syncRetryCount` before this failure. */
  previousRetryCount: number;
  /** Already free of secrets (the caller's job); cut to EspoCRM's limit here. */
  message: string;
  policy: RetryPolicy;
  /** An error waiting cannot fix (validation, 403, 404): skip the remaining retries. */
  permanent?: boolean;
}

export interface FailureUpdate {
  fields: Partial<EspoBeteiligte> & { syncStatus: Extract<SyncStatus, 'failed' | 'permanently_failed'>; syncRetryCount: number };
  /** True on the step into `permanently_failed`: the assigned user is notified. */
  notify: boolean;
  /** For `failed`: when the next attempt is due, in ms from `now`. */
  retryInMs?: number;
}

/**
 * After a failed attempt: `failed` with the next retry time from the backoff, or — once the
 * failures in a row reach `maxAttempts`, or for a permanent error — `permanently_failed`
 * until `syncAutoResetAt`.
 */
export function failurePatch(input: FailurePatchInput): FailureUpdate {
  const { now, policy } = input;
  const previous = Number.isFinite(input.previousRetryCount) ? Math.max(Math.trunc(input.previousRetryCount), 0) : 0;
  const count = previous + 1;
  const syncErrorMessage = truncateMessage(input.message);
  if (input.permanent || count >= policy.maxAttempts) {
    return {
      fields: {
        syncStatus: 'permanently_failed',
        syncRetryCount: count,
        syncErrorMessage,
        syncAutoResetAt: espoDateTimeAfter(now, policy.autoResetMs),
      },
      notify: true,
    };
  }
  const retryInMs = backoffFor(count - 1, policy);
  return {
    fields: { syncStatus: 'failed', syncRetryCount: count, syncErrorMessage, syncNextRetry: espoDateTimeAfter(now, retryInMs) },
    notify: false,
    retryInMs,
  };
}

/**
 * The sweep's automatic reset (SPEC §5.1): `permanently_failed` → `failed` with a fresh retry
 * budget. The last error message stays visible until a sync succeeds. With `now`, the retry is
 * due at once, so a lost signal is picked up by the next sweep.
 */
export function autoResetPatch(now?: Date): Partial<EspoBeteiligte> {
  return { syncStatus: 'failed', syncRetryCount: 0, ...(now ? { syncNextRetry: toEspoDateTime(now) } : {}) };
}

/** SPEC §5.2.4: the Beteiligte is gone in Advoware; the hub never re-creates it on its own. */
export function deletedInAdvowarePatch(now: Date): Partial<EspoBeteiligte> {
  return { syncStatus: 'deleted_in_advoware', advowareDeletedAt: toEspoDateTime(now) };
}
