import type { WhereClause } from '../../clients/espocrm/where';
import { toEspoDateTime } from '../espocrm-datetime';

/**
 * The fallback schedule's query (SPEC §5.1) as EspoCRM `where` clauses: pending or dirty;
 * failed and due; clean, linked and not synced for `staleMs`; permanently failed and due
 * for the automatic reset.
 */
export function sweepWhere(now: Date, staleMs: number): WhereClause[] {
  const nowText = toEspoDateTime(now);
  const staleBefore = toEspoDateTime(new Date(now.getTime() - staleMs));
  return [
    {
      type: 'or',
      value: [
        { type: 'in', attribute: 'syncStatus', value: ['pending_sync', 'dirty'] },
        {
          type: 'and',
          value: [
            { type: 'equals', attribute: 'syncStatus', value: 'failed' },
            { type: 'or', value: [{ type: 'isNull', attribute: 'syncNextRetry' }, { type: 'before', attribute: 'syncNextRetry', value: nowText }] },
          ],
        },
        {
          type: 'and',
          value: [
            { type: 'equals', attribute: 'syncStatus', value: 'clean' },
            { type: 'isNotNull', attribute: 'betnr' },
            { type: 'or', value: [{ type: 'isNull', attribute: 'advowareLastSync' }, { type: 'before', attribute: 'advowareLastSync', value: staleBefore }] },
          ],
        },
        {
          type: 'and',
          value: [
            { type: 'equals', attribute: 'syncStatus', value: 'permanently_failed' },
            { type: 'before', attribute: 'syncAutoResetAt', value: nowText },
          ],
        },
      ],
    },
  ];
}
