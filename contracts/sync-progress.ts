import { defineQuery } from '@temporalio/workflow';

/**
 * Where an entity's sync workflow stands between its runs: it waits for its retry timer, or (failed for good, or
 * the data must be corrected) for the next request: a user's edit, the sweep's reset, an operator.
 */
export interface SyncProgress<Run> {
  /** The latest runs of this execution, oldest first. */
  runs: Run[];
  waitingFor?: 'retry' | 'request';
}

/** Answered by every entity sync workflow (Beteiligte, bank accounts): tests and tools use it to see a run settle. */
export const syncProgressQuery = defineQuery<SyncProgress<unknown>>('syncProgress');
