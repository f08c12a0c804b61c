/**
 * The Beteiligte sync on a production-like Temporal (temporal-server on PostgreSQL, scripts/lib/production-temporal.ts):
 * parties created in EspoCRM reach the hub as signed webhooks (the EspoCRM simulator's batched delivery with retries)
 * through the gateway process, and two production worker processes (workers/main.ts) sync them. Then the same load
 * with a fault in the middle: a worker killed (SIGKILL), PostgreSQL's connections cut, the Temporal server restarted.
 * Every test checks the end state at the simulators: every party `clean` with its own Advoware Beteiligte, one
 * Advoware POST per party (lost = 0, duplicates = 0), and prints its figures.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it, type TestContext } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { BENCH_API_KEY, startGateway, startWorker, type GatewayProcess, type HubEnv, type HubProcess } from '../../bench/hub-processes';
import { beteiligteSyncWorkflowId } from '../../contracts/beteiligte';
import type { EspoBeteiligte } from '../../contracts/espocrm';
import { AdvowareSimulator } from '../../simulators/advoware/simulator';
import { EspoCrmSimulator, signWebhookBody } from '../../simulators/espocrm/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS, SANDBOX_ESPOCRM, advowareEnvFor, espocrmEnvFor, googleEnvFor } from '../../simulators/sandbox-credentials';
import { startPrivateRedis, testDataConverter, type PrivateRedis } from '../support/services';
import { hubTemporalEnv, productionSkipReason, startProductionTemporal, type ProductionTemporal } from '../../scripts/lib/production-temporal';

const ENTITY = 'CBeteiligte';
const ADVOWARE_POST = 'POST /api/v1/advonet/Beteiligte';

/** Parties of the load test (the 1,000); HUB_PRODUCTION_PARTIES makes it smaller or larger. */
const PARTIES = positiveInt('HUB_PRODUCTION_PARTIES', 1000);
/** Parties of each fault test (the same load by default); HUB_PRODUCTION_FAULT_PARTIES sets it apart. */
const FAULT_PARTIES = positiveInt('HUB_PRODUCTION_FAULT_PARTIES', PARTIES);
/** How long a test may wait for the last party before it counts the rest as lost. */
const SETTLE_MS = 8 * 60_000;
/** How long the Temporal server stays down in the restart test: long enough for webhook batches to hit the gap. */
const SERVER_DOWN_MS = 8_000;

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
}

interface Mark {
  started: number;
  posts: number;
  deliveries: number;
}

interface Figures {
  items: number;
  seconds: number;
  lost: number;
  /** Parties with more than one Advoware Beteiligte. */
  duplicates: number;
  advowarePosts: number;
}

/**
 * The attempts of a party's `advowareCreateBeteiligte` activities that Temporal recorded as completed, over every run
 * of its workflow. An attempt above 1 means an earlier attempt's completion never reached the server (the worker died,
 * or the server was down, after Advoware had answered).
 */
async function completedCreateAttempts(client: Client, espoId: string): Promise<number[]> {
  const attempts: number[] = [];
  for await (const execution of client.workflow.list({ query: `WorkflowId = '${beteiligteSyncWorkflowId(espoId)}'` })) {
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    const creates = new Set<string>();
    const startedAttempt = new Map<string, number>();
    for (const event of history.events ?? []) {
      const id = String(event.eventId);
      if (event.activityTaskScheduledEventAttributes?.activityType?.name === 'advowareCreateBeteiligte') creates.add(id);
      const started = event.activityTaskStartedEventAttributes;
      if (started) startedAttempt.set(id, started.attempt ?? 1);
      const completed = event.activityTaskCompletedEventAttributes;
      if (completed && creates.has(String(completed.scheduledEventId))) attempts.push(startedAttempt.get(String(completed.startedEventId)) ?? 1);
    }
  }
  return attempts;
}

