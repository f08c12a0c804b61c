import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { createAdvowareClient } from '../../clients/advoware/client';
import { EspoCrmClient } from '../../clients/espocrm/client';
import { createCalendarClient } from '../../clients/google/calendar';
import { GoogleCalendarApi } from '../../clients/google/calendar-api';
import { advowareEnv, parseEnv } from '../../config/env';
import type { CallScope } from '../../lib/call-scope';
import { RedisTokenBucket, type RateLimiter } from '../../lib/rate-limiter';
import { AdvowareSimulator } from '../../simulators/advoware/simulator';
import { EspoCrmSimulator } from '../../simulators/espocrm/simulator';
import { GoogleCalendarSimulator } from '../../simulators/google/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS, SANDBOX_ESPOCRM, SANDBOX_GOOGLE, advowareEnvFor } from '../../simulators/sandbox-credentials';
import { testRedis } from '../support/services';

/** Far longer than any test may take: a call that waits this long was not stopped. */
const SLOW_MS = 5_000;
/** How long after the abort a stopped call may still take to end. */
const PROMPT_MS = 250;

const redisA = testRedis();
const redisB = testRedis();
after(() => {
  redisA.disconnect();
  redisB.disconnect();
});

/** An activity's scope, driven by the test: abort it, count its heartbeats. */
function testScope(): { scope: () => CallScope; abort: (reason: Error) => number; heartbeats: () => number } {
  const controller = new AbortController();
  let beats = 0;
  const scope: CallScope = { signal: controller.signal, heartbeat: () => void (beats += 1) };
  return {
    scope: () => scope,
    abort: (reason) => {
      controller.abort(reason);
      return performance.now();
    },
    heartbeats: () => beats,
  };
}

/** Aborts `call`'s scope after `afterMs` and answers how long the call took to end after that; it must end with `reason`. */
async function abortedAfter(call: Promise<unknown>, abort: (reason: Error) => number, afterMs = 200): Promise<number> {
  const reason = new Error('cancelled by the test');
  await sleep(afterMs);
  const abortedAt = abort(reason);
  await assert.rejects(call, (err: unknown) => {
    // The cancellation as it is: not a classified failure that a retry policy would try again.
    assert.equal(err, reason, `rejected with ${String(err)}`);
    return true;
  });
  return performance.now() - abortedAt;
}

describe('Advoware: a cancelled caller stops waiting', () => {
  const sim = new AdvowareSimulator({ credentials: SANDBOX_ADVOWARE_CREDENTIALS });
  let url = '';
  let tokenKey = '';
  before(async () => {
    url = await sim.start();
  });
  after(() => sim.stop());
  beforeEach(() => {
    sim.reset();
    tokenKey = `test:advoware_access_token:${randomUUID()}`;
  });

  const clientWith = (scope: () => CallScope, env: Record<string, string> = {}) =>
    createAdvowareClient(parseEnv(advowareEnv, { ...advowareEnvFor(url), ...env }), redisA, tokenKey, scope);

  it('a request in flight ends at once, and heartbeats while it waits', async () => {
    const t = testScope();
    const client = clientWith(t.scope);
    await client.listMitarbeiter(); // the token is cached: what follows waits for the slow answer only
    sim.faults.add({ path: 'Beteiligte', latencyMs: SLOW_MS, times: 1 });
    const took = await abortedAfter(client.getBeteiligte(100001), t.abort, 1_200);
    assert.ok(took < PROMPT_MS, `ended ${took.toFixed(0)} ms after the abort`);
    assert.ok(t.heartbeats() >= 3, `${t.heartbeats()} heartbeats: one per request, and one a second while waiting`);
  });

  it('an already cancelled caller sends nothing', async () => {
    const t = testScope();
    t.abort(new Error('cancelled before'));
    await assert.rejects(clientWith(t.scope).listMitarbeiter(), /cancelled before/);
    assert.equal(sim.calls.count(), 0);
  });

  it('the time-out still applies, and is still a retryable AdvowareTimeout', async () => {
    const t = testScope();
    const client = clientWith(t.scope, { ADVOWARE_TIMEOUT_MS: '300' });
    sim.faults.add({ path: 'Beteiligte', latencyMs: 1_500, times: 1 });
    await assert.rejects(client.getBeteiligte(100001), (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure);
      assert.equal(err.type, 'AdvowareTimeout');
      assert.equal(err.nonRetryable, false);
      return true;
    });
  });

  it('a wait for the token ends at once; the only waiter gone, the fetch is abandoned and the lock freed', async () => {
    const t = testScope();
    sim.faults.add({ path: 'Token', latencyMs: SLOW_MS, times: 1 });
    const took = await abortedAfter(clientWith(t.scope).listMitarbeiter(), t.abort);
    assert.ok(took < PROMPT_MS, `ended ${took.toFixed(0)} ms after the abort`);
    await sleep(50);
    assert.equal(await redisB.exists(`${tokenKey}:refresh-lock`), 0, 'the refresh lock was released');
    assert.equal(await redisB.exists(tokenKey), 0, 'no token arrived late into the cache');
    assert.equal(sim.calls.count('GET /api/v1/advonet/Mitarbeiter'), 0);
  });

  it('one waiter giving up does not fail another waiting for the same token', async () => {
    const cancelled = testScope();
    const patient = testScope();
    // One process, two activities: one client, as in the worker; each call asks the provider for its own scope.
    let current = cancelled.scope;
    const client = clientWith(() => current());
    sim.faults.add({ path: 'Token', latencyMs: 600, times: 1 });
    const first = client.listMitarbeiter();
    current = patient.scope;
    const second = client.listMitarbeiter();
    const took = await abortedAfter(first, cancelled.abort);
    assert.ok(took < PROMPT_MS, `ended ${took.toFixed(0)} ms after the abort`);
    assert.ok((await second).length > 0, 'the other caller got its answer');
    assert.equal(sim.calls.count('POST /api/v1/Token'), 1, 'one token request for both');
  });
});

