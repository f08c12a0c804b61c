import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { IllegalStateError } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { Redis } from 'ioredis';
import { createAdvowareClient } from '../clients/advoware/client';
import { GOOGLE_RATE_LIMIT_KEY } from '../clients/google/calendar-api';
import { CalendarStateStore } from '../clients/redis/calendar-state';
import { activityConfigSchema, advowareEnv, parseEnv } from '../config/env';
import { readTags } from '../domain/calendar/tags';
import type { HubEvent } from '../domain/calendar/types';
import { AdvowareSimulator } from '../simulators/advoware/simulator';
import type { NewTermin } from '../simulators/advoware/termin-store';
import { GoogleCalendarSimulator } from '../simulators/google/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS, SANDBOX_GOOGLE, advowareEnvFor, espocrmEnvFor, googleEnvFor } from '../simulators/sandbox-credentials';
import { CALENDAR_SYNC_ALL_WORKFLOW_ID, type CalendarSyncAllResult } from '../contracts/calendar';
import { composeActivities } from '../workers/activities';
import { createHubWorker } from '../workers/worker';
import { maxInWindow, round, type BenchRow } from './stats';

/** Advoware's token endpoint is not an API call of the sync (one per 53 minutes, shared through Redis). */
const TOKEN_ROUTE = /Token/;
/** `calendar-sync-all` lists the employees once per run; every other Advoware call belongs to one employee. */
const MITARBEITER_ROUTE = /Mitarbeiter/;
const ORIGINAL = 'original: 2–3 min for ~10 employees, sequential';

