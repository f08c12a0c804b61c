import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { syncProgressQuery } from '../../contracts/sync-progress';

type EntitySync<Run> = (input: { espoId: string }) => Promise<{ runs: Run[] }>;

/**
 * The runs of an entity's sync once it has settled: its workflow completed, or it stays open waiting for the next
 * request because its entity is failing for good (permanently failed, invalid data). A workflow waiting on its
 * retry timer has not settled: like `result()`, this waits through the retries.
 */
export async function settledRuns<Run>(handle: WorkflowHandle<EntitySync<Run>>): Promise<Run[]> {
  for (;;) {
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING') return (await handle.result()).runs;
    // A query waits for a pending workflow task, so a request just signalled is taken into account.
    const progress = await handle.query(syncProgressQuery);
    if (progress.waitingFor === 'request') return progress.runs as Run[];
    await sleep(50);
  }
}

/**
 * Sends `request` and returns the runs it caused, once settled: a workflow that stayed open after a failure answers
 * the request in the same execution, after the runs it already lists.
 */
export async function runsOfRequest<Run>(handle: WorkflowHandle<EntitySync<Run>>, request: () => Promise<unknown>): Promise<Run[]> {
  const before = await runsSoFar(handle);
  await request();
  return (await settledRuns(handle)).slice(before);
}

async function runsSoFar(handle: WorkflowHandle): Promise<number> {
  try {
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING') return 0;
    return (await handle.query(syncProgressQuery)).runs.length;
  } catch (err) {
    if (err instanceof Error && err.name === 'WorkflowNotFoundError') return 0;
    throw err;
  }
}
