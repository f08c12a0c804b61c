import { NativeConnection, Worker } from '@temporalio/worker';
import { floorActivities } from './activities';

/**
 * A worker with nothing of the hub in it (no clients, no payload encryption, no interceptors), started by the bench
 * like the hub's worker: its own process, production's node flags and allocator setting.
 * Environment: FLOOR_TEMPORAL_ADDRESS, FLOOR_TASK_QUEUE, FLOOR_BUNDLE (the workflows, bundled by the bench),
 * FLOOR_MAX_CACHED_WORKFLOWS (the hub worker's cache: the SDK's own default under production's heap limit is 10).
 */
async function main(): Promise<void> {
  const setting = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const connection = await NativeConnection.connect({ address: setting('FLOOR_TEMPORAL_ADDRESS') });
  const worker = await Worker.create({
    connection,
    taskQueue: setting('FLOOR_TASK_QUEUE'),
    workflowBundle: { codePath: setting('FLOOR_BUNDLE') },
    activities: floorActivities,
    maxCachedWorkflows: Number(setting('FLOOR_MAX_CACHED_WORKFLOWS')),
  });
  process.once('SIGTERM', () => worker.shutdown());
  console.log('floor worker running');
  await worker.run();
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
