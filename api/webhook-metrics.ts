import { Counter, Histogram, type Registry } from 'prom-client';

/** What the webhook routes count: items by outcome, and the Temporal calls that recorded them. */
export function createWebhookMetrics(registry: Registry) {
  return {
    items: new Counter({
      name: 'hub_webhook_items_total',
      help: "EspoCRM webhook items by entity, event and outcome: handed over to Temporal, or an echo of the hub's own write",
      labelNames: ['entity', 'event', 'outcome'] as const,
      registers: [registry],
    }),
    groups: new Histogram({
      name: 'hub_webhook_ingest_call_duration_seconds',
      help: 'Temporal calls that recorded a group of webhook items, by path (direct signal-with-start or hand-over start) and result',
      labelNames: ['path', 'result'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    groupItems: new Histogram({
      name: 'hub_webhook_ingest_group_items',
      help: 'Items per Temporal call that recorded webhook items',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers: [registry],
    }),
  };
}

export type WebhookMetrics = ReturnType<typeof createWebhookMetrics>;
