import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { failureDetails } from '../../clients/errors';
import { createCalendarClient } from '../../clients/google/calendar';
import { GoogleCalendarApi, HUB_CALENDAR_MARKER, SyncTokenExpired } from '../../clients/google/calendar-api';
import type { HubEvent } from '../../domain/calendar/types';
import type { CallScope } from '../../lib/call-scope';
import { RedisTokenBucket, type RateLimiter, type TokenBucketOptions } from '../../lib/rate-limiter';
import { GoogleCalendarSimulator, type EventInput } from '../../simulators/google/simulator';
import { testRedis } from '../support/services';

const TOKEN = 'sandbox-google-token';
const PREFIX = 'AW-';
const EVENTS_LIST = 'GET /calendar/v3/calendars/:calendarId/events';
const EVENT = '/calendar/v3/calendars/:calendarId/events/:eventId';
const CALENDAR_LIST = 'GET /calendar/v3/users/me/calendarList';

const sim = new GoogleCalendarSimulator({ accessToken: TOKEN });
const redisA = testRedis();
const redisB = testRedis();
let baseUrl = '';

before(async () => {
  baseUrl = await sim.start();
});
after(async () => {
  await sim.stop();
  redisA.disconnect();
  redisB.disconnect();
});
beforeEach(() => sim.reset());

/** The real bucket, with a record of what the API asked of it. */
class RecordingLimiter implements RateLimiter {
  /** Date.now() when each token was granted, comparable with the simulator's call log. */
  readonly grantedAt: number[] = [];
  readonly backOffs: number[] = [];
  constructor(private readonly inner: RateLimiter) {}

  get grantLifetimeMs(): number | undefined {
    return this.inner.grantLifetimeMs;
  }

  async acquire(scope?: CallScope): Promise<void> {
    await this.inner.acquire(scope);
    this.grantedAt.push(Date.now());
  }

  async backOff(ms: number): Promise<void> {
    this.backOffs.push(ms);
    await this.inner.backOff(ms);
  }
}

interface Setup {
  api: GoogleCalendarApi;
  limiter: RecordingLimiter;
  /** Another process's view of the same bucket (own connection, same key). */
  otherWorker: RedisTokenBucket;
  bucketKey: string;
}

/** A generous rate by default, so only the tests about pacing wait for tokens. */
function setup(options: { ratePerMinute?: number; burst?: number; pauseMs?: number; url?: string } = {}): Setup {
  const bucket: TokenBucketOptions = {
    key: `test:google_rate:${randomUUID()}`,
    ratePerMinute: options.ratePerMinute ?? 6_000,
    burst: options.burst ?? 20,
  };
  const limiter = new RecordingLimiter(new RedisTokenBucket(redisA, bucket));
  const calendar = createCalendarClient({ baseUrl: options.url ?? baseUrl, accessToken: TOKEN });
  return {
    api: new GoogleCalendarApi(calendar, limiter, PREFIX, options.pauseMs ?? 300),
    limiter,
    otherWorker: new RedisTokenBucket(redisB, bucket),
    bucketKey: bucket.key,
  };
}

function event(summary: string, day = '2030-03-04'): HubEvent {
  return { summary, start: { dateTime: `${day}T09:00:00+01:00` }, end: { dateTime: `${day}T10:00:00+01:00` } };
}

function simEvent(summary: string): EventInput {
  return { summary, start: { dateTime: '2030-03-05T09:00:00Z' }, end: { dateTime: '2030-03-05T10:00:00Z' } };
}

/** Base32hex, as Google requires of client-chosen ids. */
const eventId = (n: number): string => `hub${String(n).padStart(6, '0')}`;

async function rejection(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (err) {
    return err;
  }
  assert.fail('expected the call to fail');
}

