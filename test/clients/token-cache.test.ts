import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';
import { SharedTokenCache } from '../../clients/advoware/token-cache';
import { testRedis } from '../support/services';

const redisA = testRedis();
const redisB = testRedis();
after(() => {
  redisA.disconnect();
  redisB.disconnect();
});

/** A token endpoint stand-in that counts requests and answers slowly, like a real one. */
function countingSource(delayMs = 50) {
  let requests = 0;
  return {
    get requests() {
      return requests;
    },
    fetch: async () => {
      requests += 1;
      await sleep(delayMs);
      return `token-${requests}`;
    },
  };
}

const uniqueKey = () => `test:advoware_token:${randomUUID()}`;

test('two cache instances on separate connections share one token', async () => {
  const key = uniqueKey();
  const source = countingSource();
  const first = new SharedTokenCache(redisA, source.fetch, { key, ttlSeconds: 60 });
  const second = new SharedTokenCache(redisB, source.fetch, { key, ttlSeconds: 60 });
  assert.equal(await first.get(), 'token-1');
  assert.equal(await second.get(), 'token-1');
  assert.equal(source.requests, 1);
  assert.ok((await redisA.ttl(key)) > 50, 'token is stored with its TTL');
});

test('20 concurrent misses across two instances make one token request', async () => {
  const key = uniqueKey();
  const source = countingSource(100);
  const caches = [
    new SharedTokenCache(redisA, source.fetch, { key, ttlSeconds: 60 }),
    new SharedTokenCache(redisB, source.fetch, { key, ttlSeconds: 60 }),
  ];
  const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => caches[i % 2]!.get()));
  assert.equal(source.requests, 1);
  assert.deepEqual(new Set(tokens), new Set(['token-1']));
});

test('refresh replaces a rejected token once, even when both instances saw the 401', async () => {
  const key = uniqueKey();
  const source = countingSource();
  const first = new SharedTokenCache(redisA, source.fetch, { key, ttlSeconds: 60 });
  const second = new SharedTokenCache(redisB, source.fetch, { key, ttlSeconds: 60 });
  const stale = await first.get();
  const [a, b] = await Promise.all([first.refresh(stale), second.refresh(stale)]);
  assert.equal(a, 'token-2');
  assert.equal(b, 'token-2');
  assert.equal(source.requests, 2);
  // A late refresh for the old token must not throw away the new one.
  assert.equal(await first.refresh(stale), 'token-2');
  assert.equal(source.requests, 2);
});

test('a failing token request reaches every waiter and leaves no lock behind', async () => {
  const key = uniqueKey();
  let calls = 0;
  const failing = new SharedTokenCache(
    redisA,
    async () => {
      calls += 1;
      await sleep(20);
      throw new Error('token endpoint down');
    },
    { key, ttlSeconds: 60 },
  );
  const results = await Promise.allSettled([failing.get(), failing.get(), failing.get()]);
  assert.ok(results.every((r) => r.status === 'rejected'));
  assert.equal(calls, 1);
  assert.equal(await redisA.exists(`${key}:refresh-lock`), 0);
  const source = countingSource();
  assert.equal(await new SharedTokenCache(redisB, source.fetch, { key, ttlSeconds: 60 }).get(), 'token-1');
});

test('a crashed refresher (lock left behind) delays others only until the lock expires', async () => {
  const key = uniqueKey();
  await redisA.set(`${key}:refresh-lock`, 'crashed-process', 'PX', 300);
  const source = countingSource(10);
  const started = Date.now();
  const token = await new SharedTokenCache(redisB, source.fetch, { key, ttlSeconds: 60 }).get();
  assert.equal(token, 'token-1');
  assert.ok(Date.now() - started >= 250, 'waited for the stale lock');
});

test("a caller waiting for another process's fetch stops at once when cancelled", async () => {
  const key = uniqueKey();
  await redisA.set(`${key}:refresh-lock`, 'other-process', 'PX', 5_000);
  const source = countingSource(10);
  const controller = new AbortController();
  const reason = new Error('cancelled');
  const waiting = new SharedTokenCache(redisB, source.fetch, { key, ttlSeconds: 60 }).get(controller.signal);
  await sleep(100);
  const abortedAt = Date.now();
  controller.abort(reason);
  await assert.rejects(waiting, (err: unknown) => err === reason);
  assert.ok(Date.now() - abortedAt < 250, 'did not wait for the other process');
  assert.equal(source.requests, 0);
  assert.equal(await redisA.get(`${key}:refresh-lock`), 'other-process', "the other process's lock is untouched");
});

test('a fetch that every waiter gave up is abandoned: its signal aborts, nothing is stored, the lock is freed', async () => {
  const key = uniqueKey();
  let fetchSignal: AbortSignal | undefined;
  const cache = new SharedTokenCache(
    redisA,
    async (signal) => {
      fetchSignal = signal;
      await sleep(5_000, undefined, { signal });
      return 'too-late';
    },
    { key, ttlSeconds: 60 },
  );
  const first = new AbortController();
  const second = new AbortController();
  const waiting = [cache.get(first.signal), cache.get(second.signal)];
  await sleep(100);
  first.abort(new Error('first cancelled'));
  await assert.rejects(waiting[0]!, /first cancelled/);
  assert.equal(fetchSignal?.aborted, false, 'the other caller still waits for the fetch');
  second.abort(new Error('second cancelled'));
  await assert.rejects(waiting[1]!, /second cancelled/);
  assert.equal(fetchSignal?.aborted, true, 'nobody waits any more: the fetch is abandoned');
  await sleep(50);
  assert.equal(await redisB.exists(key), 0, 'no token stored');
  assert.equal(await redisB.exists(`${key}:refresh-lock`), 0, 'no lock left behind');
});
