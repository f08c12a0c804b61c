import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import type { Redis } from 'ioredis';
import { CalendarStateStore } from '../../clients/redis/calendar-state';
import { CalendarSyncRequester } from '../../clients/temporal/calendar-sync-requests';
import { readTags } from '../../domain/calendar/tags';
import { NEUTRAL_SUMMARY } from '../../domain/calendar/to-event';
import { AdvowareSimulator, type Termin } from '../../simulators/advoware/simulator';
import type { Simulator } from '../../simulators/core/simulator';
import { GoogleCalendarSimulator, type CalendarEvent } from '../../simulators/google/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS, SANDBOX_GOOGLE } from '../../simulators/sandbox-credentials';
import { CALENDAR_SYNC_ALL_WORKFLOW_ID, calendarSyncWorkflowId } from '../../contracts/calendar';
import { HubOutcome } from '../../contracts/search-attributes';
import type { calendarSyncAllWorkflow } from '../../workflows/calendar/sync-all';
import type { calendarSyncWorkflow } from '../../workflows/calendar/sync';
import { TEST_API_KEY, startTestGateway, workflowExists as workflowExistsIn, type TestGateway } from '../support/gateway';
import { testDataConverter, testRedis } from '../support/services';
import { createCalendarTestWorker } from '../support/calendar-worker';
import type { TestWorker } from '../support/worker';

/**
 * Kürzel of this file's own: workflow IDs (`calendar-sync/<kuerzel>`) and the Redis cursor are keyed by kuerzel
 * only, and test files may run in parallel against the same Temporal and Redis. GWX is active but only ever sent
 * in requests that must start nothing.
 */
const MITARBEITER = [
  { kuerzel: 'GWA', name: 'Gateway', vorname: 'Anna', email: null, aktiv: true },
  { kuerzel: 'GWB', name: 'Gateway', vorname: 'Bernd', email: null, aktiv: true },
  { kuerzel: 'GWX', name: 'Gateway', vorname: 'Xaver', email: null, aktiv: true },
  { kuerzel: 'GWOLD', name: 'Gateway', vorname: 'Otto', email: null, aktiv: false },
];

/** An all-day Termin `days` from today, as Advoware writes dates. */
function allDayIn(days: number): { datum: string; date: string; endDate: string } {
  const date = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const endDate = new Date(Date.now() + (days + 1) * 86_400_000).toISOString().slice(0, 10);
  return { datum: `${date}T00:00:00`, date, endDate };
}

/** Calls that change something (the Advoware token request aside). */
function writes(simulator: Simulator): string[] {
  return simulator.calls
    .filter()
    .filter((c) => c.method !== 'GET' && !c.route.includes('Token'))
    .map((c) => `${c.method} ${c.path} → ${c.status}`);
}

