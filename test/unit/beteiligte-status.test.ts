import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_RETRY_POLICY,
  MAX_ERROR_MESSAGE_LENGTH,
  autoResetPatch,
  backoffFor,
  deletedInAdvowarePatch,
  failurePatch,
  syncedPatch,
  truncateMessage,
  type FailureUpdate,
  type RetryPolicy,
} from '../../domain/beteiligte/status';

const now = new Date('2025-03-10T12:00:00.750Z');
const MIN = 60_000;

/** Fails `times` attempts in a row, as the workflow would, feeding each count into the next. */
function failInARow(times: number, policy: RetryPolicy): FailureUpdate[] {
  const updates: FailureUpdate[] = [];
  let count = 0;
  for (let i = 0; i < times; i++) {
    const update = failurePatch({ now, previousRetryCount: count, message: `attempt ${i + 1} failed`, policy });
    updates.push(update);
    count = update.fields.syncRetryCount;
  }
  return updates;
}

function noNulls(patch: object): void {
  for (const [key, value] of Object.entries(patch)) assert.notEqual(value, null, `${key} is null`);
}

describe('backoffFor', () => {
  it('is 1 min, 5 min, 15 min, 1 h, 4 h by default, then stays at 4 h', () => {
    const pauses = [0, 1, 2, 3, 4, 5, 9].map((i) => backoffFor(i, DEFAULT_RETRY_POLICY));
    assert.deepEqual(pauses, [MIN, 5 * MIN, 15 * MIN, 60 * MIN, 240 * MIN, 240 * MIN, 240 * MIN]);
  });

  it('clamps nonsense indices and survives an empty list', () => {
    assert.equal(backoffFor(-3, DEFAULT_RETRY_POLICY), MIN);
    assert.equal(backoffFor(Number.NaN, DEFAULT_RETRY_POLICY), MIN);
    assert.equal(backoffFor(0, { backoffMs: [] }), MIN);
  });
});

describe('syncedPatch', () => {
  it('ends clean with the new sync point and cleared bookkeeping, without nulls', () => {
    const patch = syncedPatch({ now, rowId: 'row-2', stammdatenHash: '0123456789abcdef' });
    assert.deepEqual(patch, {
      syncStatus: 'clean',
      advowareRowId: 'row-2',
      stammdatenHash: '0123456789abcdef',
      advowareLastSync: '2025-03-10 12:00:00',
      syncRetryCount: 0,
      syncErrorMessage: '',
    });
    noNulls(patch);
  });

  it('carries the betnr after a create', () => {
    assert.equal(syncedPatch({ now, rowId: 'r', stammdatenHash: 'h', betnr: 100_042 }).betnr, 100_042);
    assert.ok(!('betnr' in syncedPatch({ now, rowId: 'r', stammdatenHash: 'h' })));
  });
});

describe('failurePatch', () => {
  it('default policy: failed after 1 min, 5 min, 15 min, 1 h; the 5th failure in a row is permanently_failed', () => {
    const updates = failInARow(5, DEFAULT_RETRY_POLICY);
    assert.deepEqual(
      updates.map((u) => [u.fields.syncStatus, u.fields.syncRetryCount, u.fields.syncNextRetry ?? null, u.retryInMs ?? null, u.notify]),
      [
        ['failed', 1, '2025-03-10 12:01:00', MIN, false],
        ['failed', 2, '2025-03-10 12:05:00', 5 * MIN, false],
        ['failed', 3, '2025-03-10 12:15:00', 15 * MIN, false],
        ['failed', 4, '2025-03-10 13:00:00', 60 * MIN, false],
        ['permanently_failed', 5, null, null, true],
      ],
    );
    const last = updates[4]?.fields;
    assert.equal(last?.syncAutoResetAt, '2025-03-11 12:00:00', 'auto reset 24 h later');
    assert.equal(last?.syncErrorMessage, 'attempt 5 failed');
  });

  it('with six attempts the whole backoff list is used: 1 min, 5 min, 15 min, 1 h, 4 h, then permanently_failed', () => {
    const updates = failInARow(6, { ...DEFAULT_RETRY_POLICY, maxAttempts: 6 });
    assert.deepEqual(
      updates.map((u) => u.retryInMs ?? u.fields.syncStatus),
      [MIN, 5 * MIN, 15 * MIN, 60 * MIN, 240 * MIN, 'permanently_failed'],
    );
  });

  it('works on seconds, as the tests configure it', () => {
    const policy: RetryPolicy = { backoffMs: [1_000, 2_000], maxAttempts: 3, autoResetMs: 2_000 };
    const [first, second, third] = failInARow(3, policy);
    assert.equal(first?.fields.syncNextRetry, '2025-03-10 12:00:01');
    assert.equal(second?.fields.syncNextRetry, '2025-03-10 12:00:02');
    assert.equal(third?.fields.syncStatus, 'permanently_failed');
    assert.equal(third?.fields.syncAutoResetAt, '2025-03-10 12:00:02');
  });

  it('a permanent error skips the remaining retries', () => {
    const update = failurePatch({ now, previousRetryCount: 0, message: 'HTTP 400', policy: DEFAULT_RETRY_POLICY, permanent: true });
    assert.equal(update.fields.syncStatus, 'permanently_failed');
    assert.equal(update.fields.syncRetryCount, 1);
    assert.equal(update.notify, true);
    assert.ok(update.fields.syncAutoResetAt);
  });

  it('treats a broken previous count as zero', () => {
    for (const previous of [-1, Number.NaN]) {
      const update = failurePatch({ now, previousRetryCount: previous, message: 'x', policy: DEFAULT_RETRY_POLICY });
      assert.equal(update.fields.syncRetryCount, 1);
    }
  });

  it('cuts the message to EspoCRM’s 2000 characters', () => {
    const update = failurePatch({ now, previousRetryCount: 0, message: 'x'.repeat(5_000), policy: DEFAULT_RETRY_POLICY });
    const message = update.fields.syncErrorMessage ?? '';
    assert.equal(message.length, MAX_ERROR_MESSAGE_LENGTH);
    assert.ok(message.endsWith('…'));
    noNulls(update.fields);
  });
});

describe('truncateMessage', () => {
  it('leaves short messages alone', () => {
    assert.equal(truncateMessage('kurz'), 'kurz');
    const exact = 'y'.repeat(MAX_ERROR_MESSAGE_LENGTH);
    assert.equal(truncateMessage(exact), exact);
  });

  it('never splits a surrogate pair', () => {
    const message = `${'a'.repeat(8)}😀😀`;
    const cut = truncateMessage(message, 10);
    assert.ok(cut.length <= 10);
    assert.equal(cut, `${'a'.repeat(8)}…`);
    assert.doesNotThrow(() => encodeURIComponent(cut));
  });
});

describe('other transitions', () => {
  it('the auto reset goes back to failed with a fresh retry budget', () => {
    assert.deepEqual(autoResetPatch(), { syncStatus: 'failed', syncRetryCount: 0 });
    assert.deepEqual(autoResetPatch(now), { syncStatus: 'failed', syncRetryCount: 0, syncNextRetry: '2025-03-10 12:00:00' });
  });

  it('deleted in Advoware records when', () => {
    assert.deepEqual(deletedInAdvowarePatch(now), { syncStatus: 'deleted_in_advoware', advowareDeletedAt: '2025-03-10 12:00:00' });
  });
});
