/**
 * The calendar sync on a production-like Temporal (temporal-server on PostgreSQL) with two production worker
 * processes, and Redis restarted in the middle of it: Redis holds the Advoware token the workers share, the Google
 * rate limiter (bucket and grant log) and the calendar cursors. Redis runs as in temporal-docker/docker-compose.yml
 * (append-only file), and is stopped with SIGTERM and started again on the same port and data, as `docker compose
 * restart redis` does. The sync completes, the quota holds in every 60 s window, and the token is not fetched anew
 * for every call.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { maxInWindow } from '../../bench/stats';
import { startWorker, type HubEnv, type HubProcess } from '../../bench/hub-processes';
import { CALENDAR_SYNC_ALL_WORKFLOW_ID, type CalendarSyncAllResult } from '../../contracts/calendar';
import { readTags } from '../../domain/calendar/tags';
import type { HubEvent } from '../../domain/calendar/types';
import { startRedis } from '../../scripts/lib/local-services';
import { Supervisor } from '../../scripts/lib/supervisor';
import { AdvowareSimulator } from '../../simulators/advoware/simulator';
import type { NewTermin } from '../../simulators/advoware/termin-store';
import { GoogleCalendarSimulator } from '../../simulators/google/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS, SANDBOX_GOOGLE, advowareEnvFor, espocrmEnvFor, googleEnvFor } from '../../simulators/sandbox-credentials';
import type { calendarSyncAllWorkflow } from '../../workflows/calendar/sync-all';
import { freePort, testDataConverter } from '../support/services';
import { hubTemporalEnv, productionSkipReason, startProductionTemporal, type ProductionTemporal } from '../../scripts/lib/production-temporal';

/** A tenth of production's quota, so that the run outlasts a whole minute and the quota is what paces it. */
const RATE_PER_MINUTE = 60;
const BURST = 5;
const EMPLOYEES = 3;
const TERMINE_PER_EMPLOYEE = 20;
const WINDOW_MS = 60_000;
/** Google calls that arrive before Redis is stopped: the restart lands in the middle of the run. */
const CALLS_BEFORE_RESTART = 25;
/** How long Redis stays down. */
const REDIS_DOWN_MS = 3_000;
const NEVER_SECONDS = String(10 * 365 * 86_400);

