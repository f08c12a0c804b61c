import { randomUUID } from 'node:crypto';
import { createAdvowareClient } from '../clients/advoware/client';
import { advowareEnv, parseEnv } from '../config/env';
import type { BenchContext } from './context';
import { BENCH_API_KEY } from './hub-processes';
import { percentile, round, timed } from './stats';

const PATH = 'api/v1/advonet/Mitarbeiter';

export interface ProxyFigures {
  iterations: number;
  directP50Ms: number;
  proxyP50Ms: number;
  proxyP95Ms: number;
  overheadP50Ms: number;
}

/**
 * Proxy overhead: the same Advoware GET once through the hub's client directly and once through the gateway
 * process (auth, validation, path check, logging, metrics, the HTTP hop).
 */
export async function measureProxy(ctx: BenchContext, iterations: number): Promise<ProxyFigures> {
  const advoware = createAdvowareClient(parseEnv(advowareEnv, ctx.env.simulators), ctx.redis, `bench:proxy-token:${randomUUID()}`);
  const url = `${ctx.gateway.url}/advoware/proxy?path=${PATH}`;
  const viaGateway = async () => {
    const res = await fetch(url, { headers: { 'X-API-Key': BENCH_API_KEY } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`gateway answered ${res.status}`);
  };
  // Warm-up: token fetch, JIT, keep-alive connections.
  for (let i = 0; i < 30; i++) {
    await advoware.request('GET', PATH);
    await viaGateway();
  }
  const direct: number[] = [];
  const proxied: number[] = [];
  // Interleaved, so drift of the machine affects both sides alike.
  for (let i = 0; i < iterations; i++) {
    direct.push(await timed(() => advoware.request('GET', PATH)));
    proxied.push(await timed(viaGateway));
  }
  return {
    iterations,
    directP50Ms: round(percentile(direct, 50)),
    proxyP50Ms: round(percentile(proxied, 50)),
    proxyP95Ms: round(percentile(proxied, 95)),
    overheadP50Ms: round(percentile(proxied, 50) - percentile(direct, 50)),
  };
}