describe('gateway: POST /advoware/calendar/sync', () => {
  const advoware = new AdvowareSimulator({
    credentials: SANDBOX_ADVOWARE_CREDENTIALS,
    seed: { beteiligte: [], mitarbeiter: MITARBEITER, termine: [] },
  });
  const google = new GoogleCalendarSimulator({ accessToken: SANDBOX_GOOGLE.accessToken, defaultTimeZone: 'Europe/Berlin' });
  const prefix = `G${randomUUID().slice(0, 6)}-`;
  let redis: Redis;
  let hub: TestWorker;
  let gateway: TestGateway;
  let client: Client;

  before(async () => {
    const [advowareUrl, googleUrl] = await Promise.all([advoware.start(), google.start()]);
    redis = testRedis();
    const state = new CalendarStateStore(redis);
    await Promise.all(MITARBEITER.map((m) => state.clear(m.kuerzel)));
    hub = await createCalendarTestWorker({ advowareUrl, googleUrl, redis, prefix });
    // The gateway starts its workflows on the queue the test worker polls, so a 202 really runs the sync.
    gateway = await startTestGateway({
      advowareUrl,
      tokenRedis: redis,
      taskQueue: hub.taskQueue,
    });
    client = new Client({ connection: gateway.connection, dataConverter: testDataConverter() });
  });
  after(async () => {
    await gateway.close();
    await hub.close();
    await Promise.all([advoware.stop(), google.stop()]);
    redis.disconnect();
  });

  const post = (body: string, headers: Record<string, string> = { 'X-API-Key': TEST_API_KEY }, url = gateway.url) =>
    fetch(`${url}/advoware/calendar/sync`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });

  const workflowExists = (workflowId: string) => workflowExistsIn(client, workflowId);

  const calendarsOf = (kuerzel: string) => google.listCalendars().filter((c) => c.summary === `${prefix}${kuerzel}`);
  const eventsOf = (kuerzel: string): CalendarEvent[] => {
    const calendars = calendarsOf(kuerzel);
    assert.equal(calendars.length, 1, `one calendar for ${kuerzel}`);
    return google.listEvents(calendars[0]!.id);
  };

  /** Google shows exactly the employee's Termine: one tagged all-day event each, neutral title. */
  function assertSynced(kuerzel: string, termine: readonly Termin[]): void {
    const events = eventsOf(kuerzel);
    assert.equal(events.length, termine.length, `events of ${kuerzel}`);
    for (const termin of termine) {
      const event = events.find((e) => readTags(e)?.frNr === termin.frNr);
      assert.ok(event, `an event for Termin ${termin.frNr}`);
      assert.equal(readTags(event)?.rowId, termin.rowId);
      assert.equal(event.summary, NEUTRAL_SUMMARY);
      assert.deepEqual(event.start, { date: termin.datum.slice(0, 10), timeZone: 'Europe/Berlin' });
    }
  }

  /**
   * A rejected request changed nothing: no workflow for `kuerzel`, no write at either simulator, no calendar, and
   * Advoware's Termine as they were.
   */
  async function assertNothingStarted(kuerzel: string, termineBefore: readonly Termin[]): Promise<void> {
    assert.equal(await workflowExists(calendarSyncWorkflowId(kuerzel)), false, `no workflow for ${kuerzel}`);
    assert.deepEqual(writes(advoware), []);
    assert.deepEqual(writes(google), []);
    assert.deepEqual(calendarsOf(kuerzel), []);
    assert.deepEqual(advoware.listTermine(), termineBefore);
  }

  /** Runs `request` against fresh call logs and a Termin of GWX that a started sync would carry to Google. */
  async function rejected(request: () => Promise<Response>, status: number, kuerzel = 'GWX'): Promise<unknown> {
    if (!advoware.listTermine('GWX').length) advoware.addTermin({ kuerzel: 'GWX', datum: allDayIn(2).datum, dauertermin: true });
    const termineBefore = advoware.listTermine();
    advoware.calls.reset();
    google.calls.reset();
    const res = await request();
    assert.equal(res.status, status);
    const body: unknown = await res.json();
    await assertNothingStarted(kuerzel, termineBefore);
    return body;
  }

  for (const [label, body] of [
    ['a missing kuerzel', '{}'],
    ['a kuerzel of the wrong type', '{"kuerzel":42}'],
    ['full_content of the wrong type', '{"kuerzel":"GWX","full_content":"yes"}'],
    ['an extra field', '{"kuerzel":"GWX","priority":1}'],
    ['a kuerzel with a space', '{"kuerzel":"GW X"}'],
    ['a kuerzel with a slash', '{"kuerzel":"GWX/../ALL"}'],
    ['an empty kuerzel', '{"kuerzel":""}'],
    ['an array body', '[{"kuerzel":"GWX"}]'],
    ['invalid JSON', '{"kuerzel":'],
  ] as const) {
    it(`answers 400 for ${label} and starts nothing`, async () => {
      const answer = await rejected(() => post(body), 400);
      assert.equal(typeof (answer as { error?: unknown }).error, 'string');
      assert.equal(advoware.calls.count(), 0, 'rejected before Advoware is asked');
      assert.equal(await workflowExists(CALENDAR_SYNC_ALL_WORKFLOW_ID), false);
    });
  }

  it('answers 401 without or with a wrong API key and starts nothing', async () => {
    await rejected(() => post('{"kuerzel":"GWX"}', {}), 401);
    await rejected(() => post('{"kuerzel":"GWX"}', { 'X-API-Key': 'not-the-key' }), 401);
    await rejected(() => post('{"kuerzel":"ALL"}', {}), 401);
    assert.equal(await workflowExists(CALENDAR_SYNC_ALL_WORKFLOW_ID), false);
  });

  it('answers 404 for an unknown and for an inactive kuerzel and starts nothing', async () => {
    const unknown = await rejected(() => post('{"kuerzel":"NOPE"}'), 404, 'NOPE');
    assert.match((unknown as { error: string }).error, /NOPE/);
    advoware.addTermin({ kuerzel: 'GWOLD', datum: allDayIn(3).datum, dauertermin: true });
    await rejected(() => post('{"kuerzel":"gwold"}'), 404, 'GWOLD');
  });

  it('answers 202 with the workflow ID and the sync runs: Google shows the Termin, Advoware is only read', async () => {
    const termin = advoware.addTermin({ kuerzel: 'GWA', betreff: 'Vertraulich', datum: allDayIn(4).datum, dauertermin: true });
    advoware.calls.reset();
    // Lower case and blanks are accepted: the kuerzel is normalised before it names the workflow.
    const res = await post('{"kuerzel":" gwa "}');
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { workflowIds: ['calendar-sync/GWA'] });

    const handle = client.workflow.getHandle<typeof calendarSyncWorkflow>(calendarSyncWorkflowId('GWA'));
    const result = await hub.run(() => handle.result());
    assert.equal(result.kuerzel, 'GWA');
    assert.equal(result.actions.createEvent, 1);
    assert.equal((await handle.describe()).taskQueue, hub.taskQueue);
    assertSynced('GWA', [termin]);
    assert.deepEqual(writes(advoware), []);
    assert.deepEqual(advoware.listTermine('GWA'), [termin]);
  });

  it('a second trigger while the first sync runs joins it: same workflow ID and run, one more run with its full_content', async () => {
    const termin = advoware.addTermin({ kuerzel: 'GWB', betreff: 'Akte Berger', datum: allDayIn(5).datum, dauertermin: true });
    // Keeps the first run in flight: its Advoware list answers after 1.5 s.
    advoware.faults.add({ path: 'Termine', method: 'GET', latencyMs: 1_500, times: 1 });
    advoware.calls.reset();
    google.calls.reset();

    const first = await post('{"kuerzel":"GWB"}');
    assert.equal(first.status, 202);
    const handle = client.workflow.getHandle<typeof calendarSyncWorkflow>(calendarSyncWorkflowId('GWB'));
    try {
      const running = await handle.describe();
      assert.equal(running.status.name, 'RUNNING');
      assert.equal(await running.staticSummary(), 'Calendar of GWB');

      const second = await post('{"kuerzel":"GWB","full_content":true}');
      assert.equal(second.status, 202);
      assert.deepEqual(await second.json(), { workflowIds: ['calendar-sync/GWB'] });
      const joined = await handle.describe();
      assert.equal(joined.runId, running.runId, 'the second trigger did not start another workflow');
      assert.equal(joined.status.name, 'RUNNING');

      // The workflow's result is its last run's: the one the joining request asked for, with full content.
      const result = await hub.run(() => handle.result());
      assert.deepEqual([result.mode, result.actions.createEvent, result.actions.updateEvent], ['incremental', 0, 1]);
      const finished = await handle.describe();
      assert.equal(finished.runId, running.runId);
      assert.equal(finished.status.name, 'COMPLETED');
    } finally {
      // Whatever failed above, no run of GWB may still be writing when the next test starts.
      await handle.result().catch(() => undefined);
    }
    const listed = advoware.calls.filter().filter((c) => c.method === 'GET' && c.path.endsWith('/Termine'));
    assert.equal(listed.length, 2, 'Advoware was listed by two runs: the requests folded into one more');
    const inserted = google.calls.filter().filter((c) => c.method === 'POST' && c.path.endsWith('/events'));
    assert.equal(inserted.length, 1, 'one event inserted');
    const events = eventsOf('GWB');
    assert.deepEqual(
      events.map((e) => [readTags(e)?.frNr, e.summary]),
      [[termin.frNr, 'Akte Berger']],
    );
    assert.deepEqual(writes(advoware), []);
  });

  it('a trigger for a failing employee wakes its open workflow: the run after the fault clears completes it', async () => {
    const termin = advoware.addTermin({ kuerzel: 'GWA', datum: allDayIn(7).datum, dauertermin: true });
    const calendarPath = calendarsOf('GWA')[0]!.id.split('@')[0]!;
    google.faults.add({ path: `/calendars/${calendarPath}[^/]*/events$`, method: 'GET', status: 403 });
    const handle = client.workflow.getHandle<typeof calendarSyncWorkflow>(calendarSyncWorkflowId('GWA'));
    try {
      assert.equal((await post('{"kuerzel":"GWA"}')).status, 202);
      let failing = await handle.describe();
      for (const deadline = Date.now() + 15_000; failing.typedSearchAttributes.get(HubOutcome) !== 'failed'; failing = await handle.describe()) {
        assert.ok(Date.now() < deadline, 'the run records its failure');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.equal(failing.status.name, 'RUNNING', 'a failing employee waits for its retry or the next request');

      google.faults.clear();
      const res = await post('{"kuerzel":"GWA"}');
      assert.equal(res.status, 202);
      assert.deepEqual(await res.json(), { workflowIds: ['calendar-sync/GWA'] });
      const result = await hub.run(() => handle.result());
      assert.equal(result.actions.createEvent, 1);
      const done = await handle.describe();
      assert.deepEqual([done.runId, done.status.name, done.typedSearchAttributes.get(HubOutcome)], [failing.runId, 'COMPLETED', 'changed']);
    } finally {
      google.faults.clear();
      await handle.terminate('test over').catch(() => undefined);
    }
    assert.ok(eventsOf('GWA').some((e) => readTags(e)?.frNr === termin.frNr));
    assert.deepEqual(writes(advoware), []);
  });

  it('"ALL" answers 202 with calendar-sync-all, which syncs every active employee', async () => {
    // GWX is reserved for requests that must start nothing: inactive from here on.
    advoware.setMitarbeiter(MITARBEITER.map((m) => (m.kuerzel === 'GWX' ? { ...m, aktiv: false } : m)));
    const added = advoware.addTermin({ kuerzel: 'GWA', datum: allDayIn(6).datum, dauertermin: true });
    advoware.calls.reset();

    const res = await post('{"kuerzel":"ALL"}');
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { workflowIds: ['calendar-sync-all'] });
    const all = client.workflow.getHandle<typeof calendarSyncAllWorkflow>(CALENDAR_SYNC_ALL_WORKFLOW_ID);
    const result = await hub.run(() => all.result());
    assert.equal(result.outcome, 'all_synced');
    assert.equal(await (await all.describe()).staticSummary(), "All employees' calendars");
    assert.deepEqual(result.employees.map((o) => [o.kuerzel, o.status]).sort(), [
      ['GWA', 'synced'],
      ['GWB', 'synced'],
    ]);
    assert.equal(result.failed, 0);
    assert.ok(advoware.listTermine('GWA').some((t) => t.frNr === added.frNr));
    assertSynced('GWA', advoware.listTermine('GWA'));
    assertSynced('GWB', advoware.listTermine('GWB'));
    assert.deepEqual(calendarsOf('GWX'), []);
    assert.deepEqual(calendarsOf('GWOLD'), []);
    assert.deepEqual(writes(advoware), []);
  });

  it('answers 503 when Temporal is unreachable, and when Advoware is, never 2xx', async () => {
    const deadTemporal = Connection.lazy({ address: '127.0.0.1:9', connectTimeout: 500 });
    const noTemporal = await startTestGateway({
      advowareUrl: advoware.url,
      tokenRedis: redis,
      overrides: {
        calendarRequester: new CalendarSyncRequester(
          new Client({ connection: deadTemporal, dataConverter: testDataConverter() }),
          hub.taskQueue,
          1_000,
        ),
      },
    });
    const noAdvoware = await startTestGateway({
      advowareUrl: 'http://127.0.0.1:9',
      tokenRedis: redis,
      taskQueue: hub.taskQueue,
    });
    advoware.setMitarbeiter(MITARBEITER); // GWX active again: only the outage may stop it
    try {
      await rejected(() => post('{"kuerzel":"GWX"}', undefined, noTemporal.url), 503);
      assert.ok(advoware.calls.count() > 0, 'Advoware was reachable; Temporal was not');
      await rejected(() => post('{"kuerzel":"ALL"}', undefined, noTemporal.url), 503);
      await rejected(() => post('{"kuerzel":"GWX"}', undefined, noAdvoware.url), 503);
    } finally {
      await Promise.all([noTemporal.close(), noAdvoware.close()]);
    }
  });
});
