import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import type { Redis } from 'ioredis';
import { EspoCrmClient } from '../../clients/espocrm/client';
import { SyncRequester } from '../../clients/temporal/sync-requests';
import { beteiligteSyncWorkflowId, type BeteiligteSyncResult, type SyncReason } from '../../contracts/beteiligte';
import type { BeteiligteIngestWorkflow, IngestItem } from '../../contracts/ingest';
import { AdvowareSimulator } from '../../simulators/advoware/simulator';
import { EspoCrmSimulator, signWebhookBody } from '../../simulators/espocrm/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS, SANDBOX_ESPOCRM } from '../../simulators/sandbox-credentials';
import { advowareClientFor, startTestGateway, workflowExists as workflowExistsIn, type TestGateway } from '../support/gateway';
import { testRedis } from '../support/services';
import { createTestWorker, type TestWorker } from '../support/worker';

const ENTITY = 'CBeteiligte';
const signed = (body: string) => signWebhookBody(SANDBOX_ESPOCRM.webhookId, SANDBOX_ESPOCRM.webhookSecret, body);

/** The gateway's requester, noting what Temporal confirmed, at the moment it confirmed it. */
class RecordingRequester extends SyncRequester {
  readonly recorded = new Set<string>();
  readonly handOvers = new Map<string, IngestItem[]>();

  override async requestBeteiligteSync(espoId: string, reason: SyncReason, deadline?: number): Promise<void> {
    await super.requestBeteiligteSync(espoId, reason, deadline);
    this.recorded.add(`${reason}/${espoId}`);
  }

  override async handOverBeteiligte(items: readonly IngestItem[], deadline?: number): Promise<string> {
    const workflowId = await super.handOverBeteiligte(items, deadline);
    this.handOvers.set(workflowId, [...items]);
    for (const { espoId, reason } of items) this.recorded.add(`${reason}/${espoId}`);
    return workflowId;
  }
}

