import { API_CALL_DURATION } from './api-call-metrics';
import { RATE_LIMIT_WAIT } from './rate-limit-metrics';

/** `hub_sync_run_duration_seconds` (workflows/metrics.ts; workflow code cannot be imported here). */
const SYNC_RUN_DURATION = 'hub_sync_run_duration_seconds';

/**
 * Bucket bounds (seconds) of the hub's own histograms. Without them the SDK's exporter gives every custom histogram
 * its millisecond buckets (50 … 10 000), useless for values in seconds. The exporter matches a key against any
 * metric name containing it, so no key may be part of another metric's name.
 */
export const HUB_HISTOGRAM_BUCKETS: Record<string, number[]> = {
  [SYNC_RUN_DURATION]: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
  [API_CALL_DURATION]: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  // 0: granted at once; the rest says how long the buckets held calls back.
  [RATE_LIMIT_WAIT]: [0, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60],
};

/**
 * The worker's Prometheus exporter (SDK metrics and the hub's). Suffixes off (the SDK's defaults, written out): the
 * hub's metric names already carry `_total` and `_seconds`, and alert rules and the dashboard depend on them staying.
 */
export function prometheusExporter(port: number) {
  return {
    prometheus: {
      bindAddress: `0.0.0.0:${port}`,
      countersTotalSuffix: false,
      unitSuffix: false,
      histogramBucketOverrides: HUB_HISTOGRAM_BUCKETS,
    },
  };
}
