import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics, in a registry of their own so tests can create several apps. */
export function createGatewayMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Histogram({
      name: 'hub_http_request_duration_seconds',
      help: 'Gateway request duration by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    advowareProxyCalls: new Counter({
      name: 'hub_advoware_proxy_calls_total',
      help: 'Advoware proxy calls by method and Advoware status',
      labelNames: ['method', 'status'] as const,
      registers: [registry],
    }),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
