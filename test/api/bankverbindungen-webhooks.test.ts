import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { SyncRequester } from '../../clients/temporal/sync-requests';
import { bankverbindungenSyncRef, bankverbindungenSyncWorkflowId } from '../../contracts/bankverbindungen';
import { HubEntityId, HubEntityType } from '../../contracts/search-attributes';
import { signWebhookBody } from '../../simulators/espocrm/simulator';
import { SANDBOX_ESPOCRM } from '../../simulators/sandbox-credentials';
import { startTestGateway, useWebhookGateway, workflowExists } from '../support/gateway';
import { decodedPayload, testDataConverter } from '../support/services';

const signed = (body: string) => signWebhookBody(SANDBOX_ESPOCRM.webhookId, SANDBOX_ESPOCRM.webhookSecret, body);

describe('gateway: EspoCRM Bankverbindungen webhooks', () => {
  const taskQueue = `bank-webhook-test-${randomUUID()}`;
  const setup = useWebhookGateway(taskQueue);
  const post = (event: string, body: string, headers: Record<string, string>, url = setup.gateway().url) =>
    fetch(`${url}/vmh/webhook/bankverbindungen/${event}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
  const client = () => setup.client();
  const accountWorkflowExists = (espoId: string) => workflowExists(client(), bankverbindungenSyncWorkflowId(espoId));

  /** The signals the account's workflow holds, by reason, as Temporal recorded them. */
  const signalReasons = async (espoId: string): Promise<string[]> => {
    const history = await client().workflow.getHandle(bankverbindungenSyncWorkflowId(espoId)).fetchHistory();
    const payloads = (history.events ?? []).flatMap((e) => e.workflowExecutionSignaledEventAttributes?.input?.payloads?.slice(0, 1) ?? []);
    return Promise.all(payloads.map(async (payload) => (await decodedPayload<{ reason: string }>(payload)).reason));
  };

  it("signals-with-start each distinct account's workflow, tagged for search, before it answers 200", async () => {
    const a = `konto-${randomUUID()}`;
    const b = `konto-${randomUUID()}`;
    const body = JSON.stringify([{ id: a, iban: 'DE89370400440532013000' }, { id: b }, { id: a }]);
    const res = await post('create', body, { 'X-Signature': signed(body) });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { accepted: 2, echoes: 0 });
    for (const id of [a, b]) {
      const description = await client().workflow.getHandle(bankverbindungenSyncWorkflowId(id)).describe();
      assert.equal(description.type, bankverbindungenSyncRef.workflowType);
      assert.equal(description.taskQueue, taskQueue);
      assert.equal(description.typedSearchAttributes.get(HubEntityType), 'CBankverbindungen');
      assert.equal(description.typedSearchAttributes.get(HubEntityId), id);
    }
    assert.deepEqual(await signalReasons(a), ['create'], 'one signal for an id sent twice');
  });

  it('a delete is signalled as a delete (the workflow records it and applies nothing)', async () => {
    const id = `konto-${randomUUID()}`;
    const body = JSON.stringify([{ id }]);
    assert.equal((await post('delete', body, { 'X-Signature': signed(body) })).status, 200);
    assert.deepEqual(await signalReasons(id), ['delete']);
  });

  it("acknowledges the hub's own write coming back without starting anything", async () => {
    const id = `konto-${randomUUID()}`;
    const body = JSON.stringify([{ id, bankverbindungHash: '0123456789abcdef', syncStatus: 'clean' }]);
    const res = await post('update', body, { 'X-Signature': signed(body) });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { accepted: 0, echoes: 1 });
    assert.equal(await accountWorkflowExists(id), false);
  });

  it('answers 401 for a bad signature and starts nothing', async () => {
    const id = `konto-${randomUUID()}`;
    const body = JSON.stringify([{ id }]);
    const res = await post('update', body, { 'X-Signature': signed(`${body} `) });
    assert.equal(res.status, 401);
    assert.equal(await accountWorkflowExists(id), false);
    assert.equal((await post('update', body, {})).status, 401, 'no signature, no API key');
  });

  it('answers 400 for a signed body that is not JSON, not an array, or has bad items', async () => {
    for (const body of ['not json', '{"id":"x"}', '[{"name":"no id"}]', '[{"id":""}]', '[42]']) {
      const res = await post('create', body, { 'X-Signature': signed(body) });
      assert.equal(res.status, 400, body);
      assert.match(((await res.json()) as { error: string }).error, /JSON|array|id|expected/);
    }
  });

  it('answers 404 for an unknown event', async () => {
    const body = '[]';
    assert.equal((await post('rename', body, { 'X-Signature': signed(body) })).status, 404);
  });

  it('answers 503 within the deadline when Temporal refuses connections, never 2xx', async () => {
    const deadlineMs = 1_000;
    const deadTemporal = Connection.lazy({ address: '127.0.0.1:9', connectTimeout: 500 });
    const offline = await startTestGateway({
      advowareUrl: 'http://127.0.0.1:9',
      tokenRedis: setup.redis(),
      overrides: {
        requester: new SyncRequester(new Client({ connection: deadTemporal, dataConverter: testDataConverter() }), taskQueue, deadlineMs),
      },
    });
    try {
      const body = JSON.stringify([{ id: `konto-${randomUUID()}` }, { id: `konto-${randomUUID()}` }]);
      const started = Date.now();
      const res = await post('update', body, { 'X-Signature': signed(body) }, offline.url);
      assert.equal(res.status, 503);
      assert.ok(Date.now() - started < deadlineMs + 1_000, 'well before EspoCRM gives up on the delivery');
    } finally {
      await offline.close();
      await deadTemporal.close().catch(() => undefined);
    }
  });
});
