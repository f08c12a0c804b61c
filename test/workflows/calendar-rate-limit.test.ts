import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { maxInWindow } from '../../bench/stats';
import { readTags } from '../../domain/calendar/tags';
import type { HubEvent } from '../../domain/calendar/types';
import { AdvowareSimulator } from '../../simulators/advoware/simulator';
import type { NewTermin } from '../../simulators/advoware/termin-store';
import { GoogleCalendarSimulator } from '../../simulators/google/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS, SANDBOX_GOOGLE, advowareEnvFor, espocrmEnvFor, googleEnvFor } from '../../simulators/sandbox-credentials';
import { CALENDAR_SYNC_ALL_WORKFLOW_ID, calendarSyncWorkflowId, type CalendarSyncAllResult } from '../../contracts/calendar';
import type { calendarSyncAllWorkflow } from '../../workflows/calendar/sync-all';
import { freePort, startPrivateRedis, temporalAddress, testDataConverter, type PrivateRedis } from '../support/services';
import { startWorkerProcess, stopWorkerProcess, type WorkerProcess } from '../support/worker-process';

/**
 * A tenth of the production quota, so that the run outlasts a whole minute and fills it: the claim under test is
 * that no 60 s window sees more than the quota ARRIVE at Google, which a run shorter than a minute cannot show.
 */
const RATE_PER_MINUTE = 60;
const BURST = 5;
const EMPLOYEES = 3;
const TERMINE_PER_EMPLOYEE = 20;
const WINDOW_MS = 60_000;
/** How much later than its grant a call may reach the simulator in the short-window checks (a first googleapis request alone takes ~150 ms). */
const SEND_LATENCY_MS = 300;
/** Never reached during the test: the schedules the workers upsert at start-up must not start runs of their own. */
const NEVER_SECONDS = String(10 * 365 * 86_400);

