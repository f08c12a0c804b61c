import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, beforeEach, describe, it } from 'node:test';
import { CallerIndexStore } from '../../clients/redis/caller-index';
import { beteiligteEntries, type CallerBeteiligte } from '../../domain/caller-index/entries';
import { testRedis } from '../support/services';

function beteiligte(id: string, numbers: string[]): CallerBeteiligte {
  return { id, name: `Name ${id}`, betnr: 7, assignedUserId: null, phoneNumberData: numbers.map((phoneNumber) => ({ phoneNumber })) };
}

const ids = async (index: CallerIndexStore, raw: string): Promise<string[]> => (await index.lookup(raw)).matches.map((p) => p.espoId);

describe('caller index in Redis (SPEC §8)', () => {
  const redis = testRedis();
  // A prefix of this run: other files share the Redis.
  const prefix = `test_caller_index:${randomUUID()}:`;
  const index = new CallerIndexStore(redis, prefix);

  async function put(id: string, numbers: string[]): Promise<void> {
    await index.replaceParty(id, beteiligteEntries(beteiligte(id, numbers)).entries);
  }

  beforeEach(() => index.clear());
  after(async () => {
    await index.clear();
    redis.disconnect();
  });

  it('lookup normalises the raw input as the entries were, and answers the stored party', async () => {
    await put('b1', ['030 1234567']);
    for (const raw of ['+49301234567', '+49 30 1234567', '030 1234567', '0049 30 1234567']) assert.deepEqual(await ids(index, raw), ['b1'], raw);
    assert.deepEqual(await index.lookup('+49 (30) 123-4567'), {
      matches: [{ espoId: 'b1', betNr: 7, name: 'Name b1', assignedUserId: null, source: 'beteiligte' }],
    });
    assert.deepEqual(await index.lookup('anonymous'), { matches: [] });
    assert.deepEqual(await index.lookup('+49 89 7654321'), { matches: [] });
  });

  it('replaceParty removes exactly the old numbers and keeps other parties on a shared number', async () => {
    await put('b1', ['030 1234567', '0171 2345678']);
    await put('b2', ['030 1234567']);
    assert.deepEqual(await ids(index, '030 1234567'), ['b1', 'b2']);

    await put('b1', ['089 7654321']);
    assert.deepEqual(await ids(index, '030 1234567'), ['b2'], 'b1 left the shared number, b2 stays');
    assert.deepEqual(await ids(index, '0171 2345678'), [], 'the old number is gone');
    assert.deepEqual(await ids(index, '089 7654321'), ['b1']);
    assert.deepEqual((await redis.smembers(`${prefix}party:b1`)).sort(), ['+49897654321']);
    assert.equal(await redis.exists(`${prefix}number:+491712345678`), 0, 'no empty hash is left behind');
  });

  it('replaceParty with a changed name updates what the lookup answers', async () => {
    await put('b1', ['030 1234567']);
    await index.replaceParty('b1', beteiligteEntries({ ...beteiligte('b1', ['030 1234567']), name: 'Neu' }).entries);
    assert.equal((await index.lookup('030 1234567')).matches[0]?.name, 'Neu');
  });

  it('refuses entries of another party', async () => {
    await assert.rejects(index.replaceParty('b1', beteiligteEntries(beteiligte('b2', ['030 1234567'])).entries), /entry of party b2/);
  });

  it('removeParty removes the party from all its numbers and its number set', async () => {
    await put('b1', ['030 1234567', '0171 2345678']);
    await put('b2', ['0171 2345678']);
    assert.equal(await index.removeParty('b1'), 2);
    assert.deepEqual(await ids(index, '030 1234567'), []);
    assert.deepEqual(await ids(index, '0171 2345678'), ['b2']);
    assert.equal(await redis.exists(`${prefix}party:b1`), 0);
    assert.equal(await index.removeParty('unknown'), 0);
  });

  it('clear empties its own prefix only', async () => {
    const other = new CallerIndexStore(redis, `test_caller_index:${randomUUID()}:`);
    try {
      await put('b1', ['030 1234567']);
      await other.replaceParty('b9', beteiligteEntries(beteiligte('b9', ['030 1234567'])).entries);
      assert.deepEqual(await ids(index, '030 1234567'), ['b1'], 'the other prefix does not leak into lookups');

      assert.equal(await index.clear(), 2, 'one number hash, one party set');
      assert.deepEqual(await ids(index, '030 1234567'), []);
      assert.deepEqual(await ids(other, '030 1234567'), ['b9']);
    } finally {
      await other.clear();
    }
  });
});
