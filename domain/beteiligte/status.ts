import { toEspoDateTime } from '../espocrm-datetime';
import type { EspoBeteiligte, SyncStatus } from './types';

/** Retry timing of the status machine (SPEC §5.6). */
export interface RetryPolicy {
  /** Pause after the 1st, 2nd, … failed attempt; the last value repeats. */
  backoffMs: readonly number[];
  /** Failed attempts in a row before `permanently_failed`. */
  maxAttempts: number;
  autoResetMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  backoffMs: [60_000, 300_000, 900_000, 3_600_000, 14_400_000],
  maxAttempts: 5,
  autoResetMs: 86_400_000,
};

/** EspoCRM limits syncErrorMessage to 2000 characters. */
export const MAX_ERROR_MESSAGE_LENGTH = 2000;

/** The pause after failure number `failureIndex` (0-based). */
export function backoffFor(failureIndex: number, policy: Pick<RetryPolicy, 'backoffMs'>): number {
  const { backoffMs } = policy;
  return backoffMs[Math.min(Math.max(failureIndex, 0), backoffMs.length - 1)] ?? 60_000;
}

/** Fields written with every successful sync; the retry bookkeeping is cleared (with '' and 0: EspoCRM rejects nulls). */
export function syncedPatch(input: { now: Date; rowId: string; stammdatenHash: string }): Partial<EspoBeteiligte> {
  return {
    syncStatus: 'clean',
    advowareRowId: input.rowId,
    stammdatenHash: input.stammdatenHash,
    advowareLastSync: toEspoDateTime(input.now),
    syncRetryCount: 0,
    syncErrorMessage: '',
  };
}

export interface FailureUpdate {
  fields: Partial<EspoBeteiligte> & { syncStatus: SyncStatus; syncRetryCount: number };
  /** True when the party just became `permanently_failed`: its user is notified. */
  notify: boolean;
}

/** After a failed attempt: `failed` with the next retry time, or `permanently_failed` after the last attempt. */
export function failurePatch(input: { now: Date; previousRetryCount: number; message: string; policy: RetryPolicy }): FailureUpdate {
  const count = input.previousRetryCount + 1;
  const syncErrorMessage = input.message.slice(0, MAX_ERROR_MESSAGE_LENGTH);
  if (count >= input.policy.maxAttempts) {
    return {
      fields: {
        syncStatus: 'permanently_failed',
        syncRetryCount: count,
        syncErrorMessage,
        syncAutoResetAt: toEspoDateTime(new Date(input.now.getTime() + input.policy.autoResetMs)),
      },
      notify: true,
    };
  }
  return {
    fields: {
      syncStatus: 'failed',
      syncRetryCount: count,
      syncErrorMessage,
      syncNextRetry: toEspoDateTime(new Date(input.now.getTime() + backoffFor(count - 1, input.policy))),
    },
    notify: false,
  };
}

/** SPEC §5.2.4: the party is gone in Advoware; the hub never re-creates it on its own. */
export function deletedInAdvowarePatch(now: Date): Partial<EspoBeteiligte> {
  return { syncStatus: 'deleted_in_advoware', advowareDeletedAt: toEspoDateTime(now) };
}
