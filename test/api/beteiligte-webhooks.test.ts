import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import type { Redis } from 'ioredis';
import { SyncRequester } from '../../clients/temporal/sync-requests';
import { signWebhookBody } from '../../simulators/espocrm/simulator';
import { SANDBOX_ESPOCRM } from '../../simulators/sandbox-credentials';
import { beteiligteSyncWorkflowId } from '../../contracts/beteiligte';
import { TEST_API_KEY, startTestGateway, type TestGateway } from '../support/gateway';
import { testRedis } from '../support/services';

const signed = (body: string) => signWebhookBody(SANDBOX_ESPOCRM.webhookId, SANDBOX_ESPOCRM.webhookSecret, body);

describe('gateway: EspoCRM Beteiligte webhooks', () => {
  let redis: Redis;
  let gateway: TestGateway;
  let client: Client;
  // No worker polls this queue: the workflows stay where the gateway put them, for inspection.
  const taskQueue = `webhook-test-${randomUUID()}`;

  before(async () => {
    redis = testRedis();
    gateway = await startTestGateway({ advowareUrl: 'http://127.0.0.1:9', tokenRedis: redis, readinessRedis: redis, tokenKey: 'unused', taskQueue });
    client = new Client({ connection: gateway.connection });
  });
  after(async () => {
    await gateway.close();
    redis.disconnect();
  });

  const post = (event: string, body: string, headers: Record<string, string>) =>
    fetch(`${gateway.url}/vmh/webhook/beteiligte/${event}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });

  const workflowExists = async (espoId: string) => {
    try {
      await client.workflow.getHandle(beteiligteSyncWorkflowId(espoId)).describe();
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  };

  it('accepts a signed batch and starts one workflow per distinct party, tagged for search', async () => {
    const a = `espo-${randomUUID()}`;
    const b = `espo-${randomUUID()}`;
    const body = JSON.stringify([{ id: a, name: 'A' }, { id: b }, { id: a }]);
    const res = await post('update', body, { 'X-Signature': signed(body) });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { accepted: 2 });
    const description = await client.workflow.getHandle(beteiligteSyncWorkflowId(a)).describe();
    assert.equal(description.taskQueue, taskQueue);
    assert.deepEqual(description.searchAttributes.HubEntityId, [a]);
    assert.deepEqual(description.searchAttributes.HubEntityType, ['CBeteiligte']);
    assert.ok(await workflowExists(b));
  });

  it('folds a second webhook for a running party into the same workflow as a signal', async () => {
    const id = `espo-${randomUUID()}`;
    const body = JSON.stringify([{ id }]);
    for (let i = 0; i < 3; i++) assert.equal((await post('update', body, { 'X-Signature': signed(body) })).status, 200);
    const history = await client.workflow.getHandle(beteiligteSyncWorkflowId(id)).fetchHistory();
    const starts = history.events?.filter((e) => e.workflowExecutionStartedEventAttributes) ?? [];
    const signals = history.events?.filter((e) => e.workflowExecutionSignaledEventAttributes) ?? [];
    assert.equal(starts.length, 1);
    assert.equal(signals.length, 3);
  });

  it('accepts the API key instead of a signature', async () => {
    const id = `espo-${randomUUID()}`;
    const res = await post('create', JSON.stringify([{ id }]), { 'X-API-Key': TEST_API_KEY });
    assert.equal(res.status, 200);
    assert.ok(await workflowExists(id));
  });

  it('answers 401 for a wrong signature and starts nothing', async () => {
    const id = `espo-${randomUUID()}`;
    const body = JSON.stringify([{ id }]);
    const forged = signWebhookBody(SANDBOX_ESPOCRM.webhookId, 'not-the-secret', body);
    assert.equal((await post('update', body, { 'X-Signature': forged })).status, 401);
    assert.equal((await post('update', body, {})).status, 401);
    // Signed for another body: a replayed signature does not cover a changed batch.
    assert.equal((await post('update', JSON.stringify([{ id, x: 1 }]), { 'X-Signature': signed(body) })).status, 401);
    assert.equal(await workflowExists(id), false);
  });

  for (const [label, body] of [
    ['an object instead of a batch', '{"id":"x"}'],
    ['an item without id', '[{"name":"no id"}]'],
    ['an empty id', '[{"id":"  "}]'],
    ['invalid JSON', '[{"id":'],
  ] as const) {
    it(`answers 400 for ${label} and starts nothing`, async () => {
      const res = await post('update', body, { 'X-Signature': signed(body) });
      assert.equal(res.status, 400);
      assert.ok(((await res.json()) as { error: string }).error.length > 0);
    });
  }

  it('answers 404 for an unknown event', async () => {
    const body = '[]';
    assert.equal((await post('rename', body, { 'X-Signature': signed(body) })).status, 404);
  });

  it('answers 503 when Temporal is unreachable, never 2xx', async () => {
    const deadTemporal = Connection.lazy({ address: '127.0.0.1:9', connectTimeout: 500 });
    const offline = await startTestGateway({
      advowareUrl: 'http://127.0.0.1:9',
      tokenRedis: redis,
      readinessRedis: redis,
      tokenKey: 'unused',
      overrides: { requester: new SyncRequester(new Client({ connection: deadTemporal }), taskQueue, 1_000) },
    });
    try {
      const body = JSON.stringify([{ id: `espo-${randomUUID()}` }]);
      const res = await fetch(`${offline.url}/vmh/webhook/beteiligte/update`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Signature': signed(body) },
        body,
      });
      assert.equal(res.status, 503);
    } finally {
      await offline.close();
    }
  });
});
