import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { Redis } from 'ioredis';
import { createAdvowareClient } from '../clients/advoware/client';
import { EspoCrmClient, type EspoEntity } from '../clients/espocrm/client';
import { SyncRequester } from '../clients/temporal/sync-requests';
import { activityConfigSchema, advowareEnv, parseEnv } from '../config/env';
import { espoToAdvoware, mergeForPut } from '../domain/beteiligte/mapping';
import type { EspoBeteiligte } from '../contracts/espocrm';
import { AdvowareSimulator } from '../simulators/advoware/simulator';
import { EspoCrmSimulator } from '../simulators/espocrm/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS, SANDBOX_ESPOCRM, advowareEnvFor, espocrmEnvFor, googleEnvFor } from '../simulators/sandbox-credentials';
import { beteiligteSyncWorkflowId, type BeteiligteSyncResult } from '../contracts/beteiligte';
import { composeActivities } from '../workers/activities';
import { createHubWorker } from '../workers/worker';
import { percentile, round, timed, type BenchRow } from './stats';

const ENTITY = 'CBeteiligte';

/**
 * Party sync figures (issue 3): one worker, the simulators and Temporal on this machine.
 * Latency is from the request (what the gateway does for a webhook) until both sides are
 * consistent; the same steps as bare client calls show what orchestration costs.
 */
