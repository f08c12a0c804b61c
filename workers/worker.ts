import { NativeConnection, Worker } from '@temporalio/worker';
import type { HubActivities } from '../activities';

export interface HubWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: HubActivities;
  maxConcurrentActivityTaskExecutions?: number;
}

/** The hub's worker: every workflow and activity on one task queue. Tests build it the same way. */
export function createHubWorker(options: HubWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities: options.activities,
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions,
    // In-flight activities get this long to finish on SIGTERM before Temporal retries them elsewhere.
    shutdownGraceTime: '20 seconds',
  });
}
