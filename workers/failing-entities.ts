import type { MetricMeter } from '@temporalio/common';
import { FAILING_NOW_QUERY, FAILING_OUTCOMES } from '../contracts/hub-status';
import { HubEntityType, HubOutcome } from '../contracts/search-attributes';

/** The entity types whose sync workflows record `HubOutcome` (clients/temporal/*.ts set `HubEntityType`). */
const FAILING_ENTITY_TYPES = ['CBeteiligte', 'CBankverbindungen', 'Calendar'] as const;

/** Metric name, exported as written (see workers/metrics.ts). */
export const ENTITIES_FAILING = 'hub_entities_failing';

export interface FailingEntitiesPollerOptions {
  /** A visibility count (`client.workflow.count`). */
  count: (query: string) => Promise<{ count: number }>;
  meter: MetricMeter;
  /** `WORKER_FAILING_ENTITIES_POLL_SECONDS`: alerts look at minutes, so the visibility store is not asked often. */
  intervalMs: number;
  onError?: (err: unknown) => void;
}

export interface FailingEntitiesPoller {
  /** One refresh now (the timer calls it too); resolves when every count is in. */
  refresh(): Promise<void>;
  stop(): void;
}

/** The visibility query for one entity type and status: the runbook's failing-now query, narrowed. */
export function failingQuery(entityType: string, status: string): string {
  return `${FAILING_NOW_QUERY} AND ${HubEntityType.name} = '${entityType}' AND ${HubOutcome.name} = '${status}'`;
}

/**
 * Entities failing now (SPEC §10), as a gauge per entity type and status, refreshed from Temporal's visibility store
 * with the query operators use (contracts/hub-status.ts), so the alert and the Web UI count the same workflows. Every
 * worker process reports the same numbers: alerts take the max over instances. A failed count keeps the last value
 * (the alert must not clear because Temporal is briefly unreachable) and is reported through `onError`.
 */
export function startFailingEntitiesPoller(options: FailingEntitiesPollerOptions): FailingEntitiesPoller {
  const gauge = options.meter.createGauge(ENTITIES_FAILING, 'int', undefined, 'Entities whose sync is failing now, by entity type and status');
  let running: Promise<void> | undefined;
  const refresh = (): Promise<void> => {
    // A slow visibility store must not pile up counts: a refresh still going is the refresh.
    running ??= Promise.all(
      FAILING_ENTITY_TYPES.flatMap((entityType) =>
        FAILING_OUTCOMES.map(async (status) => {
          try {
            const { count } = await options.count(failingQuery(entityType, status));
            gauge.set(count, { entity_type: entityType, status });
          } catch (err) {
            options.onError?.(err);
          }
        }),
      ),
    )
      // Every count catches its own error.
      .then(() => undefined)
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void refresh(), options.intervalMs);
  timer.unref();
  void refresh();
  return {
    refresh,
    stop: () => clearInterval(timer),
  };
}