describe('EspoCRM: a cancelled caller stops waiting', () => {
  const sim = new EspoCrmSimulator({ apiKey: SANDBOX_ESPOCRM.apiKey });
  before(() => sim.start());
  after(() => sim.stop());

  it('a request in flight ends at once', async () => {
    const t = testScope();
    const client = new EspoCrmClient({ baseUrl: `${sim.url}/api/v1`, apiKey: SANDBOX_ESPOCRM.apiKey, timeoutMs: SLOW_MS * 2, scope: t.scope });
    sim.faults.add({ method: 'GET', latencyMs: SLOW_MS, times: 1 });
    const took = await abortedAfter(client.list('CBeteiligte'), t.abort);
    assert.ok(took < PROMPT_MS, `ended ${took.toFixed(0)} ms after the abort`);
  });
});

describe('Google: a cancelled caller stops waiting', () => {
  const sim = new GoogleCalendarSimulator({ accessToken: SANDBOX_GOOGLE.accessToken });
  let url = '';
  before(async () => {
    url = await sim.start();
  });
  after(() => sim.stop());
  beforeEach(() => sim.reset());

  /** The real bucket, with a record of back-offs (a cancellation must not pause everyone). */
  function apiWith(scope: () => CallScope, bucket: { ratePerMinute: number; burst: number }, timeoutMs = SLOW_MS * 2) {
    const backOffs: number[] = [];
    const inner = new RedisTokenBucket(redisA, { key: `test:google_rate:${randomUUID()}`, ...bucket });
    const limiter: RateLimiter = {
      grantLifetimeMs: inner.grantLifetimeMs,
      acquire: (s) => inner.acquire(s),
      backOff: async (ms) => {
        backOffs.push(ms);
        await inner.backOff(ms);
      },
    };
    const calendar = createCalendarClient({ baseUrl: url, accessToken: SANDBOX_GOOGLE.accessToken, timeoutMs });
    return { api: new GoogleCalendarApi(calendar, limiter, 'AW-', 300, scope), backOffs };
  }

  it('a request in flight ends at once, unclassified and without a back-off', async () => {
    const t = testScope();
    const { api, backOffs } = apiWith(t.scope, { ratePerMinute: 6_000, burst: 20 });
    sim.faults.add({ path: '/calendarList', latencyMs: SLOW_MS, times: 1 });
    const took = await abortedAfter(api.listHubCalendars(), t.abort);
    assert.ok(took < PROMPT_MS, `ended ${took.toFixed(0)} ms after the abort`);
    assert.deepEqual(backOffs, []);
  });

  it('the time-out still applies next to the signal, and is still a retryable GoogleTimeout', async () => {
    const t = testScope();
    const { api } = apiWith(t.scope, { ratePerMinute: 6_000, burst: 20 }, 300);
    sim.faults.add({ path: '/calendarList', latencyMs: 1_500, times: 1 });
    await assert.rejects(api.listHubCalendars(), (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure, `an ApplicationFailure, got ${String(err)}`);
      assert.equal(err.type, 'GoogleTimeout');
      assert.equal(err.nonRetryable, false);
      return true;
    });
  });

  it('a wait for the rate limit ends at once, and nothing is sent', async () => {
    const t = testScope();
    const { api } = apiWith(t.scope, { ratePerMinute: 2, burst: 1 });
    await api.listHubCalendars(); // takes the only token for half a minute
    const took = await abortedAfter(api.listHubCalendars(), t.abort, 1_200);
    assert.ok(took < PROMPT_MS, `ended ${took.toFixed(0)} ms after the abort`);
    assert.ok(t.heartbeats() >= 2, `${t.heartbeats()} heartbeats in 1.2 s of waiting for the rate limit`);
    assert.equal(sim.calls.count(), 1, 'only the first call reached Google');
  });
});