async function applicationFailure(call: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await rejection(call);
  assert.ok(err instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(err)}`);
  return err;
}

/** Calls as [route, status] pairs, for asserting what went over the wire. */
function wire(): [string, number][] {
  return sim.calls.filter().map((c) => [c.route, c.status]);
}

/** Every call that reached the simulator was preceded by its own token from the bucket. */
function assertEveryCallAcquired(limiter: RecordingLimiter): void {
  const calls = sim.calls.filter();
  assert.equal(limiter.grantedAt.length, calls.length, 'one acquire per request');
  calls.forEach((call, i) => assert.ok((limiter.grantedAt[i] ?? Infinity) <= call.at, `request ${i} was sent before its token`));
}

describe('GoogleCalendarApi: calendars', () => {
  it('creates hub calendars and lists only those with the prefix and the marker', async () => {
    const { api, limiter } = setup();
    const created = await api.insertCalendar('ABC');
    assert.equal(created.summary, 'AW-ABC');
    assert.equal(created.kuerzel, 'ABC');
    const stored = sim.listCalendars().find((c) => c.id === created.id);
    assert.ok(stored, 'the calendar exists in Google');
    assert.equal(stored.summary, 'AW-ABC');
    assert.equal(stored.timeZone, 'Europe/Berlin');
    assert.ok(stored.description?.startsWith(HUB_CALENDAR_MARKER));

    const markedByHand = sim.userCreateCalendar({ summary: 'AW-DEF', description: `${HUB_CALENDAR_MARKER} (restored)` });
    sim.userCreateCalendar({ summary: 'AW-XYZ' }); // an employee's own calendar that happens to carry the prefix
    sim.userCreateCalendar({ summary: 'AW-OLD', description: 'Managed by someone else' });
    sim.userCreateCalendar({ summary: 'Other ABC', description: HUB_CALENDAR_MARKER });

    const listed = await api.listHubCalendars();
    assert.deepEqual(
      listed.sort((a, b) => a.kuerzel.localeCompare(b.kuerzel)),
      [
        { id: created.id, kuerzel: 'ABC', summary: 'AW-ABC' },
        { id: markedByHand.id, kuerzel: 'DEF', summary: 'AW-DEF' },
      ],
    );
    assert.deepEqual(wire(), [
      ['POST /calendar/v3/calendars', 200],
      [CALENDAR_LIST, 200],
    ]);
    assertEveryCallAcquired(limiter);
  });

  it('reads every page of the calendar list', async () => {
    const { api, limiter } = setup();
    for (let i = 0; i < 260; i++) sim.userCreateCalendar({ summary: `Kalender ${i}` });
    const late = sim.userCreateCalendar({ summary: 'AW-ZZZ', description: HUB_CALENDAR_MARKER });
    assert.deepEqual(await api.listHubCalendars(), [{ id: late.id, kuerzel: 'ZZZ', summary: 'AW-ZZZ' }]);
    assert.equal(sim.calls.count(CALENDAR_LIST), 2, '262 calendars are two pages of 250');
    assertEveryCallAcquired(limiter);
  });

  it('tells whether a calendar exists and deletes calendars idempotently', async () => {
    const { api } = setup();
    const created = await api.insertCalendar('ABC');
    assert.equal(await api.calendarExists(created.id), true);
    await api.deleteCalendar(created.id);
    assert.equal(
      sim.listCalendars().some((c) => c.id === created.id),
      false,
    );
    assert.equal(await api.calendarExists(created.id), false);
    await api.deleteCalendar(created.id); // a retried delete
    assert.deepEqual(
      wire().map(([route, status]) => `${route.split(' ')[0]} ${status}`),
      ['POST 200', 'GET 200', 'DELETE 204', 'GET 404', 'DELETE 404'],
    );
  });
});

describe('GoogleCalendarApi: events', () => {
  it('inserts with a client-chosen id once, however often the insert is retried', async () => {
    const { api, limiter } = setup();
    const { id: calendarId } = await api.insertCalendar('ABC');
    const id = eventId(1);
    const first = await api.insertEvent(calendarId, id, event('Termin'));
    const retried = await api.insertEvent(calendarId, id, event('Termin'));
    assert.equal(first.id, id);
    assert.deepEqual(retried, first, 'the retry returns the event the first insert made');
    const stored = sim.listEvents(calendarId, { includeDeleted: true });
    assert.deepEqual(
      stored.map((e) => [e.id, e.summary]),
      [[id, 'Termin']],
    );
    assert.deepEqual(wire().slice(1), [
      ['POST /calendar/v3/calendars/:calendarId/events', 200],
      ['POST /calendar/v3/calendars/:calendarId/events', 409],
      [`GET ${EVENT}`, 200],
    ]);
    assertEveryCallAcquired(limiter);
  });

  it('patches events and treats deleting what is gone as done', async () => {
    const { api } = setup();
    const { id: calendarId } = await api.insertCalendar('ABC');
    const id = eventId(2);
    await api.insertEvent(calendarId, id, event('Termin'));
    const patched = await api.patchEvent(calendarId, id, { summary: 'Verlegt' });
    assert.equal(patched.summary, 'Verlegt');
    assert.equal(sim.getEvent(calendarId, id).summary, 'Verlegt');

    await api.deleteEvent(calendarId, id);
    await api.deleteEvent(calendarId, id); // the retry of a delete whose answer was lost: 410
    await api.deleteEvent(calendarId, eventId(99)); // never existed: 404
    assert.equal(sim.getEvent(calendarId, id).status, 'cancelled');
    assert.deepEqual(
      wire()
        .filter(([route]) => route === `DELETE ${EVENT}`)
        .map(([, status]) => status),
      [204, 410, 404],
    );
  });

  it('lists the whole calendar, then only what changed since the sync token', async () => {
    const { api } = setup();
    const { id: calendarId } = await api.insertCalendar('ABC');
    for (const [n, summary] of [
      [1, 'bleibt'],
      [2, 'wird geändert'],
      [3, 'wird gelöscht'],
    ] as const) {
      await api.insertEvent(calendarId, eventId(n), event(summary));
    }
    const full = await api.listEvents(calendarId);
    assert.deepEqual(full.events.map((e) => e.id).sort(), [eventId(1), eventId(2), eventId(3)]);
    assert.equal(full.pages, 1);

    sim.userEditEvent(calendarId, eventId(2), { summary: 'geändert' });
    await api.deleteEvent(calendarId, eventId(3));
    const added = sim.userCreateEvent(calendarId, simEvent('neu'));

    const changes = await api.listEvents(calendarId, full.nextSyncToken);
    assert.deepEqual(
      changes.events.map((e) => [e.id, e.status, e.summary]).sort(),
      [
        [added.id, 'confirmed', 'neu'],
        [eventId(2), 'confirmed', 'geändert'],
        [eventId(3), 'cancelled', 'wird gelöscht'],
      ].sort(),
    );
    assert.notEqual(changes.nextSyncToken, full.nextSyncToken);

    const nothing = await api.listEvents(calendarId, changes.nextSyncToken);
    assert.deepEqual(nothing.events, []);

    // Deleted events stay in full lists, so the hub sees its vanished tags.
    const again = await api.listEvents(calendarId);
    assert.equal(again.events.find((e) => e.id === eventId(3))?.status, 'cancelled');
  });

  it('throws SyncTokenExpired when Google demands a full sync, without backing off', async () => {
    const { api, limiter } = setup();
    const { id: calendarId } = await api.insertCalendar('ABC');
    await api.insertEvent(calendarId, eventId(1), event('Termin'));
    const { nextSyncToken } = await api.listEvents(calendarId);
    sim.invalidateSyncTokens(calendarId);

    const err = await rejection(api.listEvents(calendarId, nextSyncToken));
    assert.ok(err instanceof SyncTokenExpired, `expected SyncTokenExpired, got ${String(err)}`);
    assert.deepEqual(wire().at(-1), [EVENTS_LIST, 410]);
    assert.deepEqual(limiter.backOffs, []);

    const full = await api.listEvents(calendarId);
    assert.deepEqual(
      full.events.map((e) => e.id),
      [eventId(1)],
    );
  });

  it('pages through a calendar larger than one page of 2500', async () => {
    const { api, limiter } = setup();
    const { id: calendarId } = await api.insertCalendar('ABC');
    for (let i = 0; i < 2_501; i++) sim.userCreateEvent(calendarId, simEvent(`Termin ${i}`));
    const list = await api.listEvents(calendarId);
    assert.equal(list.pages, 2);
    assert.equal(list.events.length, 2_501);
    assert.equal(new Set(list.events.map((e) => e.id)).size, 2_501, 'no event repeated across pages');
    assert.equal(sim.calls.count(EVENTS_LIST), 2);
    assertEveryCallAcquired(limiter);

    sim.userCreateEvent(calendarId, simEvent('danach'));
    const changes = await api.listEvents(calendarId, list.nextSyncToken);
    assert.deepEqual(
      changes.events.map((e) => e.summary),
      ['danach'],
    );
  });
});

describe('GoogleCalendarApi: rate limit and failures', () => {
  it('waits for a token before every request', async () => {
    // 5 per second with a burst of 1: four requests need at least 600 ms.
    const { api, limiter } = setup({ ratePerMinute: 300, burst: 1 });
    const { id: calendarId } = await api.insertCalendar('ABC');
    await api.insertEvent(calendarId, eventId(1), event('Termin'));
    await api.listEvents(calendarId);
    await api.deleteEvent(calendarId, eventId(1));
    const arrivals = sim.calls.filter().map((c) => c.at);
    assert.equal(arrivals.length, 4);
    for (let i = 1; i < arrivals.length; i++) {
      const gap = (arrivals[i] ?? 0) - (arrivals[i - 1] ?? 0);
      assert.ok(gap >= 170, `request ${i} came ${gap} ms after the previous one at 5 requests per second`);
    }
    assertEveryCallAcquired(limiter);
  });

  it('gives up a grant it could not use in time and sends with a fresh one, so the request is not counted late', async () => {
    const inner = new RedisTokenBucket(redisA, { key: `test:google_rate:${randomUUID()}`, ratePerMinute: 6_000, burst: 20 });
    let grants = 0;
    const expiring: RateLimiter = {
      // The first grant expires before googleapis has prepared the request (as after a stall of the process, or an
      // auth token fetched first); the second lives long enough.
      get grantLifetimeMs() {
        return grants === 1 ? 0.001 : 1_000;
      },
      acquire: async (scope) => {
        await inner.acquire(scope);
        grants += 1;
      },
      backOff: (ms) => inner.backOff(ms),
    };
    const api = new GoogleCalendarApi(createCalendarClient({ baseUrl, accessToken: TOKEN }), expiring, PREFIX);
    assert.deepEqual(await api.listHubCalendars(), []);
    assert.equal(grants, 2, 'a second grant was taken');
    assert.equal(sim.calls.count(), 1, 'and the request sent once');
  });

  for (const answer of [
    { kind: '403', reason: 'rateLimitExceeded', status: 403 },
    { kind: '403', reason: 'userRateLimitExceeded', status: 403 },
    { kind: '429', reason: 'rateLimitExceeded', status: 429 },
  ] as const) {
    it(`turns ${answer.status} ${answer.reason} into a retryable GoogleRateLimited and pauses every worker`, async () => {
      const { api, limiter, otherWorker } = setup({ pauseMs: 400 });
      sim.injectRateLimit({ kind: answer.kind, reason: answer.reason, times: 1 });

      const failure = await applicationFailure(api.listHubCalendars());
      assert.equal(failure.type, 'GoogleRateLimited');
      assert.equal(failure.nonRetryable, false);
      assert.equal(failureDetails(failure)?.status, answer.status);
      assert.match(failure.message, new RegExp(answer.reason));
      assert.deepEqual(limiter.backOffs, [400], 'no Retry-After: the configured pause');

      const waited = await (async () => {
        const start = performance.now();
        await otherWorker.acquire();
        return performance.now() - start;
      })();
      assert.ok(waited >= 370, `another worker got a token ${waited.toFixed(0)} ms after the rate limit`);
      assert.ok(waited < 1_500, `another worker waited ${waited.toFixed(0)} ms for a 400 ms pause`);

      await api.listHubCalendars();
      const [limited, next] = sim.calls.filter();
      assert.ok(limited && next);
      assert.deepEqual([limited.status, limited.faulted, next.status], [answer.status, true, 200]);
      assert.ok(next.at - limited.at >= 370, `the next call followed the rate limit after ${next.at - limited.at} ms`);
    });
  }

  // In Node, gaxios 7 answers with node-fetch's Headers class, not the global `Headers`: this guards headerOf().
  it('pauses for the Retry-After Google asks for and passes it on as the next retry delay', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests += 1;
      res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '3' });
      res.end(
        JSON.stringify({ error: { code: 429, message: 'Too Many Requests', errors: [{ reason: 'rateLimitExceeded', domain: 'usageLimits' }] } }),
      );
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const { api, limiter, bucketKey } = setup({ url: `http://127.0.0.1:${port}`, ratePerMinute: 600 });
      const failure = await applicationFailure(api.listEvents('primary'));
      assert.equal(failure.type, 'GoogleRateLimited');
      assert.equal(failure.nextRetryDelay, 3_000);
      assert.deepEqual(limiter.backOffs, [3_000]);
      assert.equal(requests, 1, 'the client does not retry on its own');
      // The shared bucket now owes 3 s: it is deep in debt (30 tokens at 10/s).
      const state = await redisB.hgetall(bucketKey);
      assert.ok(Number(state.tokens) <= -29, `bucket level after a 3 s back-off: ${state.tokens}`);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('still reports the rate limit when the back-off cannot be recorded', async () => {
    const broken: RateLimiter = {
      acquire: () => Promise.resolve(),
      backOff: () => Promise.reject(new Error('Redis is down')),
    };
    const api = new GoogleCalendarApi(createCalendarClient({ baseUrl, accessToken: TOKEN }), broken, PREFIX);
    sim.injectRateLimit({ kind: '429', times: 1 });
    const failure = await applicationFailure(api.listHubCalendars());
    assert.equal(failure.type, 'GoogleRateLimited');
  });

  it('gives a retryable GoogleServerError for a 5xx and does not pause the bucket', async () => {
    const { api, limiter, otherWorker } = setup();
    sim.faults.add({ status: 500, times: 1, path: '/calendarList' });
    const failure = await applicationFailure(api.listHubCalendars());
    assert.equal(failure.type, 'GoogleServerError');
    assert.equal(failure.nonRetryable, false);
    assert.deepEqual(failureDetails(failure), { system: 'Google', kind: 'ServerError', method: 'GET', path: 'users/me/calendarList', status: 500 });
    assert.deepEqual(limiter.backOffs, []);
    const start = performance.now();
    await otherWorker.acquire();
    assert.ok(performance.now() - start < 100, 'no pause after a server error');
    assert.deepEqual(await api.listHubCalendars(), []);
  });

  it('gives a non-retryable GoogleNotFound for a patch of an unknown event', async () => {
    const { api, limiter } = setup();
    const { id: calendarId } = await api.insertCalendar('ABC');
    const failure = await applicationFailure(api.patchEvent(calendarId, eventId(7), { summary: 'x' }));
    assert.equal(failure.type, 'GoogleNotFound');
    assert.equal(failure.nonRetryable, true);
    assert.equal(failureDetails(failure)?.status, 404);
    assert.equal(failureDetails(failure)?.method, 'PATCH');
    assert.deepEqual(wire().at(-1), [`PATCH ${EVENT}`, 404]);
    assert.deepEqual(limiter.backOffs, []);
    assert.deepEqual(sim.listEvents(calendarId, { includeDeleted: true }), [], 'the patch created nothing');
  });
});
