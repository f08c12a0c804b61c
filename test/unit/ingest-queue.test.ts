import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { IngestDeadlineError, IngestQueue, type IngestTarget } from '../../clients/temporal/ingest-queue';
import type { IngestItem } from '../../contracts/ingest';

interface Call {
  kind: 'direct' | 'hand-over';
  items: IngestItem[];
  deadline: number;
  succeed(): void;
  fail(err: Error): void;
}

/** A Temporal stand-in whose calls stay open until the test settles them. */
function fakeTarget(): IngestTarget & { calls: Call[] } {
  const calls: Call[] = [];
  const open = (kind: Call['kind'], items: IngestItem[], deadline: number) =>
    new Promise<void>((resolve, reject) => calls.push({ kind, items, deadline, succeed: resolve, fail: reject }));
  return {
    calls,
    requestBeteiligteSync: (espoId, reason, deadline = 0) => open('direct', [{ espoId, reason }], deadline),
    handOverBeteiligte: async (items, deadline = 0) => {
      await open('hand-over', [...items], deadline);
      return 'beteiligte-ingest/x';
    },
  };
}

const items = (prefix: string, n: number): IngestItem[] => Array.from({ length: n }, (_, i) => ({ espoId: `${prefix}${i}`, reason: 'update' }));

/** Resolves to the promise's state now, without waiting for it. */
async function state(promise: Promise<void>): Promise<'pending' | 'resolved' | 'rejected'> {
  let result: 'pending' | 'resolved' | 'rejected' = 'pending';
  promise.then(
    () => (result = 'resolved'),
    () => (result = 'rejected'),
  );
  await tick();
  return result;
}

describe('IngestQueue: group commit of webhook items', () => {
  it('sends at once when nothing is in flight, and resolves only when that call succeeded', async () => {
    const target = fakeTarget();
    const queue = new IngestQueue(target, { deadlineMs: 10_000 });
    const submitted = queue.submit(items('a', 3));
    assert.equal(target.calls.length, 1, 'no waiting window');
    assert.equal(target.calls[0]?.kind, 'hand-over');
    assert.equal(await state(submitted), 'pending');
    target.calls[0]?.succeed();
    assert.equal(await state(submitted), 'resolved');
  });

  it('a lone item goes straight to its Beteiligte; items of requests that arrive meanwhile go out together next', async () => {
    const target = fakeTarget();
    const queue = new IngestQueue(target, { deadlineMs: 10_000 });
    const first = queue.submit(items('a', 1));
    const waiting = [queue.submit(items('b', 2)), queue.submit(items('c', 3)), queue.submit([{ espoId: 'b0', reason: 'update' }])];
    assert.equal(target.calls.length, 1);
    assert.equal(target.calls[0]?.kind, 'direct');
    target.calls[0]?.succeed();
    await first;
    await tick();
    assert.equal(target.calls.length, 2);
    assert.equal(target.calls[1]?.kind, 'hand-over');
    assert.deepEqual(
      target.calls[1]?.items.map((i) => i.espoId),
      ['b0', 'b1', 'c0', 'c1', 'c2'],
      'one call, each item once, sorted',
    );
    for (const w of waiting) assert.equal(await state(w), 'pending');
    target.calls[1]?.succeed();
    await Promise.all(waiting);
  });

  it('splits at the maximum group size, sends a full group without waiting, resolves a request when all its parts are in', async () => {
    const target = fakeTarget();
    const queue = new IngestQueue(target, { deadlineMs: 10_000, maxGroupSize: 10 });
    const big = queue.submit(items('a', 25));
    assert.deepEqual(
      target.calls.map((c) => c.items.length),
      [10, 10],
      'the first goes because nothing is in flight, the second because it is full; the rest waits',
    );
    target.calls[0]?.succeed();
    await tick();
    assert.deepEqual(
      target.calls.map((c) => c.items.length),
      [10, 10, 5],
    );
    target.calls[2]?.succeed();
    assert.equal(await state(big), 'pending', 'one part is still in flight');
    target.calls[1]?.succeed();
    assert.equal(await state(big), 'resolved');
  });

  it('a failed call rejects every request whose items it carried, and only those', async () => {
    const target = fakeTarget();
    const queue = new IngestQueue(target, { deadlineMs: 10_000 });
    const first = queue.submit(items('a', 2));
    const second = queue.submit(items('b', 2));
    const third = queue.submit(items('c', 2));
    target.calls[0]?.succeed();
    await tick();
    target.calls[1]?.fail(new Error('Temporal unavailable'));
    await first;
    await assert.rejects(second, /Temporal unavailable/);
    await assert.rejects(third, /Temporal unavailable/);
    assert.equal(queue.stats().inFlight, 0);
  });

  it('rejects at the deadline when Temporal does not answer, and drops the items still waiting', async () => {
    const target = fakeTarget();
    const queue = new IngestQueue(target, { deadlineMs: 50 });
    const started = Date.now();
    const first = queue.submit(items('a', 2));
    const queued = queue.submit(items('b', 2));
    assert.ok((target.calls[0]?.deadline ?? 0) >= started + 50, 'the call carries the request deadline');
    await assert.rejects(first, IngestDeadlineError);
    await assert.rejects(queued, IngestDeadlineError);
    assert.ok(Date.now() - started < 1_000);
    assert.equal(queue.stats().pendingItems, 0, 'nothing is sent for a request that already got its 503');
    target.calls[0]?.succeed();
    await tick();
    assert.equal(target.calls.length, 1);
  });

  it('an empty submit (only echoes) resolves without a call', async () => {
    const target = fakeTarget();
    await new IngestQueue(target, { deadlineMs: 50 }).submit([]);
    assert.equal(target.calls.length, 0);
  });
});