function day(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T00:00:00`;
}

function terminFor(kuerzel: string, i: number): NewTermin {
  const date = day(1 + i * 3);
  if (i % 5 === 0) return { kuerzel, betreff: `Frist ${i}`, datum: date, dauertermin: true };
  const hour = String(8 + (i % 9)).padStart(2, '0');
  return { kuerzel, betreff: `Mandant ${i}`, datum: date, uhrzeitVon: `${hour}:00:00`, datumBis: date, uhrzeitBis: `${hour}:45:00` };
}

/** redis-server as the compose file runs it (append-only file), restartable on the same port and data. */
class RestartableRedis {
  private supervisor?: Supervisor;
  readonly dir = mkdtempSync(join(tmpdir(), 'hub-production-redis-'));
  constructor(readonly port: number) {}
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    const bin = process.env.REDIS_SERVER;
    if (!bin) throw new Error('REDIS_SERVER is not set: run the tests with "npm test"');
    this.supervisor = new Supervisor({ log: () => undefined, onUnexpectedExit: () => undefined });
    await startRedis(this.supervisor, { bin, port: this.port, dir: this.dir, persist: true });
  }
  /** SIGTERM: Redis writes its append-only file and exits, as on `docker compose restart redis`. */
  async stop(): Promise<void> {
    await this.supervisor?.stopAll();
    this.supervisor = undefined;
  }
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe(
  'production-like Temporal (PostgreSQL): calendar sync on two workers survives a Redis restart',
  { skip: productionSkipReason, timeout: 15 * 60_000 },
  () => {
    const run = randomUUID().slice(0, 6).toUpperCase();
    const kuerzels = Array.from({ length: EMPLOYEES }, (_, i) => `PR${run}${String(i).padStart(2, '0')}`);
    const advoware = new AdvowareSimulator({
      credentials: SANDBOX_ADVOWARE_CREDENTIALS,
      seed: {
        beteiligte: [],
        mitarbeiter: kuerzels.map((kuerzel) => ({ kuerzel, name: `Redis ${kuerzel}`, vorname: null, email: null, aktiv: true })),
        termine: kuerzels.flatMap((kuerzel) => Array.from({ length: TERMINE_PER_EMPLOYEE }, (_, i) => terminFor(kuerzel, i))),
      },
    });
    const google = new GoogleCalendarSimulator({ accessToken: SANDBOX_GOOGLE.accessToken, defaultTimeZone: 'Europe/Berlin' });
    const logDir = mkdtempSync(join(tmpdir(), 'hub-production-calendar-'));
    let temporal: ProductionTemporal;
    let redis: RestartableRedis;
    let connection: Connection;
    let client: Client;
    const workers: HubProcess[] = [];

    before(async () => {
      const [advowareUrl, googleUrl] = await Promise.all([advoware.start(), google.start()]);
      redis = new RestartableRedis(await freePort());
      [temporal] = await Promise.all([startProductionTemporal('calendar'), redis.start()]);
      connection = await Connection.connect({ address: temporal.address });
      client = new Client({ connection, namespace: temporal.namespace, dataConverter: testDataConverter() });
      const env: HubEnv = {
        simulators: { ...advowareEnvFor(advowareUrl), ...espocrmEnvFor('http://127.0.0.1:9'), ...googleEnvFor(googleUrl) },
        temporalAddress: temporal.address,
        redisUrl: redis.url,
        taskQueue: `calendar-${run}`,
      };
      const extra = {
        ...hubTemporalEnv(temporal),
        GOOGLE_CALENDAR_RATE_PER_MINUTE: String(RATE_PER_MINUTE),
        GOOGLE_CALENDAR_BURST: String(BURST),
        CALENDAR_SYNC_CONCURRENCY: '4',
        // A call may wait for the limit far longer than for Google: no attempt may time out while it waits.
        CALENDAR_SYNC_CALL_TIMEOUT_SECONDS: '120',
        CALENDAR_SYNC_INTERVAL_SECONDS: NEVER_SECONDS,
        BETEILIGTE_SYNC_SWEEP_INTERVAL_SECONDS: NEVER_SECONDS,
      };
      // One after the other: both upsert the schedules at start-up.
      workers.push(await startWorker('worker-1', env, join(logDir, 'worker-1.log'), extra));
      workers.push(await startWorker('worker-2', env, join(logDir, 'worker-2.log'), extra));
    });
    after(async () => {
      await Promise.all(workers.map((w) => w.stop()));
      await connection?.close();
      await temporal?.destroy();
      await Promise.all([advoware.stop(), google.stop(), redis?.destroy()]);
    });

    it(`${EMPLOYEES} employees × ${TERMINE_PER_EMPLOYEE} Termine, Redis restarted after ${CALLS_BEFORE_RESTART} Google calls: the sync completes within the quota`, async (t) => {
      google.calls.reset();
      const started = Date.now();
      const handle = await client.workflow.start<typeof calendarSyncAllWorkflow>('calendarSyncAllWorkflow', {
        taskQueue: `calendar-${run}`,
        workflowId: `${CALENDAR_SYNC_ALL_WORKFLOW_ID}-${randomUUID()}`,
        args: [{}],
      });
      while (google.calls.count() < CALLS_BEFORE_RESTART) await sleep(50);
      await redis.stop();
      const downAt = Date.now();
      const callsAtStop = google.calls.count();
      await sleep(REDIS_DOWN_MS);
      await redis.start();
      t.diagnostic(`Redis down for ${((Date.now() - downAt) / 1000).toFixed(1)} s after ${callsAtStop} Google calls`);

      const result: CalendarSyncAllResult = await handle.result();
      const seconds = (Date.now() - started) / 1000;
      const failures = result.employees.filter((o) => o.status !== 'synced');
      assert.deepEqual(failures, [], 'every employee synced');
      assert.equal(result.synced, EMPLOYEES);

      // End state: one calendar per employee, one tagged event per Termin (nothing lost, nothing doubled).
      let lost = 0;
      let duplicates = 0;
      for (const kuerzel of kuerzels) {
        const calendars = google.listCalendars().filter((c) => c.summary === `AW-${kuerzel}`);
        assert.equal(calendars.length, 1, `one calendar for ${kuerzel}`);
        const tagged = (google.listEvents(calendars[0]!.id) as HubEvent[]).map((e) => readTags(e)?.frNr);
        const termine = advoware.listTermine(kuerzel).map((termin) => termin.frNr);
        lost += termine.filter((frNr) => !tagged.includes(frNr)).length;
        duplicates += tagged.length - new Set(tagged).size;
      }

      // The quota, from what Google saw arrive: no 60 s window over it, the restart included.
      const at = google.calls
        .filter()
        .map((c) => c.at)
        .sort((a, b) => a - b);
      const busiestMinute = maxInWindow(at, WINDOW_MS);
      t.diagnostic(
        `calendar with Redis restart: items ${EMPLOYEES * TERMINE_PER_EMPLOYEE} Termine, duration ${seconds.toFixed(1)} s, lost ${lost}, ` +
          `duplicates ${duplicates}, Google calls ${at.length}, busiest 60 s ${busiestMinute} (quota ${RATE_PER_MINUTE}), ` +
          `Advoware token requests ${advoware.tokensIssued}`,
      );
      assert.equal(lost, 0, 'every Termin is in Google');
      assert.equal(duplicates, 0, 'no Termin twice');
      assert.ok(at.length > RATE_PER_MINUTE, `the run must need more than a minute's quota (${at.length} calls)`);
      assert.ok(busiestMinute <= RATE_PER_MINUTE, `${busiestMinute} calls arrived in one 60 s window, quota ${RATE_PER_MINUTE}`);
      // The shared token outlived the restart (append-only file): fetched once, not once per worker or per call.
      assert.ok(advoware.tokensIssued <= workers.length, `Advoware tokens fetched: ${advoware.tokensIssued}`);
    });
  },
);
