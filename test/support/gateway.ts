import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { Client, Connection } from '@temporalio/client';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { createApp, type GatewayDeps } from '../../api/app';
import { redisReadiness, temporalReadiness } from '../../api/readiness';
import { createAdvowareClient, type AdvowareClient } from '../../clients/advoware/client';
import { advowareEnv, gatewayEnv, parseEnv } from '../../config/env';
import { createGatewayMetrics } from '../../lib/metrics';
import { SANDBOX_ESPOCRM, advowareEnvFor } from '../../simulators/sandbox-credentials';
import { CalendarSyncRequester } from '../../clients/temporal/calendar-sync-requests';
import { SyncRequester } from '../../clients/temporal/sync-requests';
import { temporalAddress } from './services';

export const TEST_API_KEY = 'test-hub-key';

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
  readinessRedis: Redis;
  tokenKey: string;
  /** Where webhook-started workflows go; a queue no worker polls when the test only checks the gateway. */
  taskQueue?: string;
  overrides?: Partial<GatewayDeps>;
}): Promise<TestGateway> {
  const connection = await Connection.connect({ address: temporalAddress() });
  const client = new Client({ connection });
  const taskQueue = options.taskQueue ?? 'gateway-test-no-worker';
  const requester = new SyncRequester(client, taskQueue, WEBHOOK_DEADLINE_MS);
  const app = createApp({
    apiKeys: [TEST_API_KEY],
    bodyLimit: '100kb',
    advoware: advowareClientFor(options.advowareUrl, options.tokenRedis, options.tokenKey),
    advowareBaseUrl: `${options.advowareUrl}/`,
    readiness: { temporal: temporalReadiness(connection), redis: redisReadiness(options.readinessRedis) },
    logger: pino({ level: 'silent' }),
    metrics: createGatewayMetrics(),
    requester,
    calendarRequester: new CalendarSyncRequester(client, taskQueue),
    espocrmWebhook: { id: SANDBOX_ESPOCRM.webhookId, secret: SANDBOX_ESPOCRM.webhookSecret },
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
