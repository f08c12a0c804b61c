import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import type { Redis } from 'ioredis';
import { SyncRequester } from '../../clients/temporal/sync-requests';
import { bankverbindungenSweepRef } from '../../contracts/bankverbindungen';
import { beteiligteSweepRef, beteiligteSyncWorkflowId, type BeteiligteSyncResult } from '../../contracts/beteiligte';
import { calendarSyncAllRef, type CalendarSyncAllWorkflow } from '../../contracts/calendar';
import type { EspoBeteiligte } from '../../contracts/espocrm';
import { AdvowareSimulator } from '../../simulators/advoware/simulator';
import { EspoCrmSimulator } from '../../simulators/espocrm/simulator';
import { GoogleCalendarSimulator } from '../../simulators/google/simulator';
import {
  SANDBOX_ADVOWARE_CREDENTIALS,
  SANDBOX_ESPOCRM,
  SANDBOX_GOOGLE,
  advowareEnvFor,
  espocrmEnvFor,
  googleEnvFor,
} from '../../simulators/sandbox-credentials';
import { eventually } from '../support/eventually';
import { TEST_API_KEY, startTestGateway, type TestGateway } from '../support/gateway';
import { deployedQueries, find, metricNamesIn, scrape, total, type Sample } from '../support/prometheus';
import { freePort, redisUrl, temporalAddress, testDataConverter, testRedis } from '../support/services';
import { startWorkerProcess, stopWorkerProcess, type WorkerProcess } from '../support/worker-process';

/**
 * SPEC §10 / issue 16: the production worker (workers/main.ts, its own process, so its runtime exports to Prometheus)
 * runs Beteiligte syncs that succeed, fail and fail for good, a conflict, a calendar sync and the sweeps; its
 * metrics port and the gateway's /metrics must then carry every series the alert rules and the dashboard read.
 */

const ENTITY = 'CBeteiligte';
const WORKFLOW = 'beteiligteSyncWorkflow';
/** An employee of this file's own: other files share the Redis that holds calendar cursors by kuerzel. */
const KUERZEL = `M${randomUUID()
  .replace(/[^a-f]/g, '')
  .slice(0, 3)
  .toUpperCase()}`;

