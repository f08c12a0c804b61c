import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { after, before } from 'node:test';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { createApp, type GatewayDeps } from '../../api/app';
import { redisReadiness, temporalReadiness } from '../../api/readiness';
import { createAdvowareClient, type AdvowareClient } from '../../clients/advoware/client';
import { advowareEnv, gatewayEnv, parseEnv } from '../../config/env';
import { createGatewayMetrics } from '../../lib/metrics';
import { AesGcmPayloadCodec } from '../../lib/payload-codec';
import { SANDBOX_ESPOCRM, advowareEnvFor } from '../../simulators/sandbox-credentials';
import { CalendarSyncRequester } from '../../clients/temporal/calendar-sync-requests';
import { SyncRequester } from '../../clients/temporal/sync-requests';
import { temporalAddress, testDataConverter, testPayloadKeys, testRedis } from './services';

export const TEST_API_KEY = 'test-hub-key';
/** The Web UI origin the test gateway's /codec admits (CORS), and the UI's decode-only token. */
export const TEST_UI_ORIGIN = 'http://127.0.0.1:8233';
export const TEST_CODEC_UI_TOKEN = 'test-codec-ui-token-0123456789abcdef';

/** Production's default, so the gateway under test gives up on Temporal when production would. */
const WEBHOOK_DEADLINE_MS = gatewayEnv.shape.WEBHOOK_TEMPORAL_DEADLINE_MS.parse(undefined);

/** The hub's Advoware client for a simulator at `url`, its token cached under a key of the test's own. */
export function advowareClientFor(url: string, redis: Redis, tokenKey: string, timeoutMs = 2_000): AdvowareClient {
  const config = parseEnv(advowareEnv, { ...advowareEnvFor(url), ADVOWARE_TIMEOUT_MS: String(timeoutMs) });
  return createAdvowareClient(config, redis, tokenKey);
}

export interface TestGateway {
  url: string;
  connection: Connection;
  close(): Promise<void>;
}

/** The gateway app on a free port with the real Temporal connection and the given Redis for readiness. */
export async function startTestGateway(options: {
  advowareUrl: string;
  tokenRedis: Redis;
  /** The Redis `/health/ready` pings; the token's by default. */
  readinessRedis?: Redis;
  /** The proxy's Advoware token key; a fresh one by default, so no other test's token is reused. */
  tokenKey?: string;
  /** Where webhook-started workflows go; a queue no worker polls when the test only checks the gateway. */
  taskQueue?: string;
  overrides?: Partial<GatewayDeps>;
}): Promise<TestGateway> {
  const connection = await Connection.connect({ address: temporalAddress() });
  const client = new Client({ connection, dataConverter: testDataConverter() });
  const taskQueue = options.taskQueue ?? 'gateway-test-no-worker';
  const requester = new SyncRequester(client, taskQueue, WEBHOOK_DEADLINE_MS);
  const app = createApp({
    apiKeys: [TEST_API_KEY],
    bodyLimit: '100kb',
    advoware: advowareClientFor(options.advowareUrl, options.tokenRedis, options.tokenKey ?? `test:${randomUUID()}`),
    advowareBaseUrl: `${options.advowareUrl}/`,
    readiness: { temporal: temporalReadiness(connection), redis: redisReadiness(options.readinessRedis ?? options.tokenRedis) },
    logger: pino({ level: 'silent' }),
    metrics: createGatewayMetrics(),
    requester,
    calendarRequester: new CalendarSyncRequester(client, taskQueue),
    espocrmWebhook: { id: SANDBOX_ESPOCRM.webhookId, secret: SANDBOX_ESPOCRM.webhookSecret },
    codec: { codec: new AesGcmPayloadCodec(testPayloadKeys()), corsOrigins: [TEST_UI_ORIGIN], uiToken: TEST_CODEC_UI_TOKEN },
    ...options.overrides,
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connection,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close();
    },
  };
}

/**
 * A gateway for webhook tests, started in the suite's `before` and closed in its `after` (call it inside a
 * `describe`), sending the workflows to `taskQueue`, which no worker polls: they stay where the gateway put them.
 */
export function useWebhookGateway(taskQueue: string): { gateway: () => TestGateway; client: () => Client; redis: () => Redis } {
  let redis: Redis | undefined;
  let gateway: TestGateway | undefined;
  let client: Client | undefined;
  before(async () => {
    redis = testRedis();
    gateway = await startTestGateway({ advowareUrl: 'http://127.0.0.1:9', tokenRedis: redis, taskQueue });
    client = new Client({ connection: gateway.connection, dataConverter: testDataConverter() });
  });
  after(async () => {
    await gateway?.close();
    redis?.disconnect();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the webhook gateway is started in the suite's before hook");
    return value;
  };
  return { gateway: () => ready(gateway), client: () => ready(client), redis: () => ready(redis) };
}

/** Whether Temporal knows a workflow with this ID (running or closed). */
export async function workflowExists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}