describe('webhook ingest: gateway, hand-over workflow and Beteiligte workflows on the real Temporal server', () => {
  const advoware = new AdvowareSimulator({ credentials: SANDBOX_ADVOWARE_CREDENTIALS, seed: { beteiligte: [], mitarbeiter: [], termine: [] } });
  const espocrm = new EspoCrmSimulator({
    apiKey: SANDBOX_ESPOCRM.apiKey,
    webhookId: SANDBOX_ESPOCRM.webhookId,
    webhookSecret: SANDBOX_ESPOCRM.webhookSecret,
  });
  let redis: Redis;
  let hub: TestWorker;
  let gateway: TestGateway;
  let requester: RecordingRequester;
  let client: Client;

  before(async () => {
    const [advowareUrl, espocrmUrl] = await Promise.all([advoware.start(), espocrm.start()]);
    redis = testRedis();
    hub = await createTestWorker({
      advoware: advowareClientFor(advowareUrl, redis, `test:${randomUUID()}`),
      espocrm: new EspoCrmClient({ baseUrl: `${espocrmUrl}/api/v1`, apiKey: SANDBOX_ESPOCRM.apiKey, timeoutMs: 5_000 }),
      env: { ESPOCRM_ADMIN_USER_ID: 'admin-user' },
    });
    client = hub.client;
    requester = new RecordingRequester(client, hub.taskQueue, 2_500);
    gateway = await startTestGateway({
      advowareUrl,
      tokenRedis: redis,
      taskQueue: hub.taskQueue,
      overrides: { requester },
    });
    for (const event of ['create', 'update', 'delete'])
      espocrm.registerWebhook(`${ENTITY}.${event}`, `${gateway.url}/vmh/webhook/beteiligte/${event}`);
  });
  after(async () => {
    await gateway.close();
    await hub.close();
    await Promise.all([advoware.stop(), espocrm.stop()]);
    redis.disconnect();
  });

  const workflowExists = (workflowId: string) => workflowExistsIn(client, workflowId);

  async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > until) assert.fail(`timed out waiting until ${what}`);
      await sleep(100);
    }
  }

  it('30 concurrent requests × 10 items: each 200 only once its items are recorded, and every Beteiligte workflow starts', async () => {
    const pool = Array.from({ length: 100 }, () => `espo-${randomUUID()}`);
    // Overlapping windows of the pool: most ids arrive in three requests, some of them with different events.
    const requests = Array.from({ length: 30 }, (_, r) => ({
      event: r % 3 === 0 ? ('create' as const) : ('update' as const),
      ids: Array.from({ length: 10 }, (_, k) => pool[(r * 3 + k) % pool.length] ?? ''),
    }));
    const answers = await hub.run(() =>
      Promise.all(
        requests.map(async ({ event, ids }) => {
          const body = JSON.stringify(ids.map((id) => ({ id, name: 'x' })));
          const res = await fetch(`${gateway.url}/vmh/webhook/beteiligte/${event}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-Signature': signed(body) },
            body,
          });
          // Checked the moment the answer arrives: Temporal had confirmed each of this request's items before.
          const unrecorded = ids.filter((id) => !requester.recorded.has(`${event}/${id}`));
          const json: unknown = await res.json();
          return { status: res.status, body: json, unrecorded, ids };
        }),
      ),
    );
    for (const answer of answers) {
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { accepted: new Set(answer.ids).size, echoes: 0 });
      assert.deepEqual(answer.unrecorded, []);
    }
    assert.ok(
      requester.handOvers.size < requests.length,
      `${requester.handOvers.size} hand-overs for ${requests.length} requests: groups were formed`,
    );

    const used = new Set(requests.flatMap((r) => r.ids));
    await eventually('every Beteiligte workflow exists', async () =>
      (await Promise.all([...used].map((id) => workflowExists(beteiligteSyncWorkflowId(id))))).every(Boolean),
    );
    for (const [workflowId, items] of requester.handOvers) {
      const result = await hub.run(() => client.workflow.getHandle<BeteiligteIngestWorkflow>(workflowId).result());
      assert.equal(result.requested, new Set(items.map((i) => `${i.reason}/${i.espoId}`)).size, workflowId);
    }
  });

  it("the hub's own advoware_newer write comes back as an update webhook and starts no run; a user's edit does", async () => {
    const created = espocrm.userCreate(ENTITY, { firstName: 'Erika', lastName: 'Mustermann', salutationName: 'Ms.', dateOfBirth: '1980-02-03' });
    const id = created.id;
    const handle = client.workflow.getHandle<() => Promise<BeteiligteSyncResult>>(beteiligteSyncWorkflowId(id));
    await espocrm.flushWebhooks();
    assert.equal((await hub.run(() => handle.result())).runs[0]?.decision, 'create');
    const betNr = espocrm.getRecord(ENTITY, id)?.betnr as number;

    // Changed in Advoware; an operator asks for the sync (there is no Advoware webhook).
    const deliveredBefore = espocrm.webhookDeliveries.length;
    advoware.editBeteiligte(betNr, { vorname: 'Erika Maria' });
    await new SyncRequester(client, hub.taskQueue).requestBeteiligteSync(id, 'manual');
    const { runId } = await handle.describe();
    const run = await hub.run(() => handle.result());
    assert.deepEqual(
      run.runs.map((r) => r.decision),
      ['advoware_newer'],
    );
    await espocrm.flushWebhooks();

    const echo = espocrm.webhookDeliveries.slice(deliveredBefore).find((d) => d.event === `${ENTITY}.update` && d.ids.includes(id));
    assert.ok(echo, "the hub's write to EspoCRM fired an update webhook");
    assert.equal(echo.httpStatus, 200);
    const latest = await handle.describe();
    assert.equal(latest.runId, runId, 'no new run for the echo');
    assert.equal(latest.status.name, 'COMPLETED');

    espocrm.userUpdate(ENTITY, id, { lastName: 'Musterfrau' });
    await espocrm.flushWebhooks();
    const edited = await handle.describe();
    assert.notEqual(edited.runId, runId, "a user's edit starts a run");
    assert.equal((await hub.run(() => handle.result())).runs[0]?.decision, 'espocrm_newer');
  });
});