export async function benchBeteiligte(samples = 30, drainCount = 1000): Promise<{ rows: BenchRow[]; json: Record<string, number> }> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const advoware = new AdvowareSimulator({ credentials: SANDBOX_ADVOWARE_CREDENTIALS, seed: { beteiligte: [], mitarbeiter: [], termine: [] } });
  const espocrm = new EspoCrmSimulator({ apiKey: SANDBOX_ESPOCRM.apiKey });
  const [advowareUrl, espocrmUrl] = await Promise.all([advoware.start(), espocrm.start()]);
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  const advowareClient = createAdvowareClient(parseEnv(advowareEnv, advowareEnvFor(advowareUrl)), redis, `bench:${randomUUID()}`);
  const espocrmClient = new EspoCrmClient({ baseUrl: `${espocrmUrl}/api/v1`, apiKey: SANDBOX_ESPOCRM.apiKey, timeoutMs: 10_000 });

  const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const taskQueue = `bench-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const client = new Client({ connection: await Connection.connect({ address }) });
  const requester = new SyncRequester(client, taskQueue);
  const worker = await createHubWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    maxConcurrentActivityTaskExecutions: 50,
    // Production settings; the Beteiligte benchmark never reaches Google: a closed port stands in for it.
    activities: composeActivities(
      parseEnv(activityConfigSchema, { ...advowareEnvFor(advowareUrl), ...espocrmEnvFor(espocrmUrl), ...googleEnvFor('http://127.0.0.1:9') }),
      { redis, client, taskQueue },
      { advoware: advowareClient, espocrm: espocrmClient },
    ),
  });
  const running = worker.run();

  const syncAndWait = async (id: string): Promise<BeteiligteSyncResult> => {
    await requester.requestBeteiligteSync(id, 'update');
    return client.workflow.getHandle(beteiligteSyncWorkflowId(id)).result();
  };
  const newParty = (i: number) => espocrm.userCreate(ENTITY, { firstName: 'Bench', lastName: `Party ${i}` }).id as string;

  // API calls per operation, from the runs' own counts (equal to what the simulators saw, see the tests).
  const id = newParty(0);
  const createCalls = (await syncAndWait(id)).runs[0]?.apiCalls ?? NaN;
  espocrm.userUpdate(ENTITY, id, { lastName: 'Edited' });
  const espoToAdvoCalls = (await syncAndWait(id)).runs[0]?.apiCalls ?? NaN;
  advoware.editBeteiligte(espocrm.getRecord(ENTITY, id)?.betnr as number, { name: 'Advoware edit' });
  const advoToEspoCalls = (await syncAndWait(id)).runs[0]?.apiCalls ?? NaN;
  const noChangeCalls = (await syncAndWait(id)).runs[0]?.apiCalls ?? NaN;

  // Latency of an EspoCRM edit until Advoware has it, through Temporal and bare.
  const viaTemporal: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < samples; i++) {
    espocrm.userUpdate(ENTITY, id, { lastName: `Temporal ${i}` });
    viaTemporal.push(await timed(() => syncAndWait(id)));
    espocrm.userUpdate(ENTITY, id, { lastName: `Bare ${i}` });
    bare.push(
      await timed(async () => {
        const entity: EspoBeteiligte = await espocrmClient.get<EspoBeteiligte & EspoEntity>(ENTITY, id);
        const current = await advowareClient.getBeteiligte(entity.betnr as number);
        const updated = await advowareClient.updateBeteiligte(current.betNr, mergeForPut(current, espoToAdvoware(entity)));
        await espocrmClient.update(ENTITY, id, { advowareRowId: updated.rowId, syncStatus: 'clean' });
      }),
    );
  }

  // Signal-with-start throughput, the work behind each webhook item.
  const ingestIds = Array.from({ length: 200 }, (_, i) => newParty(10_000 + i));
  const ingestLatencies: number[] = [];
  const ingestStart = Date.now();
  await Promise.all(ingestIds.map(async (pid) => ingestLatencies.push(await timed(() => requester.requestBeteiligteSync(pid, 'create')))));
  const ingestRate = ingestIds.length / ((Date.now() - ingestStart) / 1000);
  await Promise.all(ingestIds.map((pid) => client.workflow.getHandle(beteiligteSyncWorkflowId(pid)).result()));

  // Drain: parties made pending without webhooks, then one sweep.
  const drainIds = Array.from({ length: drainCount }, (_, i) => newParty(20_000 + i));
  const drainStart = Date.now();
  await client.workflow.execute('beteiligteSweepWorkflow', { taskQueue, workflowId: `bench-sweep-${randomUUID()}` });
  while (drainIds.some((pid) => espocrm.getRecord(ENTITY, pid)?.syncStatus !== 'clean')) await sleep(200);
  const drainSeconds = (Date.now() - drainStart) / 1000;

  worker.shutdown();
  await running;
  await Promise.all([advoware.stop(), espocrm.stop()]);
  redis.disconnect();

  const json = {
    latencyP50Ms: round(percentile(viaTemporal, 50)),
    latencyP95Ms: round(percentile(viaTemporal, 95)),
    bareP50Ms: round(percentile(bare, 50)),
    bareP95Ms: round(percentile(bare, 95)),
    orchestrationRatioP50: round(percentile(viaTemporal, 50) / percentile(bare, 50)),
    callsCreate: createCalls,
    callsEspoToAdvoware: espoToAdvoCalls,
    callsAdvowareToEspo: advoToEspoCalls,
    callsNoChange: noChangeCalls,
    ingestPerSecond: round(ingestRate, 0),
    ingestP99Ms: round(percentile(ingestLatencies, 99)),
    drainCount,
    drainSeconds: round(drainSeconds, 1),
    peakRssMb: round(process.resourceUsage().maxRSS / 1024, 0),
  };
  return {
    json,
    rows: [
      { figure: 'EspoCRM edit → Advoware p50 (Temporal)', value: json.latencyP50Ms, unit: 'ms' },
      { figure: 'EspoCRM edit → Advoware p95 (Temporal)', value: json.latencyP95Ms, unit: 'ms' },
      { figure: 'same steps, bare client calls p50', value: json.bareP50Ms, unit: 'ms' },
      { figure: 'same steps, bare client calls p95', value: json.bareP95Ms, unit: 'ms' },
      { figure: 'orchestration ratio p50', value: json.orchestrationRatioP50, unit: 'x' },
      { figure: 'API calls: create', value: createCalls, unit: 'calls', target: '≤ 3 (original 5)' },
      { figure: 'API calls: EspoCRM → Advoware', value: espoToAdvoCalls, unit: 'calls', target: '≤ 4 (original 5)' },
      { figure: 'API calls: Advoware → EspoCRM', value: advoToEspoCalls, unit: 'calls', target: '≤ 3 (original 4)' },
      { figure: 'API calls: no change', value: noChangeCalls, unit: 'calls', target: '≤ 2 (original 4)' },
      { figure: 'signal-with-start rate (webhook item)', value: json.ingestPerSecond, unit: '/s' },
      { figure: 'signal-with-start p99', value: json.ingestP99Ms, unit: 'ms' },
      { figure: `drain ${drainCount} pending parties via sweep`, value: json.drainSeconds, unit: 's' },
      { figure: 'peak RSS (worker + sims, one process)', value: json.peakRssMb, unit: 'MB' },
    ],
  };
}
