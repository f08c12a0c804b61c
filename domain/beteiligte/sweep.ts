import type { WhereClause } from '../../contracts/espocrm';
import { espoDateTimeAfter, toEspoDateTime } from '../espocrm-datetime';
import { DEFAULT_STALE_MS, isDue, isStale } from './timing';
import type { EspoBeteiligte } from '../../contracts/espocrm';

/**
 * The fallback schedule (SPEC §5.1): which Beteiligte need a sync although no webhook said so.
 * `sweepWhere` asks EspoCRM; `sweepAction` re-checks each listed Beteiligte, because the list may
 * be minutes old by the time a page is worked through.
 */

/** Statuses that always want a run. `syncing` is the original system's lock marker: one left behind by a crash must not stick. */
const WANTS_RUN = ['pending_sync', 'dirty', 'syncing'] as const;

/** The attributes `sweepAction` reads: select these when listing. */
export const SWEEP_ATTRIBUTES = ['id', 'syncStatus', 'betnr', 'syncNextRetry', 'advowareLastSync', 'syncAutoResetAt'] as const;

export type SweepEntity = Pick<EspoBeteiligte, (typeof SWEEP_ATTRIBUTES)[number]>;

export type SweepAction = 'sync' | 'reset_then_sync' | 'skip';

/**
 * One top-level `or`: pending or dirty (or without any status: created before EspoCRM's hook);
 * failed with the retry due; clean, linked and not synced for `staleMs`; permanently failed
 * with the auto reset due. A missing retry or reset time counts as due, like in `sweepAction`.
 */
export function sweepWhere(now: Date, staleMs: number = DEFAULT_STALE_MS): WhereClause[] {
  const nowText = toEspoDateTime(now);
  return [
    {
      type: 'or',
      value: [
        { type: 'in', attribute: 'syncStatus', value: WANTS_RUN },
        { type: 'isNull', attribute: 'syncStatus' },
        {
          type: 'and',
          value: [{ type: 'equals', attribute: 'syncStatus', value: 'failed' }, dueOrNull('syncNextRetry', nowText)],
        },
        {
          type: 'and',
          value: [
            { type: 'equals', attribute: 'syncStatus', value: 'clean' },
            { type: 'isNotNull', attribute: 'betnr' },
            dueOrNull('advowareLastSync', espoDateTimeAfter(now, -staleMs)),
          ],
        },
        {
          type: 'and',
          value: [{ type: 'equals', attribute: 'syncStatus', value: 'permanently_failed' }, dueOrNull('syncAutoResetAt', nowText)],
        },
      ],
    },
  ];
}

function dueOrNull(attribute: string, before: string): WhereClause {
  return {
    type: 'or',
    value: [
      { type: 'isNull', attribute },
      { type: 'before', attribute, value: before },
    ],
  };
}

/** What the sweep does with one listed Beteiligte, judged on its current values. */
export function sweepAction(entity: Partial<SweepEntity>, now: Date, staleMs: number = DEFAULT_STALE_MS): SweepAction {
  const status = entity.syncStatus ?? null;
  if (status === null || (WANTS_RUN as readonly string[]).includes(status)) return 'sync';
  switch (status) {
    case 'failed':
      return isDue(entity.syncNextRetry, now) ? 'sync' : 'skip';
    case 'clean':
      return entity.betnr && isStale(entity.advowareLastSync, now, staleMs) ? 'sync' : 'skip';
    case 'permanently_failed':
      return isDue(entity.syncAutoResetAt, now) ? 'reset_then_sync' : 'skip';
    default:
      // conflict is only shown while a run resolves it; deleted_in_advoware waits for a person.
      return 'skip';
  }
}
