import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { RedisTokenBucket } from '../../lib/rate-limiter';
import { testRedis } from '../support/services';

const redis = testRedis();
after(() => redis.disconnect());

describe('rate limiter: the wait a caller observes through its call scope', () => {
  it('reports 0 for a grant from the burst and the real wait once the bucket is empty, once per grant', async () => {
    // 600 a minute: one token every 100 ms after the burst of 2.
    const bucket = new RedisTokenBucket(redis, { key: `test:rate-waits:${randomUUID()}`, ratePerMinute: 600, burst: 2 });
    const waits: number[] = [];
    const scope = { onRateLimitWait: (ms: number) => waits.push(ms) };
    for (let i = 0; i < 4; i++) await bucket.acquire(scope);
    assert.equal(waits.length, 4, 'one report per grant');
    assert.deepEqual(waits.slice(0, 2), [0, 0], 'the burst is granted at once');
    for (const waited of waits.slice(2)) assert.ok(waited >= 50 && waited < 1_000, `an empty bucket made the call wait ~100 ms, got ${waited}`);
  });

  it('reports nothing for a caller that gave up waiting (no grant taken)', async () => {
    const bucket = new RedisTokenBucket(redis, { key: `test:rate-waits:${randomUUID()}`, ratePerMinute: 60, burst: 1 });
    await bucket.acquire();
    const waits: number[] = [];
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled')), 100);
    await assert.rejects(bucket.acquire({ signal: controller.signal, onRateLimitWait: (ms) => waits.push(ms) }), /cancelled/);
    assert.deepEqual(waits, []);
  });
});
