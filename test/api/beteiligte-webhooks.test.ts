import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import type { Redis } from 'ioredis';
import { beteiligteIngestWorkflowId } from '../../clients/temporal/ingest-workflow-id';
import { SyncRequester } from '../../clients/temporal/sync-requests';
import type { BeteiligteIngestInput, IngestItem } from '../../contracts/ingest';
import { HubEntityId, HubEntityType } from '../../contracts/search-attributes';
import { signWebhookBody } from '../../simulators/espocrm/simulator';
import { SANDBOX_ESPOCRM } from '../../simulators/sandbox-credentials';
import { beteiligteSyncWorkflowId } from '../../contracts/beteiligte';
import { TEST_API_KEY, startTestGateway, useWebhookGateway, workflowExists as workflowExistsIn, type TestGateway } from '../support/gateway';
import { decodedPayload, testDataConverter } from '../support/services';

const signed = (body: string) => signWebhookBody(SANDBOX_ESPOCRM.webhookId, SANDBOX_ESPOCRM.webhookSecret, body);

describe('gateway: EspoCRM Beteiligte webhooks', () => {
  // No worker polls this queue: the workflows stay where the gateway put them, for inspection.
  const taskQueue = `webhook-test-${randomUUID()}`;
  const setup = useWebhookGateway(taskQueue);
  let redis: Redis;
  let gateway: TestGateway;
  let client: Client;
  before(() => {
    ({ redis, gateway, client } = { redis: setup.redis(), gateway: setup.gateway(), client: setup.client() });
  });

  const post = (event: string, body: string, headers: Record<string, string>) =>
    fetch(`${gateway.url}/vmh/webhook/beteiligte/${event}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });

  const workflowExists = (espoId: string) => workflowExistsIn(client, beteiligteSyncWorkflowId(espoId));

  /** The input the hand-over workflow was started with, as Temporal recorded it. */
  const handOverInput = async (items: IngestItem[]): Promise<BeteiligteIngestInput> => {
    const history = await client.workflow.getHandle(beteiligteIngestWorkflowId(items)).fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    assert.ok(payload, 'the hand-over was started with an input');
    return decodedPayload<BeteiligteIngestInput>(payload);
  };

  it('records a signed batch in one hand-over workflow, each distinct Beteiligte once', async () => {
    const a = `espo-${randomUUID()}`;
    const b = `espo-${randomUUID()}`;
    const body = JSON.stringify([{ id: a, name: 'A' }, { id: b }, { id: a }]);
    const res = await post('update', body, { 'X-Signature': signed(body) });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { accepted: 2, echoes: 0 });
    const expected = [a, b].sort().map((espoId) => ({ espoId, reason: 'update' as const }));
    assert.deepEqual(await handOverInput(expected), { items: expected });
    const description = await client.workflow.getHandle(beteiligteIngestWorkflowId(expected)).describe();
    assert.equal(description.taskQueue, taskQueue);
  });

  it("sends a lone item straight to its Beteiligte's workflow, tagged for search", async () => {
    const id = `espo-${randomUUID()}`;
    const body = JSON.stringify([{ id, name: 'A' }]);
    const res = await post('update', body, { 'X-Signature': signed(body) });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { accepted: 1, echoes: 0 });
    const description = await client.workflow.getHandle(beteiligteSyncWorkflowId(id)).describe();
    assert.equal(description.taskQueue, taskQueue);
    assert.equal(description.typedSearchAttributes.get(HubEntityId), id);
    assert.equal(description.typedSearchAttributes.get(HubEntityType), 'CBeteiligte');
  });

  it('joins a re-delivered identical batch to the hand-over still running, instead of a second one', async () => {
    const ids = [`espo-${randomUUID()}`, `espo-${randomUUID()}`, `espo-${randomUUID()}`];
    const body = JSON.stringify(ids.map((id) => ({ id })));
    assert.equal((await post('create', body, { 'X-Signature': signed(body) })).status, 200);
    const items = ids.map((espoId) => ({ espoId, reason: 'create' as const }));
    const handle = client.workflow.getHandle(beteiligteIngestWorkflowId(items));
    const first = await handle.describe();
    assert.equal(first.status.name, 'RUNNING', 'no worker polls this queue, so the hand-over is still running');
    // EspoCRM delivers again, e.g. after it timed out on our first answer; the items come in another order.
    const again = JSON.stringify([...ids].reverse().map((id) => ({ id })));
    assert.equal((await post('create', again, { 'X-Signature': signed(again) })).status, 200);
    const second = await handle.describe();
    assert.equal(second.runId, first.runId);
    const history = await handle.fetchHistory();
    assert.equal(history.events?.filter((e) => e.workflowExecutionStartedEventAttributes).length, 1);
  });

  it("acknowledges the hub's own write (an update carrying stammdatenHash) without a sync; the other items go on", async () => {
    const echo = `espo-${randomUUID()}`;
    const b = `espo-${randomUUID()}`;
    const c = `espo-${randomUUID()}`;
    const body = JSON.stringify([
      { id: echo, firstName: 'Erika Maria', stammdatenHash: 'a1b2c3' },
      { id: b, lastName: 'Musterfrau' },
      { id: c, stammdatenHash: '' },
    ]);
    const res = await post('update', body, { 'X-Signature': signed(body) });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { accepted: 2, echoes: 1 });
    const expected = [b, c].sort().map((espoId) => ({ espoId, reason: 'update' as const }));
    assert.deepEqual(await handOverInput(expected), { items: expected });
    assert.equal(await workflowExists(echo), false);

    // Alone with one real edit, the edit goes straight to its Beteiligte; the echo still starts nothing.
    const d = `espo-${randomUUID()}`;
    const pair = JSON.stringify([
      { id: echo, stammdatenHash: 'a1b2c3' },
      { id: d, lastName: 'X' },
    ]);
    const second = await post('update', pair, { 'X-Signature': signed(pair) });
    assert.deepEqual(await second.json(), { accepted: 1, echoes: 1 });
    assert.ok(await workflowExists(d));
    assert.equal(await workflowExists(echo), false);

    // Only update items can be echoes: a create carries every attribute, stammdatenHash included.
    const created = JSON.stringify([{ id: echo, stammdatenHash: 'a1b2c3' }]);
    assert.deepEqual(await (await post('create', created, { 'X-Signature': signed(created) })).json(), { accepted: 1, echoes: 0 });
    assert.ok(await workflowExists(echo));
  });

  it('folds a second webhook for a running Beteiligte into the same workflow as a signal', async () => {
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

  it('answers 400 for a correctly signed body that is not JSON, whatever its content type', async () => {
    for (const contentType of ['text/plain', 'application/json', 'application/octet-stream']) {
      const res = await post('update', 'hello', { 'Content-Type': contentType, 'X-Signature': signed('hello') });
      assert.equal(res.status, 400, contentType);
      assert.match(((await res.json()) as { error: string }).error, /not valid JSON/);
    }
  });

  it('answers 400 "expected a JSON array of EspoCRM items" for a signed null', async () => {
    const res = await post('update', 'null', { 'X-Signature': signed('null') });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { error: 'expected a JSON array of EspoCRM items' });
  });

  it('answers 401 for an unsigned body that is not JSON', async () => {
    assert.equal((await post('update', 'hello', { 'Content-Type': 'text/plain' })).status, 401);
    assert.equal((await post('update', '\u0000\u0001garbage', { 'Content-Type': 'application/octet-stream', 'X-Signature': 'Zm9v' })).status, 401);
  });

  it('answers 413 for a batch over the body limit, signed or not', async () => {
    const body = JSON.stringify(Array.from({ length: 5_000 }, (_, i) => ({ id: `espo-${i}`, name: 'x'.repeat(20) })));
    assert.equal((await post('update', body, { 'X-Signature': signed(body) })).status, 413);
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

  /** A Temporal that accepts connections and never answers: every call waits until its deadline. */
  async function silentTemporal(): Promise<{ address: string; close(): Promise<void> }> {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    return {
      address: `127.0.0.1:${port}`,
      async close() {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  for (const [label, unreachable] of [
    ['refuses connections', () => Promise.resolve({ address: '127.0.0.1:9', close: () => Promise.resolve() })],
    ['never answers', silentTemporal],
  ] as const) {
    it(`answers 503 to every waiting request within the deadline when Temporal ${label}, never 2xx`, async () => {
      const temporal = await unreachable();
      const deadlineMs = 1_000;
      const deadTemporal = Connection.lazy({ address: temporal.address, connectTimeout: 500 });
      const offline = await startTestGateway({
        advowareUrl: 'http://127.0.0.1:9',
        tokenRedis: redis,
        overrides: {
          requester: new SyncRequester(new Client({ connection: deadTemporal, dataConverter: testDataConverter() }), taskQueue, deadlineMs),
        },
      });
      try {
        // A lone item, a batch, and requests that queue behind them: none may be acknowledged.
        const bodies = [
          JSON.stringify([{ id: `espo-${randomUUID()}` }]),
          ...Array.from({ length: 8 }, () => JSON.stringify([{ id: `espo-${randomUUID()}` }, { id: `espo-${randomUUID()}` }])),
        ];
        const started = Date.now();
        const answers = await Promise.all(
          bodies.map(async (body) => {
            const res = await fetch(`${offline.url}/vmh/webhook/beteiligte/update`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json', 'X-Signature': signed(body) },
              body,
            });
            return { status: res.status, ms: Date.now() - started };
          }),
        );
        for (const { status, ms } of answers) {
          assert.equal(status, 503);
          // Well before EspoCRM's own ~5 s delivery timeout, so EspoCRM sees the 503 and delivers again.
          assert.ok(ms < deadlineMs + 1_000, `503 came after ${ms} ms`);
        }
      } finally {
        // The calls behind the 503s end at their own deadline; closing the channel under them earlier would
        // reject them after the test ended.
        await sleep(deadlineMs);
        await offline.close();
        await deadTemporal.close().catch(() => undefined);
        await temporal.close();
      }
    });
  }
});
