import { once } from 'node:events';
import { Client, Connection } from '@temporalio/client';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createApp } from '../api/app';
import { createAdvowareClient } from '../clients/advoware/client';
import { CalendarSyncRequester } from '../clients/temporal/calendar-sync-requests';
import { SyncRequester } from '../clients/temporal/sync-requests';
import { advowareEnv, parseEnv } from '../config/env';
import { createGatewayMetrics } from '../lib/metrics';
import { AdvowareSimulator } from '../simulators/advoware/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS, advowareEnvFor } from '../simulators/sandbox-credentials';
import { percentile, round, timed, type BenchRow } from './stats';

const API_KEY = 'bench-key';
const PATH = 'api/v1/advonet/Mitarbeiter';

/**
 * Proxy overhead: the same Advoware GET once through the hub's client directly and once
 * through the gateway (auth, validation, path check, logging, metrics, HTTP hop).
 */
export async function benchProxy(iterations = 500): Promise<{ rows: BenchRow[]; json: Record<string, number> }> {
  const sim = new AdvowareSimulator({ credentials: SANDBOX_ADVOWARE_CREDENTIALS });
  const simUrl = await sim.start();
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  const config = parseEnv(advowareEnv, advowareEnvFor(simUrl));
  const advoware = createAdvowareClient(config, redis, 'bench:advoware-token');
  // The proxy never touches Temporal; a lazy connection is never dialled.
  const lazyClient = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const app = createApp({
    apiKeys: [API_KEY],
    bodyLimit: '1mb',
    advoware,
    advowareBaseUrl: config.ADVOWARE_API_BASE_URL,
    readiness: {},
    logger: pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false })),
    metrics: createGatewayMetrics(),
    requester: new SyncRequester(lazyClient, 'bench'),
    calendarRequester: new CalendarSyncRequester(lazyClient, 'bench'),
    espocrmWebhook: { id: 'bench', secret: 'bench' },
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/advoware/proxy?path=${PATH}`;

  const direct: number[] = [];
  const proxied: number[] = [];
  const viaGateway = async () => {
    const res = await fetch(gatewayUrl, { headers: { 'X-API-Key': API_KEY } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`gateway answered ${res.status}`);
  };
  // Warm-up: token fetch, JIT, keep-alive connections.
  for (let i = 0; i < 50; i++) {
    await advoware.request('GET', PATH);
    await viaGateway();
  }
  // Interleaved, so drift of the machine affects both sides alike.
  for (let i = 0; i < iterations; i++) {
    direct.push(await timed(() => advoware.request('GET', PATH)));
    proxied.push(await timed(viaGateway));
  }
  server.closeAllConnections();
  server.close();
  await sim.stop();
  redis.disconnect();

  const overheadP50 = percentile(proxied, 50) - percentile(direct, 50);
  const json = {
    iterations,
    directP50Ms: round(percentile(direct, 50)),
    directP95Ms: round(percentile(direct, 95)),
    proxyP50Ms: round(percentile(proxied, 50)),
    proxyP95Ms: round(percentile(proxied, 95)),
    overheadP50Ms: round(overheadP50),
  };
  return {
    json,
    rows: [
      { figure: 'direct client call p50', value: json.directP50Ms, unit: 'ms' },
      { figure: 'direct client call p95', value: json.directP95Ms, unit: 'ms' },
      { figure: 'through the gateway p50', value: json.proxyP50Ms, unit: 'ms' },
      { figure: 'through the gateway p95', value: json.proxyP95Ms, unit: 'ms' },
      { figure: 'proxy overhead p50', value: json.overheadP50Ms, unit: 'ms', target: '< 10 ms' },
    ],
  };
}
