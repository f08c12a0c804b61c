import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { maxInWindow } from '../../bench/stats';
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
      { windowMs: 0 },
      { windowMs: Number.NaN },
      { guardMs: -1 },
      { guardMs: Number.POSITIVE_INFINITY },
      // The burst counts within the minute's budget, so it must leave room for a refill.
      { ratePerMinute: 5, burst: 5 },
    ];
    for (const change of invalid) {
      assert.throws(() => new RedisTokenBucket(redisA, { ...valid, ...change }), /token bucket/, JSON.stringify(change));
    }
    assert.doesNotThrow(() => new RedisTokenBucket(redisA, valid));
    assert.doesNotThrow(() => new RedisTokenBucket(redisA, { ...valid, ratePerMinute: 1.5, burst: 1 }));
    assert.doesNotThrow(() => new RedisTokenBucket(redisA, { ...valid, windowMs: 1_000, guardMs: 0 }));
  });
});

describe('RedisTokenBucket: the quota where it is measured, at arrival', () => {
  // A minute shrunk to 2 s, so a test sees several whole windows: 20 per window is 600/min at a 30× time scale.
  const WINDOW_MS = 2_000;
  const QUOTA = 20;
  const GUARD_MS = 200;

  it('no window sees more than the quota arrive from two instances, and the windows are full', async () => {
    const options: TokenBucketOptions = { key: uniqueKey(), ratePerMinute: QUOTA, burst: 4, windowMs: WINDOW_MS, guardMs: GUARD_MS };
    const instances = [new RedisTokenBucket(redisA, options), new RedisTokenBucket(redisB, options)];
    const runMs = 7_000;
    const arrivals: number[] = [];
    const grants: number[] = [];
    const pending: Promise<void>[] = [];
    const start = Date.now();
    // Each instance sends as fast as it is allowed to; every call lands some time after its grant (up to
    // 3/4 of the guard), as a request takes a while to reach the API.
    await Promise.all(
      instances.map(async (bucket) => {
        while (Date.now() - start < runMs) {
          await bucket.acquire();
          grants.push(Date.now());
          pending.push(sleep(Math.random() * GUARD_MS * 0.75).then(() => void arrivals.push(Date.now())));
        }
      }),
    );
    await Promise.all(pending);
    const busiest = maxInWindow(arrivals, WINDOW_MS);
    assert.ok(busiest <= QUOTA, `${busiest} arrivals in one ${WINDOW_MS} ms window, quota ${QUOTA}`);
    // The limit is the quota, not less: some window was full, and the run as a whole came close to the quota.
    assert.ok(busiest >= QUOTA - 1, `the busiest window saw only ${busiest} of ${QUOTA}`);
    const spanMs = Math.max(...grants) - start;
    const floor = Math.floor(((QUOTA * spanMs) / (WINDOW_MS + GUARD_MS)) * 0.9);
    assert.ok(grants.length >= floor, `${grants.length} grants in ${spanMs} ms; at least ${floor} expected`);
    // Paced, not a whole window's worth at once: no 200 ms holds more than the burst and two refills.
    const busiestFifth = maxInWindow(grants, 200);
    assert.ok(busiestFifth <= 4 + 2 + 1, `${busiestFifth} grants in 200 ms`);
  });

  it('a call granted late in one window may land in the next without pushing it over', async () => {
    // The guard exactly: the grants of any window + guard never exceed the quota.
    const key = uniqueKey();
    const bucket = new RedisTokenBucket(redisA, { key, ratePerMinute: 5, burst: 4, windowMs: 600, guardMs: 300 });
    const grants: number[] = [];
    const start = performance.now();
    while (performance.now() - start < 2_500) {
      await bucket.acquire();
      grants.push(performance.now());
    }
    const inSpan = maxInWindow(grants, 600 + 300 - 5);
    assert.ok(inSpan <= 5, `${inSpan} grants in one window + guard, quota 5`);
    assert.ok(grants.length >= 11, `${grants.length} grants in 2.5 s at 5 per 0.9 s`);
    assert.ok((await redisB.zcard(`${key}:grants`)) <= 5, 'the log holds no more than one window + guard of grants');
  });
});

describe('RedisTokenBucket: waiting callers', () => {
  /** A bucket whose second acquire has to wait about a minute. */
  async function drained(): Promise<{ bucket: RedisTokenBucket; key: string }> {
    const key = uniqueKey();
    const bucket = new RedisTokenBucket(redisA, { key, ratePerMinute: 2, burst: 1 });
    await bucket.acquire();
    return { bucket, key };
  }

  it('a wait ends as soon as the caller is cancelled, with the cancellation, and takes nothing', async () => {
    const { bucket, key } = await drained();
    const controller = new AbortController();
    const reason = new Error('cancelled by the test');
    const waiting = bucket.acquire({ signal: controller.signal });
    await sleep(150);
    const abortedAt = performance.now();
    controller.abort(reason);
    await assert.rejects(waiting, (err: unknown) => err === reason);
    const took = performance.now() - abortedAt;
    assert.ok(took < 250, `the wait ended ${took.toFixed(0)} ms after the abort`);
    assert.equal(await redisB.zcard(`${key}:grants`), 1, 'only the first grant was made');

    // Already cancelled: rejects before asking Redis, even when a grant would be free.
    const fresh = new RedisTokenBucket(redisA, { key: uniqueKey(), ratePerMinute: RATE, burst: 5 });
    await assert.rejects(fresh.acquire({ signal: AbortSignal.abort(reason) }), (err: unknown) => err === reason);
  });

  it('heartbeats while it waits, and not when it does not wait', async () => {
    let beats = 0;
    const heartbeat = (): void => void (beats += 1);
    const free = new RedisTokenBucket(redisA, { key: uniqueKey(), ratePerMinute: RATE, burst: 5 });
    await free.acquire({ heartbeat });
    assert.equal(beats, 0, 'a grant at once needs no heartbeat');

    const { bucket } = await drained();
    const controller = new AbortController();
    const waiting = bucket.acquire({ signal: controller.signal, heartbeat });
    await sleep(2_300);
    controller.abort(new Error('done'));
    await assert.rejects(waiting);
    // One as the wait starts, then one a second.
    assert.ok(beats >= 3, `${beats} heartbeats in 2.3 s of waiting`);
    const after = beats;
    await sleep(1_200);
    assert.equal(beats, after, 'no heartbeats once the wait ended');
  });
});