describe(
  'production-like Temporal (PostgreSQL): Beteiligte sync through webhooks on two worker processes',
  { skip: productionSkipReason, timeout: 40 * 60_000 },
  () => {
    const advoware = new AdvowareSimulator({ credentials: SANDBOX_ADVOWARE_CREDENTIALS, seed: { beteiligte: [], mitarbeiter: [], termine: [] } });
    const espocrm = new EspoCrmSimulator({
      apiKey: SANDBOX_ESPOCRM.apiKey,
      webhookId: SANDBOX_ESPOCRM.webhookId,
      webhookSecret: SANDBOX_ESPOCRM.webhookSecret,
      // EspoCRM's queue delivers a failed batch again; these pauses (about 45 s in all) outlast a server restart.
      webhookRetryDelaysMs: [1_000, 2_000, 3_000, 4_000, 5_000, 5_000, 5_000, 5_000, 5_000, 5_000, 5_000],
    });
    const logDir = mkdtempSync(join(tmpdir(), 'hub-production-beteiligte-'));
    let temporal: ProductionTemporal;
    let redis: PrivateRedis;
    let env: HubEnv;
    let gateway: GatewayProcess;
    let connection: Connection;
    let client: Client;
    const workers: HubProcess[] = [];
    let workerCount = 0;

    async function addWorker(): Promise<HubProcess> {
      workerCount += 1;
      const worker = await startWorker(`worker-${workerCount}`, env, join(logDir, `worker-${workerCount}.log`), {
        ...hubTemporalEnv(temporal),
        // Seconds instead of minutes: a run failed by a fault is retried within the test. The call time-out stays
        // production's (60 s; a dead worker's POST is noticed by its 10 s heartbeat time-out).
        BETEILIGTE_SYNC_BACKOFF_SECONDS: '1,1,1,1,1',
      });
      workers.push(worker);
      return worker;
    }

    before(async () => {
      const [advowareUrl, espocrmUrl] = await Promise.all([advoware.start(), espocrm.start()]);
      [temporal, redis] = await Promise.all([startProductionTemporal('beteiligte'), startPrivateRedis()]);
      connection = await Connection.connect({ address: temporal.address });
      client = new Client({ connection, namespace: temporal.namespace, dataConverter: testDataConverter() });
      env = {
        simulators: { ...advowareEnvFor(advowareUrl), ...espocrmEnvFor(espocrmUrl), ...googleEnvFor('http://127.0.0.1:9') },
        temporalAddress: temporal.address,
        redisUrl: redis.url,
        taskQueue: 'hub-production-test',
      };
      // One after the other: both upsert the schedules at start-up.
      await addWorker();
      await addWorker();
      gateway = await startGateway('gateway', env, join(logDir, 'gateway.log'), hubTemporalEnv(temporal));
      for (const event of ['create', 'update', 'delete'])
        espocrm.registerWebhook(`${ENTITY}.${event}`, `${gateway.url}/vmh/webhook/beteiligte/${event}`);
    });
    after(async () => {
      await Promise.all(workers.map((w) => w.stop()));
      await gateway?.stop();
      await connection?.close();
      await temporal?.destroy();
      await Promise.all([advoware.stop(), espocrm.stop(), redis?.stop()]);
    });

    const entity = (id: string) => espocrm.getRecord(ENTITY, id) as unknown as EspoBeteiligte;

    /** Creates parties as CRM users do (each fires a `create` webhook), `perTick` every 100 ms. */
    async function createParties(label: string, count: number, from = 0, perTick = 50): Promise<string[]> {
      const ids: string[] = [];
      for (let i = from; i < from + count; i += 1) {
        ids.push(espocrm.userCreate(ENTITY, { firstName: 'Test', lastName: `${label}-${i}`, salutationName: 'Mr.' }).id);
        if ((i + 1) % perTick === 0) await sleep(100);
      }
      return ids;
    }

    /** Where a test starts: the clock, the POSTs and the webhook deliveries so far. */
    const mark = (): Mark => ({ started: Date.now(), posts: posts(), deliveries: espocrm.webhookDeliveries.length });

    const posts = () => advoware.calls.filter(ADVOWARE_POST).filter((c) => !c.faulted && c.status < 300).length;

    async function waitForPosts(count: number): Promise<void> {
      const deadline = Date.now() + SETTLE_MS;
      while (posts() < count) {
        if (Date.now() > deadline) assert.fail(`only ${posts()} of ${count} Advoware POSTs within ${SETTLE_MS} ms`);
        await sleep(50);
      }
    }

    /**
     * Waits until every party is `clean` (or the time is up), then counts what is missing and what is doubled. A party
     * may have a second Advoware Beteiligte only when `unrecordedAllowed` and its POST's completion never reached
     * Temporal (the POST landed, then the worker or the server went away before it was recorded; see the report in
     * docs/runbook.md): a POST Temporal recorded is never repeated.
     */
    async function settle(t: TestContext, name: string, label: string, ids: string[], from: Mark, unrecordedAllowed = false): Promise<Figures> {
      const deadline = Date.now() + SETTLE_MS;
      const unsynced = () => ids.filter((id) => entity(id).syncStatus !== 'clean' || typeof entity(id).betnr !== 'number');
      while (unsynced().length > 0 && Date.now() < deadline) await sleep(250);
      await espocrm.flushWebhooks();
      const seconds = (Date.now() - from.started) / 1000;

      const byName = new Map<string, number>();
      for (const party of advoware.listBeteiligte(`${label}-`)) byName.set(party.name ?? '', (byName.get(party.name ?? '') ?? 0) + 1);
      const betNrs = new Set(ids.map((id) => entity(id).betnr));
      const figures: Figures = {
        items: ids.length,
        seconds,
        lost: unsynced().length,
        duplicates: [...byName.values()].reduce((sum, n) => sum + n - 1, 0),
        advowarePosts: posts() - from.posts,
      };
      const failedDeliveries = espocrm.webhookDeliveries.filter((d) => d.status === 'failed');
      const redelivered = espocrm.webhookDeliveries.filter((d) => d.attempts > 1).length;
      t.diagnostic(
        `${name}: items ${figures.items}, duration ${seconds.toFixed(1)} s (${(figures.items / seconds).toFixed(1)}/s), lost ${figures.lost}, ` +
          `duplicates ${figures.duplicates}, Advoware POSTs ${figures.advowarePosts}, webhook batches delivered again ${redelivered}`,
      );
      const stuck = unsynced()
        .slice(0, 5)
        .map((id) => `${id}: ${String(entity(id).syncStatus)} ${String(entity(id).syncErrorMessage ?? '')}`);
      assert.equal(figures.lost, 0, `every party synced; still not clean, e.g. ${stuck.join('; ')}`);
      assert.equal(failedDeliveries.length, 0, 'EspoCRM delivered every webhook batch in the end');
      assert.equal(byName.size, ids.length, 'every party is in Advoware');
      assert.equal(betNrs.size, ids.length, 'every party carries its own betNr');
      assert.equal(figures.advowarePosts, ids.length + figures.duplicates, 'each POST made one Beteiligte');
      const doubled = [...byName].filter(([, n]) => n > 1).map(([partyName]) => partyName);
      if (!unrecordedAllowed) assert.deepEqual(doubled, [], 'one Advoware POST per party, none repeated');
      const idByName = new Map(ids.map((id) => [String(entity(id).lastName), id]));
      for (const partyName of doubled) {
        const id = idByName.get(partyName);
        assert.ok(id, `${partyName} is one of this test's parties`);
        const attempts = await completedCreateAttempts(client, id);
        assert.ok(
          attempts.length > 0 && attempts.every((attempt) => attempt > 1),
          `${partyName} was POSTed twice although Temporal recorded its first POST (completed attempts: ${attempts.join(', ')})`,
        );
      }
      if (doubled.length > 0)
        t.diagnostic(`${name}: ${doubled.length} POSTs repeated whose completion Temporal never recorded: ${doubled.join(', ')}`);
      const left = ids.filter((id) => ['syncing', 'pending_sync'].includes(String(entity(id).syncStatus)));
      assert.deepEqual(left, [], 'no party left in syncing or pending_sync');
      return figures;
    }

    it(`${PARTIES} parties created through signed webhooks: each synced exactly once (one Advoware POST each)`, async (t) => {
      const from = mark();
      const ids = await createParties('load', PARTIES);
      await settle(t, 'load', 'load', ids, from);
    });

    it(`worker killed (SIGKILL) during ${FAULT_PARTIES} parties: the other worker finishes everything, no recorded POST repeated`, async (t) => {
      const from = mark();
      const postsBefore = from.posts;
      const ids = await createParties('kill', FAULT_PARTIES);
      await waitForPosts(postsBefore + Math.ceil(FAULT_PARTIES / 4));
      const victim = workers.shift();
      assert.ok(victim);
      process.kill(victim.pid, 'SIGKILL');
      await victim.stop();
      t.diagnostic(`worker ${victim.name} killed after ${posts() - postsBefore} of ${FAULT_PARTIES} POSTs`);
      await settle(t, 'worker killed', 'kill', ids, from, true);
      // The next tests run on two workers again.
      await addWorker();
    });

    it(`PostgreSQL connections dropped during ${FAULT_PARTIES} parties: Temporal reconnects, nothing lost`, async (t) => {
      const from = mark();
      const postsBefore = from.posts;
      const ids = await createParties('pgdrop', FAULT_PARTIES);
      await waitForPosts(postsBefore + Math.ceil(FAULT_PARTIES / 4));
      const first = await temporal.dropDatabaseConnections();
      await waitForPosts(postsBefore + Math.ceil(FAULT_PARTIES / 2));
      const second = await temporal.dropDatabaseConnections();
      t.diagnostic(`pg_terminate_backend closed ${first} and then ${second} connections of ${temporal.prefix}_*`);
      assert.ok(first > 0 && second > 0, 'the server had connections to drop');
      await settle(t, 'PostgreSQL connections dropped', 'pgdrop', ids, from, true);
    });

    it(`Temporal server restarted during ${FAULT_PARTIES} parties: the gateway answers 503 meanwhile, EspoCRM delivers again, 0 lost`, async (t) => {
      const from = mark();
      const postsBefore = from.posts;
      const half = Math.floor(FAULT_PARTIES / 2);
      const ids = await createParties('restart', half);
      await waitForPosts(postsBefore + Math.ceil(half / 2));
      await temporal.stop();
      const downAt = Date.now();

      // While the server is down: the gateway cannot record a webhook, says so, and EspoCRM's batches fail for now.
      const body = JSON.stringify([{ id: ids[0] }]);
      const res = await fetch(`${gateway.url}/vmh/webhook/beteiligte/update`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Signature': signWebhookBody(SANDBOX_ESPOCRM.webhookId, SANDBOX_ESPOCRM.webhookSecret, body),
        },
        body,
      });
      await res.body?.cancel();
      assert.equal(res.status, 503, 'the gateway answers 503 while Temporal is down');
      const health = await fetch(`${gateway.url}/health`, { headers: { 'X-API-Key': BENCH_API_KEY } });
      await health.body?.cancel();
      assert.equal(health.status, 503, '/health reports Temporal down');
      ids.push(...(await createParties('restart', FAULT_PARTIES - half, half)));
      await sleep(Math.max(0, SERVER_DOWN_MS - (Date.now() - downAt)));
      await temporal.start();
      t.diagnostic(`Temporal server down for ${((Date.now() - downAt) / 1000).toFixed(1)} s`);

      await settle(t, 'Temporal server restarted', 'restart', ids, from, true);
      const retried = espocrm.webhookDeliveries.slice(from.deliveries).filter((d) => d.attempts > 1);
      assert.ok(retried.length > 0, 'batches sent while the server was down were delivered again');
    });
  },
);
