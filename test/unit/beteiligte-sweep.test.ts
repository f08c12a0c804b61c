import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WhereClause } from '../../contracts/espocrm';
import { SWEEP_ATTRIBUTES, sweepAction, sweepWhere, type SweepEntity } from '../../domain/beteiligte/sweep';
import { matchesAll } from '../../simulators/espocrm/where';

const now = new Date('2025-03-10T12:00:00Z');
const DAY = 86_400_000;

function orBranches(where: WhereClause[]): readonly WhereClause[] {
  assert.equal(where.length, 1, 'one top-level clause');
  const [top] = where;
  assert.ok(top && top.type === 'or');
  return top.value;
}

describe('sweepWhere', () => {
  it('is one top-level or over the SPEC §5.1 cases', () => {
    const branches = orBranches(sweepWhere(now, DAY));
    assert.deepEqual(branches, [
      { type: 'in', attribute: 'syncStatus', value: ['pending_sync', 'dirty', 'syncing'] },
      { type: 'isNull', attribute: 'syncStatus' },
      {
        type: 'and',
        value: [
          { type: 'equals', attribute: 'syncStatus', value: 'failed' },
          {
            type: 'or',
            value: [
              { type: 'isNull', attribute: 'syncNextRetry' },
              { type: 'before', attribute: 'syncNextRetry', value: '2025-03-10 12:00:00' },
            ],
          },
        ],
      },
      {
        type: 'and',
        value: [
          { type: 'equals', attribute: 'syncStatus', value: 'clean' },
          { type: 'isNotNull', attribute: 'betnr' },
          {
            type: 'or',
            value: [
              { type: 'isNull', attribute: 'advowareLastSync' },
              { type: 'before', attribute: 'advowareLastSync', value: '2025-03-09 12:00:00' },
            ],
          },
        ],
      },
      {
        type: 'and',
        value: [
          { type: 'equals', attribute: 'syncStatus', value: 'permanently_failed' },
          {
            type: 'or',
            value: [
              { type: 'isNull', attribute: 'syncAutoResetAt' },
              { type: 'before', attribute: 'syncAutoResetAt', value: '2025-03-10 12:00:00' },
            ],
          },
        ],
      },
    ]);
  });

  it('takes the staleness window from the caller (seconds in tests)', () => {
    assert.match(JSON.stringify(sweepWhere(now, 2_000)), /"2025-03-10 11:59:58"/);
  });
});

/** Beteiligte in every situation, with what the sweep must do with each. */
const cases: [string, Partial<SweepEntity>, 'sync' | 'reset_then_sync' | 'skip'][] = [
  ['pending_sync', { syncStatus: 'pending_sync' }, 'sync'],
  ['dirty', { syncStatus: 'dirty', betnr: 1 }, 'sync'],
  ['syncing left behind', { syncStatus: 'syncing', betnr: 1 }, 'sync'],
  ['no status at all', { syncStatus: null }, 'sync'],
  ['failed, retry due', { syncStatus: 'failed', syncNextRetry: '2025-03-10 11:59:00' }, 'sync'],
  ['failed, no retry time', { syncStatus: 'failed', syncNextRetry: null }, 'sync'],
  ['failed, retry later', { syncStatus: 'failed', syncNextRetry: '2025-03-10 12:05:00' }, 'skip'],
  ['clean, stale', { syncStatus: 'clean', betnr: 1, advowareLastSync: '2025-03-08 12:00:00' }, 'sync'],
  ['clean, never synced', { syncStatus: 'clean', betnr: 1, advowareLastSync: null }, 'sync'],
  ['clean, fresh', { syncStatus: 'clean', betnr: 1, advowareLastSync: '2025-03-10 08:00:00' }, 'skip'],
  ['clean, not linked', { syncStatus: 'clean', betnr: null, advowareLastSync: '2025-03-01 08:00:00' }, 'skip'],
  ['permanently_failed, reset due', { syncStatus: 'permanently_failed', syncAutoResetAt: '2025-03-10 11:00:00' }, 'reset_then_sync'],
  ['permanently_failed, no reset time', { syncStatus: 'permanently_failed', syncAutoResetAt: null }, 'reset_then_sync'],
  ['permanently_failed, reset later', { syncStatus: 'permanently_failed', syncAutoResetAt: '2025-03-11 11:00:00' }, 'skip'],
  ['deleted_in_advoware', { syncStatus: 'deleted_in_advoware', betnr: 1, advowareLastSync: '2024-01-01 00:00:00' }, 'skip'],
  ['conflict', { syncStatus: 'conflict', betnr: 1 }, 'skip'],
];

describe('sweepAction', () => {
  for (const [label, entity, expected] of cases) {
    it(`${label} → ${expected}`, () => {
      assert.equal(sweepAction(entity, now, DAY), expected);
    });
  }

  it('defaults to 24 hours', () => {
    assert.equal(sweepAction({ syncStatus: 'clean', betnr: 1, advowareLastSync: '2025-03-09 13:00:00' }, now), 'skip');
    assert.equal(sweepAction({ syncStatus: 'clean', betnr: 1, advowareLastSync: '2025-03-09 11:00:00' }, now), 'sync');
  });

  it('agrees with the where clause on every case (EspoCRM simulator semantics)', () => {
    const where = sweepWhere(now, DAY);
    for (const [label, entity, expected] of cases) {
      const record: Record<string, unknown> = { id: label, ...entity };
      assert.equal(matchesAll(record, where), expected !== 'skip', label);
    }
  });

  it('reads only the attributes it asks to select', () => {
    assert.deepEqual([...SWEEP_ATTRIBUTES].sort(), ['advowareLastSync', 'betnr', 'id', 'syncAutoResetAt', 'syncNextRetry', 'syncStatus']);
  });
});
