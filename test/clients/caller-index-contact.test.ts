import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { CallerIndexStore } from '../../clients/redis/caller-index';
import { beteiligteEntries } from '../../domain/caller-index/entries';
import { testRedis } from '../support/services';

describe('caller index: last contact for the 3CX screen pop (SPEC §8)', () => {
  const redis = testRedis();
  const prefix = `test_caller_contact:${randomUUID()}:`;
  const index = new CallerIndexStore(redis, prefix);
  const put = (id: string, number: string) =>
    index.replaceParty(
      id,
      beteiligteEntries({ id, name: `Name ${id}`, betnr: 1, assignedUserId: 'u1', phoneNumberData: [{ phoneNumber: number }] }).entries,
    );

  after(async () => {
    await index.clear();
    await redis.unlink(...(await redis.keys(`${prefix.replace(/:+$/, '')}_contact:*`)));
    redis.disconnect();
  });

  it('lookupWithContact answers every party on the number with its last contact (null when never)', async () => {
    await put('a', '030 1234567');
    await put('b', '+49 30 1234567');
    await index.recordContact(['a'], new Date('2026-03-02T09:00:00.000Z'));
    assert.deepEqual(await index.lookupWithContact('0301234567'), {
      matches: [
        { espoId: 'a', betNr: 1, name: 'Name a', assignedUserId: 'u1', source: 'beteiligte', lastContact: '2026-03-02T09:00:00.000Z' },
        { espoId: 'b', betNr: 1, name: 'Name b', assignedUserId: 'u1', source: 'beteiligte', lastContact: null },
      ],
    });
    assert.deepEqual(await index.lookupWithContact('not a number'), { matches: [] });
    assert.deepEqual(await index.lookupWithContact('+49 89 1111111'), { matches: [] });
    assert.deepEqual(
      (await index.lookup('0301234567')).matches.map((m) => m.espoId),
      ['a', 'b'],
      'lookup answers as before',
    );
  });

  it('keeps the later time (a late re-run never moves it back), and a rebuild (clear) keeps it', async () => {
    await put('c', '030 7654321');
    await index.recordContact(['c', 'c'], new Date('2026-03-02T10:00:00.000Z'));
    await index.recordContact(['c'], new Date('2026-03-01T10:00:00.000Z'));
    assert.equal(await index.lastContact('c'), '2026-03-02T10:00:00.000Z');
    await index.recordContact(['c'], new Date('2026-03-03T10:00:00.000Z'));
    assert.equal(await index.lastContact('c'), '2026-03-03T10:00:00.000Z');
    await index.clear();
    assert.deepEqual(await index.lookupWithContact('030 7654321'), { matches: [] });
    assert.equal(await index.lastContact('c'), '2026-03-03T10:00:00.000Z');
    await index.recordContact([], new Date());
  });
});
