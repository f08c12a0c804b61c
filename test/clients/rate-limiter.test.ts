import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { after, describe, it } from 'node:test';
import { RedisTokenBucket, type TokenBucketOptions } from '../../lib/rate-limiter';
import { testRedis } from '../support/services';

/** Two connections, like two worker processes. */
const redisA = testRedis();
const redisB = testRedis();
after(() => {
  redisA.disconnect();
  redisB.disconnect();
});

const uniqueKey = (): string => `test:rate:${randomUUID()}`;

/** 10 per second: fast enough to test in a second, slow enough that pacing is far from "no limit". */
const RATE = 600;
const PER_SECOND = RATE / 60;

async function timed(call: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await call();
  return performance.now() - start;
}

/** Acquires in a loop until `ms` have passed since the call; returns the grant times relative to that start. */
async function acquireFor(bucket: RedisTokenBucket, ms: number): Promise<number[]> {
  const start = performance.now();
  const grants: number[] = [];
  for (;;) {
    await bucket.acquire();
    const at = performance.now() - start;
    if (at > ms) return grants;
    grants.push(at);
  }
}

describe('RedisTokenBucket', () => {
  it('grants the burst at once, then paces at the rate', async () => {
    const bucket = new RedisTokenBucket(redisA, { key: uniqueKey(), ratePerMinute: RATE, burst: 5 });
    // Five grants at 10/s without a burst would take 400 ms.
    const burstMs = await timed(async () => {
      for (let i = 0; i < 5; i++) await bucket.acquire();
    });
    assert.ok(burstMs < 250, `the burst took ${burstMs.toFixed(0)} ms`);

    const grants = await acquireFor(bucket, 1_000);
    // An empty bucket refills 10 tokens in 1 s: at most 10 (+1 for the fraction refilled while the burst was taken).
    assert.ok(grants.length <= PER_SECOND + 1, `${grants.length} grants in 1 s at 10/s`);
    assert.ok(grants.length >= PER_SECOND * 0.6, `${grants.length} grants in 1 s at 10/s: the bucket starves callers`);
    // Paced, not bunched: the first half second holds about half of them.
    const firstHalf = grants.filter((t) => t < 500).length;
    assert.ok(firstHalf <= PER_SECOND / 2 + 1, `${firstHalf} grants in the first 500 ms`);

    await new Promise((resolve) => setTimeout(resolve, 350));
    const refilled = await timed(async () => {
      for (let i = 0; i < 3; i++) await bucket.acquire();
    });
    assert.ok(refilled < 150, `3 tokens refilled during a 350 ms pause should be granted at once, took ${refilled.toFixed(0)} ms`);
  });

  it('is one budget for every instance with the same key, across connections', async () => {
    const key = uniqueKey();
    const options: TokenBucketOptions = { key, ratePerMinute: RATE, burst: 5 };
    const first = new RedisTokenBucket(redisA, options);
    const second = new RedisTokenBucket(redisB, options);
    const seconds = 2;
    const [a, b] = await Promise.all([acquireFor(first, seconds * 1_000), acquireFor(second, seconds * 1_000)]);
    const total = a.length + b.length;
    // Per-instance buckets would grant about 2 × 25 = 50.
    assert.ok(total <= 5 + PER_SECOND * seconds + 2, `${total} grants (${a.length} + ${b.length}) in ${seconds} s share one budget of 25`);
    assert.ok(total >= PER_SECOND * seconds * 0.6, `${total} grants in ${seconds} s: the shared bucket starves callers`);
    assert.ok(a.length > 0 && b.length > 0, `both instances are served (${a.length} + ${b.length})`);

    // Another key is another budget: its burst is available although this one is drained.
    const other = new RedisTokenBucket(redisB, { ...options, key: uniqueKey() });
    const otherBurst = await timed(async () => {
      for (let i = 0; i < 5; i++) await other.acquire();
    });
    assert.ok(otherBurst < 250, `a separate key's burst took ${otherBurst.toFixed(0)} ms`);
  });

  it('keeps its state under a key that expires once the bucket would be full again', async () => {
    const key = uniqueKey();
    const bucket = new RedisTokenBucket(redisA, { key, ratePerMinute: RATE, burst: 5 });
    await bucket.acquire();
    const state = await redisB.hgetall(key);
    assert.ok(Number(state.tokens) > 3.9 && Number(state.tokens) <= 4.1, `tokens after one take: ${state.tokens}`);
    const ttl = await redisB.pttl(key);
    // Refilling one token takes 100 ms; the state lives a minute beyond that, never forever.
    assert.ok(ttl > 59_000 && ttl <= 60_200, `ttl ${ttl} ms`);
  });

  it('makes every instance wait after a back-off from any of them', async () => {
    const options: TokenBucketOptions = { key: uniqueKey(), ratePerMinute: RATE, burst: 5 };
    const reporter = new RedisTokenBucket(redisA, options);
    const other = new RedisTokenBucket(redisB, options);
    await other.acquire(); // the bucket holds tokens: the back-off must take them away too

    await reporter.backOff(500);
    const waited = await timed(() => other.acquire());
    // 500 ms of debt plus one token (100 ms) at 10/s.
    assert.ok(waited >= 480, `the next acquire came after ${waited.toFixed(0)} ms, not after the 500 ms back-off`);
    assert.ok(waited < 1_200, `the next acquire waited ${waited.toFixed(0)} ms for a 500 ms back-off`);

    // After the pause the bucket refills at the rate from empty: no burst right away.
    const next = await timed(() => other.acquire());
    assert.ok(next >= 50, `the acquire right after the back-off took ${next.toFixed(0)} ms; the bucket should be empty`);
  });

  it('does not add up back-offs reported at the same time, nor shorten a longer one', async () => {
    const options: TokenBucketOptions = { key: uniqueKey(), ratePerMinute: RATE, burst: 5 };
    const a = new RedisTokenBucket(redisA, options);
    const b = new RedisTokenBucket(redisB, options);

    // Three workers whose calls failed in the same burst each report it: one pause, not three.
    await Promise.all([a.backOff(400), b.backOff(400), a.backOff(400)]);
    const once = await timed(() => b.acquire());
    assert.ok(once >= 380, `waited ${once.toFixed(0)} ms after 400 ms back-offs`);
    assert.ok(once < 1_000, `waited ${once.toFixed(0)} ms: three 400 ms back-offs were added up`);

    await a.backOff(700);
    await b.backOff(100);
    const longest = await timed(() => a.acquire());
    assert.ok(longest >= 650, `waited ${longest.toFixed(0)} ms: the 100 ms back-off cut the 700 ms one short`);
  });

  it('ignores back-offs of no length', async () => {
    const key = uniqueKey();
    const bucket = new RedisTokenBucket(redisA, { key, ratePerMinute: RATE, burst: 2 });
    for (const ms of [0, -100, Number.NaN, Number.POSITIVE_INFINITY]) await bucket.backOff(ms);
    assert.equal(await redisA.exists(key), 0, 'no state was written');
    const ms = await timed(() => bucket.acquire());
    assert.ok(ms < 100, `acquire took ${ms.toFixed(0)} ms`);
  });

  it('rejects options that cannot make a bucket', () => {
    const valid: TokenBucketOptions = { key: uniqueKey(), ratePerMinute: RATE, burst: 5 };
    const invalid: Partial<TokenBucketOptions>[] = [
      { ratePerMinute: 0 },
      { ratePerMinute: -60 },
      { ratePerMinute: Number.NaN },
      { ratePerMinute: Number.POSITIVE_INFINITY },
      { burst: 0 },
      { burst: 0.5 },
      { burst: Number.NaN },
      { burst: Number.POSITIVE_INFINITY },
      { key: '' },
      // The burst counts within the minute's budget, so it must leave room for a refill.
      { ratePerMinute: 5, burst: 5 },
    ];
    for (const change of invalid) {
      assert.throws(() => new RedisTokenBucket(redisA, { ...valid, ...change }), /token bucket/, JSON.stringify(change));
    }
    assert.doesNotThrow(() => new RedisTokenBucket(redisA, valid));
    assert.doesNotThrow(() => new RedisTokenBucket(redisA, { ...valid, ratePerMinute: 1.5, burst: 1 }));
  });
});
