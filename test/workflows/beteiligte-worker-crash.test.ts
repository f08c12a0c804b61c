import assert from 'node:assert/strict';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { SyncRequester } from '../../clients/temporal/sync-requests';
import type { EspoBeteiligte } from '../../contracts/espocrm';
import { AdvowareSimulator } from '../../simulators/advoware/simulator';
import { EspoCrmSimulator } from '../../simulators/espocrm/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS, SANDBOX_ESPOCRM, advowareEnvFor, espocrmEnvFor } from '../../simulators/sandbox-credentials';
import { beteiligteSyncWorkflowId, type BeteiligteSyncResult } from '../../contracts/beteiligte';
import { freePort, redisUrl, temporalAddress, testDataConverter } from '../support/services';
import { startWorkerProcess, stopWorkerProcess, type WorkerProcess } from '../support/worker-process';

const ENTITY = 'CBeteiligte';
const ADVOWARE_PUT = /^PUT .*Beteiligte/;

async function waitFor(what: string, check: () => boolean, timeoutMs = 20_000, intervalMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

describe('Beteiligte sync survives a worker crash between the Advoware write and the EspoCRM write', () => {
  const advoware = new AdvowareSimulator({ credentials: SANDBOX_ADVOWARE_CREDENTIALS, seed: { beteiligte: [], mitarbeiter: [], termine: [] } });
  const espocrm = new EspoCrmSimulator({ apiKey: SANDBOX_ESPOCRM.apiKey });
  const taskQueue = `crash-${randomUUID()}`;
  let connection: Connection;
  let requester: SyncRequester;
  let client: Client;
  const workers: WorkerProcess[] = [];

  async function workerEnv(): Promise<Record<string, string>> {
    return {
      ...advowareEnvFor(advoware.url),
      ...espocrmEnvFor(espocrm.url),
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_TASK_QUEUE: taskQueue,
      REDIS_URL: redisUrl(),
      WORKER_METRICS_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
      BETEILIGTE_SYNC_BACKOFF_SECONDS: '1,1,1,1,1',
      BETEILIGTE_SYNC_CALL_TIMEOUT_SECONDS: '5',
      BETEILIGTE_SYNC_SWEEP_INTERVAL_SECONDS: '3600',
      // Beteiligte sync only: Google is configured (the worker requires it) but never called.
      GOOGLE_CALENDAR_BASE_URL: 'http://127.0.0.1:9',
    };
  }

  before(async () => {
    await Promise.all([advoware.start(), espocrm.start()]);
    connection = await Connection.connect({ address: temporalAddress() });
    client = new Client({ connection, dataConverter: testDataConverter() });
    requester = new SyncRequester(client, taskQueue);
  });
  after(async () => {
    for (const { child } of workers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await connection.close();
    await Promise.all([advoware.stop(), espocrm.stop()]);
  });

  const entity = (id: string) => espocrm.getRecord(ENTITY, id) as unknown as EspoBeteiligte;
  const result = (id: string): Promise<BeteiligteSyncResult> => client.workflow.getHandle(beteiligteSyncWorkflowId(id)).result();

  it('the new worker finishes the run: one Advoware PUT, one successful EspoCRM PUT, status clean', async () => {
    const first = await startWorkerProcess(await workerEnv());
    workers.push(first);

    const created = espocrm.userCreate(ENTITY, { firstName: 'Erika', lastName: 'Mustermann', salutationName: 'Ms.' });
    const id = created.id;
    await requester.requestBeteiligteSync(id, 'manual');
    assert.equal((await result(id)).runs[0]?.decision, 'create');
    const betNr = entity(id).betnr as number;

    espocrm.userUpdate(ENTITY, id, { lastName: 'Musterfrau' });
    advoware.calls.reset();
    espocrm.calls.reset();
    // EspoCRM is down for writes: the run gets past the Advoware PUT and no further.
    const espoPut = `/api/v1/${ENTITY}/${id}$`;
    const outage = espocrm.faults.add({ method: 'PUT', path: espoPut, status: 503 });
    await requester.requestBeteiligteSync(id, 'update');
    await waitFor('the Advoware PUT and a failed EspoCRM PUT', () => advoware.calls.count(ADVOWARE_PUT) === 1 && espocrm.calls.count(/^PUT /) >= 1);
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    assert.equal(advoware.getBeteiligte(betNr).name, 'Musterfrau', 'Advoware was written before the crash');
    assert.notEqual(entity(id).syncStatus, 'clean', 'EspoCRM was not written before the crash');

    espocrm.faults.remove(outage.id);
    const second = await startWorkerProcess(await workerEnv());
    workers.push(second);
    const { runs } = await result(id);

    const last = runs.at(-1);
    assert.equal(last?.decision, 'espocrm_newer', 'the interrupted run finished as the run it was, not as a new decision');
    assert.equal(advoware.calls.count(ADVOWARE_PUT), 1, 'Advoware was written once, not again after the restart');
    const espoWrites = espocrm.calls.filter(/^PUT /).filter((call) => !call.faulted && call.status === 200);
    assert.equal(espoWrites.length, 1, 'EspoCRM was written once, by the new worker');
    const after = entity(id);
    assert.equal(after.syncStatus, 'clean');
    assert.equal(after.lastName, 'Musterfrau');
    assert.equal(after.advowareRowId, advoware.getBeteiligte(betNr).rowId, 'the rowId of the PUT answer reached EspoCRM');

    await stopWorkerProcess(second);
  });
});