/** A date `days` from today, as Advoware writes dates. */
function day(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T00:00:00`;
}

/** A realistic mix: mostly timed appointments, some all-day ones, a weekly series now and then. */
function terminFor(kuerzel: string, i: number): NewTermin {
  const date = day(1 + i * 3);
  if (i % 5 === 0) return { kuerzel, betreff: `Frist ${i}`, datum: date, dauertermin: true };
  if (i % 7 === 0)
    return {
      kuerzel,
      betreff: `Jour fixe ${i}`,
      datum: date,
      uhrzeitVon: '09:00:00',
      datumBis: date,
      uhrzeitBis: '09:30:00',
      turnus: 1,
      turnusArt: 2,
      turnusBis: day(90 + i),
    };
  const hour = String(8 + (i % 9)).padStart(2, '0');
  return { kuerzel, betreff: `Mandant ${i}`, datum: date, uhrzeitVon: `${hour}:00:00`, datumBis: date, uhrzeitBis: `${hour}:45:00` };
}

describe('calendar sync on two worker processes keeps the shared Google rate limit', () => {
  // Workflow ids are `calendar-sync/<kuerzel>` in the shared namespace: kuerzel of this run only.
  const run = randomUUID().slice(0, 6).toUpperCase();
  const kuerzels = Array.from({ length: EMPLOYEES }, (_, i) => `RL${run}${String(i).padStart(2, '0')}`);
  const advoware = new AdvowareSimulator({
    credentials: SANDBOX_ADVOWARE_CREDENTIALS,
    seed: {
      beteiligte: [],
      mitarbeiter: kuerzels.map((kuerzel) => ({ kuerzel, name: `Rate ${kuerzel}`, vorname: null, email: null, aktiv: true })),
      termine: kuerzels.flatMap((kuerzel) => Array.from({ length: TERMINE_PER_EMPLOYEE }, (_, i) => terminFor(kuerzel, i))),
    },
  });
  const google = new GoogleCalendarSimulator({ accessToken: SANDBOX_GOOGLE.accessToken, defaultTimeZone: 'Europe/Berlin' });
  const taskQueue = `rate-${randomUUID()}`;
  // Test files run in parallel and the bucket key is fixed (one bucket for the hub): a Redis of this test's own,
  // so no other test's Google calls draw on this bucket and none of this test's calls on theirs.
  let redis: PrivateRedis;
  let connection: Connection;
  let client: Client;
  const workers: WorkerProcess[] = [];

  async function workerEnv(): Promise<Record<string, string>> {
    return {
      ...advowareEnvFor(advoware.url),
      // Beteiligte sync is not part of this test; EspoCRM must be configured but is never called.
      ...espocrmEnvFor('http://127.0.0.1:9'),
      ...googleEnvFor(google.url),
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_TASK_QUEUE: taskQueue,
      REDIS_URL: redis.url,
      WORKER_METRICS_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
      GOOGLE_CALENDAR_RATE_PER_MINUTE: String(RATE_PER_MINUTE),
      GOOGLE_CALENDAR_BURST: String(BURST),
      CALENDAR_SYNC_CONCURRENCY: '4',
      // At one call a second, a call may wait for the limit far longer than for Google: no attempt may time out
      // while it waits (the calls must be exactly the expected ones).
      CALENDAR_SYNC_CALL_TIMEOUT_SECONDS: '120',
      CALENDAR_SYNC_INTERVAL_SECONDS: NEVER_SECONDS,
      BETEILIGTE_SYNC_SWEEP_INTERVAL_SECONDS: NEVER_SECONDS,
    };
  }

  before(async () => {
    await Promise.all([advoware.start(), google.start()]);
    redis = await startPrivateRedis();
    connection = await Connection.connect({ address: temporalAddress() });
    client = new Client({ connection, dataConverter: testDataConverter() });
    // One after the other: both upsert the schedules at start-up, which is made to be safe but need not be raced here.
    workers.push(await startWorkerProcess(await workerEnv()));
    workers.push(await startWorkerProcess(await workerEnv()));
  });
  after(async () => {
    await Promise.all(workers.map(stopWorkerProcess));
    await connection?.close();
    await Promise.all([advoware.stop(), google.stop(), redis?.stop()]);
  });

  it(`${EMPLOYEES} employees × ${TERMINE_PER_EMPLOYEE} Termine: both processes work, no minute sees more than the quota arrive at Google`, async (t) => {
    google.calls.reset();
    const result: CalendarSyncAllResult = await client.workflow.execute<typeof calendarSyncAllWorkflow>('calendarSyncAllWorkflow', {
      taskQueue,
      workflowId: `${CALENDAR_SYNC_ALL_WORKFLOW_ID}-${randomUUID()}`,
      args: [{}],
    });
    const failures = result.employees.filter((o) => o.status !== 'synced');
    const logs = () => workers.map((w) => w.output().slice(-3_000)).join('\n---\n');
    assert.deepEqual(failures, [], `every employee synced; worker logs:\n${logs()}`);
    assert.equal(result.synced, EMPLOYEES);

    // End state: one calendar per employee holding exactly that employee's appointments, tagged.
    for (const kuerzel of kuerzels) {
      const calendars = google.listCalendars().filter((c) => c.summary === `AW-${kuerzel}`);
      assert.equal(calendars.length, 1, `one calendar for ${kuerzel}`);
      const events = google.listEvents(calendars[0]!.id) as HubEvent[];
      const tagged = events.map((e) => readTags(e)?.frNr).sort();
      const termine = advoware
        .listTermine(kuerzel)
        .map((t) => t.frNr)
        .sort();
      assert.equal(termine.length, TERMINE_PER_EMPLOYEE);
      assert.deepEqual(tagged, termine, `${kuerzel}: one tagged event per Termin`);
    }

    // Both processes executed the employees' activities, Google writes included (from the children's histories).
    const inserts = new Map<string, number>(workers.map((w) => [w.identityPrefix, 0]));
    const anyActivity = new Map<string, number>(workers.map((w) => [w.identityPrefix, 0]));
    for (const kuerzel of kuerzels) {
      const history = await client.workflow.getHandle(calendarSyncWorkflowId(kuerzel)).fetchHistory();
      const typeByScheduledId = new Map<string, string>();
      for (const event of history.events ?? []) {
        const scheduled = event.activityTaskScheduledEventAttributes;
        if (scheduled) typeByScheduledId.set(String(event.eventId), scheduled.activityType?.name ?? '');
        const started = event.activityTaskStartedEventAttributes;
        if (!started) continue;
        const worker = workers.find((w) => started.identity?.startsWith(w.identityPrefix));
        assert.ok(worker, `activity started by an unknown worker: ${started.identity}`);
        anyActivity.set(worker.identityPrefix, (anyActivity.get(worker.identityPrefix) ?? 0) + 1);
        if (typeByScheduledId.get(String(started.scheduledEventId)) === 'googleInsertEvent') {
          inserts.set(worker.identityPrefix, (inserts.get(worker.identityPrefix) ?? 0) + 1);
        }
      }
    }
    t.diagnostic(`activities by process: ${JSON.stringify([...anyActivity])}, Google inserts: ${JSON.stringify([...inserts])}`);
    for (const [identity, count] of inserts)
      assert.ok(count > 0, `process ${identity} inserted Google events (activities by process: ${JSON.stringify([...anyActivity])})`);

    // The quota, from what Google (the simulator) saw ARRIVE, not from the grants: no 60 s window over it.
    const at = google.calls
      .filter()
      .map((c) => c.at)
      .sort((a, b) => a - b);
    const expectedCalls = EMPLOYEES * (TERMINE_PER_EMPLOYEE + 3); // calendarList, calendars.insert, events.list, inserts
    assert.equal(at.length, expectedCalls, 'Google calls: no retries, nothing extra');
    const spanMs = (at.at(-1) as number) - (at[0] as number);
    assert.ok(at.length > RATE_PER_MINUTE && spanMs > WINDOW_MS, `the run must outlast a full minute (${at.length} calls in ${spanMs} ms)`);
    const busiestMinute = maxInWindow(at, WINDOW_MS);
    const offsets = () => at.map((ms) => ms - (at[0] as number)).join(' ');
    assert.ok(
      busiestMinute <= RATE_PER_MINUTE,
      `${busiestMinute} calls arrived in one 60 s window, quota ${RATE_PER_MINUTE}; arrivals (ms): ${offsets()}`,
    );
    // And the quota was what paced the run (else the check above proves nothing): the busiest minute was full.
    assert.ok(busiestMinute >= RATE_PER_MINUTE - 2, `the busiest minute had only ${busiestMinute} of ${RATE_PER_MINUTE} calls`);

    // Paced within the minute, not a minute's worth at once: at most the burst plus the rate over any short window
    // (a call may land up to SEND_LATENCY_MS after its grant), plus 1 for rounding.
    const perMs = RATE_PER_MINUTE / WINDOW_MS;
    const seen: string[] = [`60 s: ${busiestMinute} (≤ ${RATE_PER_MINUTE})`];
    for (const windowMs of [1_000, 5_000, 10_000]) {
      const max = maxInWindow(at, windowMs);
      const allowed = Math.floor(BURST + perMs * (windowMs + SEND_LATENCY_MS) + 1);
      seen.push(`${windowMs / 1000} s: ${max} (≤ ${allowed})`);
      assert.ok(max <= allowed, `at most ${allowed} calls in any ${windowMs / 1000} s window, saw ${max}`);
    }
    t.diagnostic(`busiest windows: ${seen.join(', ')}; ${at.length} calls in ${spanMs} ms`);
  });
});