/** A date `days` from today, as Advoware writes dates. */
function day(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T00:00:00`;
}

/** An employee's year: 70 % timed appointments, 20 % all-day (deadlines), 10 % weekly series. */
function terminFor(kuerzel: string, i: number): NewTermin {
  const date = day(-20 + Math.floor(i * 1.7));
  if (i % 10 === 3 || i % 10 === 7) return { kuerzel, betreff: `Frist ${i}`, datum: date, dauertermin: true };
  if (i % 10 === 5) {
    return { kuerzel, betreff: `Jour fixe ${i}`, datum: date, uhrzeitVon: '09:00:00', datumBis: date, uhrzeitBis: '09:30:00', turnus: 1, turnusArt: 2, turnusBis: day(-20 + Math.floor(i * 1.7) + 56) };
  }
  const hour = String(8 + (i % 10)).padStart(2, '0');
  return { kuerzel, betreff: `Mandant ${i}`, ort: 'Kanzlei', datum: date, uhrzeitVon: `${hour}:00:00`, datumBis: date, uhrzeitBis: `${hour}:45:00` };
}

function installQuietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch (err) {
    // Another part of the benchmark installed it already.
    if (!(err instanceof IllegalStateError)) throw err;
  }
}

/**
 * Calendar sync figures (SPEC §6, §11): the initial sync of `employees` × `perEmployee` Advoware appointments
 * into empty Google calendars through `calendar-sync-all`, then the same run again with nothing changed. One
 * in-process worker with production settings (3 employees at a time, 7 writes each, Google at 600/min burst 7),
 * the simulators and Temporal on this machine. The initial sync is bound by Google's rate limit by design.
 */
export async function benchCalendar(employees = 10, perEmployee = 200): Promise<{ rows: BenchRow[]; json: Record<string, number> }> {
  installQuietRuntime();
  const kuerzels = Array.from({ length: employees }, (_, i) => `B${String(i + 1).padStart(2, '0')}`);
  const advoware = new AdvowareSimulator({
    credentials: SANDBOX_ADVOWARE_CREDENTIALS,
    seed: {
      beteiligte: [],
      mitarbeiter: kuerzels.map((kuerzel) => ({ kuerzel, name: `Bench ${kuerzel}`, vorname: null, email: null, aktiv: true })),
      termine: kuerzels.flatMap((kuerzel) => Array.from({ length: perEmployee }, (_, i) => terminFor(kuerzel, i))),
    },
  });
  const google = new GoogleCalendarSimulator({ accessToken: SANDBOX_GOOGLE.accessToken, defaultTimeZone: 'Europe/Berlin' });
  const [advowareUrl, googleUrl] = await Promise.all([advoware.start(), google.start()]);
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  // A full bucket at the start, whatever ran before on this Redis.
  await redis.del(GOOGLE_RATE_LIMIT_KEY);
  await Promise.all(kuerzels.map((k) => new CalendarStateStore(redis).clear(k)));

  const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const taskQueue = `bench-calendar-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const config = parseEnv(activityConfigSchema, { ...advowareEnvFor(advowareUrl), ...espocrmEnvFor('http://127.0.0.1:9'), ...googleEnvFor(googleUrl) });
  const worker = await createHubWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    maxConcurrentActivityTaskExecutions: 50,
    // Production settings; the calendar benchmark never reaches EspoCRM: a closed port stands in for it.
    activities: composeActivities(
      config,
      { redis, client, taskQueue },
      { advoware: createAdvowareClient(parseEnv(advowareEnv, advowareEnvFor(advowareUrl)), redis, `bench:${randomUUID()}`) },
    ),
  });
  const running = worker.run();

  const syncAll = async (): Promise<{ seconds: number; result: CalendarSyncAllResult }> => {
    const start = process.hrtime.bigint();
    const result: CalendarSyncAllResult = await client.workflow.execute('calendarSyncAllWorkflow', {
      taskQueue,
      workflowId: `${CALENDAR_SYNC_ALL_WORKFLOW_ID}-${randomUUID()}`,
      args: [{}],
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.synced !== employees) throw new Error(`calendar bench: ${result.synced} of ${employees} employees synced: ${JSON.stringify(result.employees)}`);
    return { seconds, result };
  };
  const seen = () => {
    const advowareCalls = advoware.calls.filter().filter((c) => !TOKEN_ROUTE.test(c.route));
    return {
      google: google.calls.filter().map((c) => c.at),
      advoware: advowareCalls.length,
      employeeLists: advowareCalls.filter((c) => MITARBEITER_ROUTE.test(c.route)).length,
    };
  };
  const reported = (result: CalendarSyncAllResult) =>
    result.employees.reduce(
      (sum, o) => (o.status === 'synced' ? { google: sum.google + o.result.googleCalls, advoware: sum.advoware + o.result.advowareCalls } : sum),
      { google: 0, advoware: 0 },
    );

  // Initial sync: every appointment becomes an event.
  advoware.calls.reset();
  google.calls.reset();
  const initial = await syncAll();
  const initialSeen = seen();
  const initialReported = reported(initial.result);
  for (const kuerzel of kuerzels) {
    const calendar = google.listCalendars().find((c) => c.summary === `${config.CALENDAR_SYNC_CALENDAR_PREFIX}${kuerzel}`);
    const tagged = calendar ? (google.listEvents(calendar.id) as HubEvent[]).filter((e) => readTags(e) !== undefined).length : 0;
    if (tagged !== perEmployee) throw new Error(`calendar bench: ${kuerzel} has ${tagged} tagged events, expected ${perEmployee}`);
  }
  // The employees' runs count their own calls; the simulators must have seen exactly those (plus the employee list).
  if (initialSeen.google.length !== initialReported.google || initialSeen.advoware - initialSeen.employeeLists !== initialReported.advoware) {
    console.warn(
      `calendar bench: the simulators saw ${initialSeen.google.length} Google / ${initialSeen.advoware - initialSeen.employeeLists} Advoware calls, ` +
        `the runs reported ${initialReported.google} / ${initialReported.advoware}`,
    );
  }
  const at = initialSeen.google;
  const spanMs = Math.max(1, Math.max(...at) - Math.min(...at));

  // Steady state: the same run with nothing changed.
  advoware.calls.reset();
  google.calls.reset();
  const steady = await syncAll();
  const steadySeen = seen();

  worker.shutdown();
  await running;
  await Promise.all([connection.close(), nativeConnection.close()]);
  await Promise.all([advoware.stop(), google.stop()]);
  redis.disconnect();

  const json = {
    employees,
    appointmentsPerEmployee: perEmployee,
    initialSeconds: round(initial.seconds, 1),
    initialGoogleCalls: at.length,
    initialAdvowareCalls: initialSeen.advoware,
    initialMaxGoogleCallsPer60s: maxInWindow(at, 60_000),
    initialMaxGoogleCallsPer1s: maxInWindow(at, 1_000),
    /** Past the first burst: what the bucket's rate alone let through. */
    initialGoogleCallsPerMinute: round(((at.length - config.GOOGLE_CALENDAR_BURST) / spanMs) * 60_000, 0),
    steadySeconds: round(steady.seconds, 2),
    steadyGoogleCalls: steadySeen.google.length,
    steadyAdvowareCalls: steadySeen.advoware,
    steadyEmployeeListCalls: steadySeen.employeeLists,
    steadyCallsPerEmployee: round((steadySeen.google.length + steadySeen.advoware - steadySeen.employeeLists) / employees, 2),
  };
  const n = `${employees} × ${perEmployee}`;
  return {
    json,
    rows: [
      { figure: `initial sync ${n} appointments`, value: json.initialSeconds, unit: 's', target: `rate-bound (~${Math.ceil(at.length / 10)} s at 10/s); ${ORIGINAL}` },
      { figure: 'initial: Google calls', value: json.initialGoogleCalls, unit: 'calls', target: `${employees} × (3 + ${perEmployee} inserts)` },
      { figure: 'initial: Advoware calls', value: json.initialAdvowareCalls, unit: 'calls', target: '1 per employee + 1 employee list' },
      { figure: 'initial: max Google calls in any 60 s', value: json.initialMaxGoogleCallsPer60s, unit: 'calls', target: '≤ 600 (SPEC §6; the burst counts within the minute)' },
      { figure: 'initial: max Google calls in any 1 s', value: json.initialMaxGoogleCallsPer1s, unit: 'calls', target: '≤ 17 (10/s + burst 7), +1 arrival jitter' },
      { figure: 'initial: Google calls/min past the burst', value: json.initialGoogleCallsPerMinute, unit: '/min', target: '≤ 593 (600 minus the burst)' },
      { figure: `steady state (no changes), ${employees} employees`, value: json.steadySeconds, unit: 's', target: ORIGINAL },
      { figure: 'steady state: API calls per employee', value: json.steadyCallsPerEmployee, unit: 'calls', target: `≤ 2 (+ ${json.steadyEmployeeListCalls} employee list per run)` },
    ],
  };
}