describe('sync metrics on the worker Prometheus endpoint', () => {
  const advoware = new AdvowareSimulator({
    credentials: SANDBOX_ADVOWARE_CREDENTIALS,
    seed: { beteiligte: [], mitarbeiter: [{ kuerzel: KUERZEL, name: 'Metrik', vorname: 'Mia', email: null, aktiv: true }], termine: [] },
  });
  const espocrm = new EspoCrmSimulator({ apiKey: SANDBOX_ESPOCRM.apiKey });
  const google = new GoogleCalendarSimulator({ accessToken: SANDBOX_GOOGLE.accessToken, defaultTimeZone: 'Europe/Berlin' });
  const taskQueue = `metrics-${randomUUID()}`;
  let connection: Connection;
  let client: Client;
  let requester: SyncRequester;
  let worker: WorkerProcess | undefined;
  let metricsUrl: string;
  let redis: Redis;
  let gateway: TestGateway | undefined;

  before(async () => {
    const [advowareUrl, espocrmUrl, googleUrl] = await Promise.all([advoware.start(), espocrm.start(), google.start()]);
    connection = await Connection.connect({ address: temporalAddress() });
    client = new Client({ connection, dataConverter: testDataConverter() });
    requester = new SyncRequester(client, taskQueue);
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    worker = await startWorkerProcess({
      ...advowareEnvFor(advowareUrl),
      ...espocrmEnvFor(espocrmUrl),
      ...googleEnvFor(googleUrl),
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_TASK_QUEUE: taskQueue,
      REDIS_URL: redisUrl(),
      WORKER_METRICS_PORT: String(port),
      WORKER_FAILING_ENTITIES_POLL_SECONDS: '1',
      LOG_LEVEL: 'info',
      BETEILIGTE_SYNC_BACKOFF_SECONDS: '1,1,1,1,1',
      BETEILIGTE_SYNC_CALL_TIMEOUT_SECONDS: '5',
      BETEILIGTE_SYNC_SWEEP_INTERVAL_SECONDS: '3600',
      CALENDAR_SYNC_INTERVAL_SECONDS: '3600',
      CALENDAR_SYNC_CALL_TIMEOUT_SECONDS: '5',
      CALENDAR_SYNC_CALENDAR_PREFIX: `M${randomUUID().slice(0, 6)}-`,
    });
    redis = testRedis();
    gateway = await startTestGateway({ advowareUrl, tokenRedis: redis });
  });
  after(async () => {
    if (worker) await stopWorkerProcess(worker);
    await gateway?.close();
    await connection?.close();
    redis?.disconnect();
    await Promise.all([advoware.stop(), espocrm.stop(), google.stop()]);
  });

  const entity = (id: string) => espocrm.getRecord(ENTITY, id) as unknown as EspoBeteiligte;
  const result = (id: string): Promise<BeteiligteSyncResult> => client.workflow.getHandle(beteiligteSyncWorkflowId(id)).result();
  const metrics = (): Promise<Sample[]> => scrape(metricsUrl);
  /** Waits until the worker's endpoint shows `name{labels}` at `min` or more (workflow metrics are exported once per second). */
  const reaches = (name: string, labels: Record<string, string>, min = 1): Promise<Sample[]> =>
    eventually(
      async () => {
        const samples = await metrics();
        return total(samples, name, labels) >= min ? samples : undefined;
      },
      30_000,
      `${name} ${JSON.stringify(labels)} >= ${min}`,
    );

  async function syncedPerson(lastName: string): Promise<{ id: string; betNr: number }> {
    const { id } = espocrm.userCreate(ENTITY, { firstName: 'Erika', lastName, salutationName: 'Ms.', assignedUserId: 'user-m' });
    await requester.requestBeteiligteSync(id, 'manual');
    assert.equal((await result(id)).runs.at(-1)?.decision, 'create');
    return { id, betNr: entity(id).betnr as number };
  }

  it('counts Beteiligte runs by outcome (synced, failed, permanently failed, conflict) and the API calls and errors by system and kind', async () => {
    const synced = await syncedPerson('Synchron');
    let samples = await reaches('hub_sync_runs_total', { workflow: WORKFLOW, outcome: 'create' });
    assert.ok(total(samples, 'hub_api_calls_total', { system: 'EspoCrm', result: 'ok' }) >= 2, 'EspoCRM reads and the write-back are counted');
    assert.ok(total(samples, 'hub_api_calls_total', { system: 'Advoware', result: 'ok' }) >= 1, 'the Advoware create is counted');
    const runBuckets = find(samples, 'hub_sync_run_duration_seconds_bucket', { workflow: WORKFLOW, outcome: 'create' }).map((s) => s.labels.le);
    assert.ok(runBuckets.includes('0.5') && runBuckets.includes('600'), `run durations use the hub's second buckets: ${runBuckets.join(', ')}`);

    // Failed: more 503s than one attempt retries; the next attempt after the backoff succeeds.
    espocrm.userUpdate(ENTITY, synced.id, { lastName: 'Nach Ausfall' });
    const outage = advoware.faults.add({ method: 'PUT', path: 'Beteiligte', status: 503, times: 4 });
    await requester.requestBeteiligteSync(synced.id, 'update');
    assert.deepEqual(
      (await result(synced.id)).runs.map((r) => r.decision),
      ['failed', 'espocrm_newer'],
    );
    advoware.faults.remove(outage.id);
    samples = await reaches('hub_sync_runs_total', { workflow: WORKFLOW, outcome: 'failed' });
    assert.ok(total(samples, 'hub_sync_runs_total', { workflow: WORKFLOW, outcome: 'espocrm_newer' }) >= 1);
    assert.ok(total(samples, 'hub_api_errors_total', { system: 'Advoware', kind: 'ServerError' }) >= 4, 'every 503 is an Advoware ServerError');
    assert.ok(total(samples, 'hub_api_calls_total', { system: 'Advoware', result: 'error' }) >= 4);

    // Conflict: both sides changed since the last sync; EspoCRM wins.
    advoware.editBeteiligte(synced.betNr, { name: 'Advoware-Seite' });
    espocrm.userUpdate(ENTITY, synced.id, { lastName: 'Espo-Seite' });
    await requester.requestBeteiligteSync(synced.id, 'update');
    assert.equal((await result(synced.id)).runs.at(-1)?.decision, 'conflict');
    await reaches('hub_sync_conflicts_total', { workflow: WORKFLOW });

    // Permanently failed: Advoware rejects the write (400); the workflow stays open, listed as failing now.
    const rejected = await syncedPerson('Abgelehnt');
    espocrm.userUpdate(ENTITY, rejected.id, { lastName: 'Ungueltig' });
    const rejection = advoware.faults.add({ method: 'PUT', path: 'Beteiligte', status: 400, body: { Message: 'Validierung fehlgeschlagen' } });
    await requester.requestBeteiligteSync(rejected.id, 'update');
    samples = await reaches('hub_sync_runs_total', { workflow: WORKFLOW, outcome: 'permanently_failed' });
    advoware.faults.remove(rejection.id);
    assert.ok(total(samples, 'hub_api_errors_total', { system: 'Advoware', kind: 'BadRequest' }) >= 1);
    for (const sample of find(samples, 'hub_api_errors_total')) {
      assert.ok(sample.labels.activityType, 'every error names its call (the activity)');
    }
    await reaches('hub_entities_failing', { entity_type: ENTITY, status: 'permanently_failed' });
    samples = await metrics();
    assert.deepEqual(
      find(samples, 'hub_entities_failing', { entity_type: 'Calendar' })
        .map((s) => `${s.labels.status}=${s.value}`)
        .sort(),
      ['failed=0', 'invalid=0', 'permanently_failed=0'],
      'every entity type and status is reported, 0 included',
    );
  });

  it("a calendar sync records the employee's last sync, Google calls and the bucket's waits against its quota", async () => {
    const before = Math.floor(Date.now() / 1000);
    const outcome = await client.workflow.execute<CalendarSyncAllWorkflow>(calendarSyncAllRef.workflowType, {
      taskQueue,
      workflowId: `calendar-sync-all-${randomUUID()}`,
      args: [{}],
    });
    assert.equal(outcome.failed, 0, JSON.stringify(outcome));
    const samples = await reaches('hub_calendar_last_synced_timestamp_seconds', { kuerzel: KUERZEL });
    const [synced] = find(samples, 'hub_calendar_last_synced_timestamp_seconds', { kuerzel: KUERZEL });
    assert.ok(synced && synced.value >= before - 1 && synced.value <= Date.now() / 1000 + 1, `last sync ${synced?.value} is this run`);
    assert.ok(total(samples, 'hub_api_calls_total', { system: 'Google', result: 'ok' }) >= 2, 'Google calls are counted');
    assert.ok(total(samples, 'hub_rate_limit_wait_seconds_count', { system: 'Google' }) >= 2, 'every Google call took a grant');
    assert.deepEqual(
      [...new Set(find(samples, 'hub_rate_limit_quota_per_minute', { system: 'Google' }).map((s) => s.value))],
      [600],
      'the configured quota (GOOGLE_CALENDAR_RATE_PER_MINUTE)',
    );
    assert.ok(total(samples, 'hub_sync_runs_total', { workflow: 'calendarSyncWorkflow' }) >= 1);
    await reaches('hub_sync_last_run_timestamp_seconds', { workflow: 'calendarSyncAllWorkflow' });
  });

  it('every metric the alert rules and the dashboard read is exported by the worker or the gateway', async () => {
    // The schedule alert watches the sweeps' last runs too.
    for (const { workflowType } of [beteiligteSweepRef, bankverbindungenSweepRef]) {
      await client.workflow.execute(workflowType, { taskQueue, workflowId: `metrics-sweep-${randomUUID()}` });
      await reaches('hub_sync_last_run_timestamp_seconds', { workflow: workflowType });
    }
    // A webhook through the gateway, so its request and item metrics have samples.
    assert.ok(gateway);
    const webhook = await fetch(`${gateway.url}/vmh/webhook/beteiligte/update`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': TEST_API_KEY },
      body: JSON.stringify([{ id: `espo-${randomUUID()}` }]),
    });
    assert.equal(webhook.status, 200);
    const exported = new Set(
      [...(await metrics()), ...(await scrape(`${gateway.url}/metrics`))].map((s) => s.name.replace(/_(?:bucket|sum|count)$/, '')),
    );

    const queries = deployedQueries();
    assert.ok(queries.length >= 10, 'the rules and the dashboard were read');
    const missing = queries.flatMap(({ where, expr }) =>
      metricNamesIn(expr)
        .filter((name) => !exported.has(name))
        .map((name) => `${name} (${where})`),
    );
    assert.deepEqual(missing, [], 'metrics read by an alert rule or a dashboard panel but not exported');
  });
});
