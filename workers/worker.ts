import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { HubActivities } from '../activities';
import { apiCallMetricsInterceptor } from './api-call-metrics';
import { workflowBundleOptions } from './workflow-bundle';

export interface HubWorkerOptions {
  connection: NativeConnection;
  /** hubDataConverter (lib/data-converter.ts): the worker reads and writes every payload encrypted. */
  dataConverter: DataConverter;
  namespace: string;
  taskQueue: string;
  activities: HubActivities;
  maxConcurrentActivityTaskExecutions?: number;
  maxCachedWorkflows?: number;
}

/**
 * Compiled (dist/workers/worker.js) with the bundle `npm run build` wrote next to it: load that bundle and
 * skip webpack at start-up. From source (tsx) always bundle afresh, so a stale bundle never runs in development.
 */
function workflowCode(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> {
  const bundle = join(__dirname, '..', 'workflow-bundle.js');
  if (__filename.endsWith('.js') && existsSync(bundle)) return { workflowBundle: { codePath: bundle } };
  return { workflowsPath: require.resolve('../workflows'), bundlerOptions: workflowBundleOptions };
}

/** The hub's worker: every workflow and activity on one task queue. Tests build it the same way. */
export function createHubWorker(options: HubWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    dataConverter: options.dataConverter,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...workflowCode(),
    activities: options.activities,
    // API calls and errors per external system (SPEC §10), local activities included.
    interceptors: { activity: [apiCallMetricsInterceptor] },
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions,
    maxCachedWorkflows: options.maxCachedWorkflows,
    // In-flight activities get this long to finish on SIGTERM before Temporal retries them elsewhere.
    shutdownGraceTime: '20 seconds',
  });
}
