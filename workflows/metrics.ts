import { metricMeter, workflowInfo } from '@temporalio/workflow';

/**
 * The sync counters of SPEC §10, emitted from workflow code through the SDK's metric meter: they reach the worker's
 * Prometheus endpoint next to the SDK's own metrics, and are not emitted again when a history is replayed. Adding
 * one creates no workflow command, so a call can be added to any workflow without a patch.
 *
 * Names are exported as written (workers/main.ts turns the exporter's `_total` and unit suffixes off), with the SDK's
 * `namespace`, `taskQueue` and `workflowType` labels added; the duration's buckets are in workers/metrics.ts.
 *
 * The metrics are made at each use, not at module load: the meter exists only inside a workflow, and tests and the
 * replayer import the workflow modules outside one.
 */
const metrics = () => ({
  runs: metricMeter.createCounter('hub_sync_runs_total', undefined, 'Sync runs by workflow type and outcome'),
  conflicts: metricMeter.createCounter('hub_sync_conflicts_total', undefined, 'Sync runs that found both sides changed'),
  runDuration: metricMeter.createHistogram('hub_sync_run_duration_seconds', 'float', 's', 'Duration of one sync run'),
  // A time, not a counter: "no run for 45 min" is then one comparison, also right after a worker restart.
  lastRun: metricMeter.createGauge('hub_sync_last_run_timestamp_seconds', 'float', 's', 'Unix time the last run of a workflow type finished'),
});

/**
 * One finished run of the current workflow, with its outcome (`HubOutcome`, or `completed` for a sweep) and how long
 * it took. The schedule-driven workflows call it too: the "schedule not running" alert watches their last run.
 */
export function countRun(outcome: string, durationMs: number): void {
  const workflow = workflowInfo().workflowType;
  const { runs, runDuration, lastRun } = metrics();
  runs.add(1, { workflow, outcome });
  runDuration.record(Math.max(0, durationMs) / 1000, { workflow, outcome });
  // Workflow time: when the workflow task ran, which is when the run finished.
  lastRun.set(Date.now() / 1000, { workflow });
}

/** A run that found both sides changed since the last sync (SPEC §5.2: EspoCRM wins, the user is told). */
export function countConflict(): void {
  metrics().conflicts.add(1, { workflow: workflowInfo().workflowType });
}
