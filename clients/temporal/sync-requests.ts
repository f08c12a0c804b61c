import type { Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import {
  beteiligteSyncRef,
  beteiligteSyncWorkflowId,
  syncRequested,
  type BeteiligteSyncInput,
  type BeteiligteSyncWorkflow,
  type SyncReason,
  type SyncRequest,
} from '../../contracts/beteiligte';
import { HubEntityId, HubEntityType } from '../../contracts/search-attributes';

/**
 * Asks for a sync of each party: signal-with-start on `beteiligte-sync/<id>`, so a running
 * sync takes the request as one more run and an idle party gets a new workflow. Workflow-ID
 * uniqueness is the lock and the de-duplication (SPEC §5.1).
 */
export class SyncRequester {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    /** A webhook sender waits for our answer: past this, it gets 503 and delivers again. */
    private readonly deadlineMs = 5_000,
  ) {}

  async requestBeteiligteSync(espoId: string, reason: SyncReason): Promise<void> {
    const input: BeteiligteSyncInput = { espoId };
    const deadline = Date.now() + this.deadlineMs;
    await this.client.workflow.withDeadline(deadline, () => this.client.workflow.signalWithStart<BeteiligteSyncWorkflow, [SyncRequest]>(beteiligteSyncRef.workflowType, {
      workflowId: beteiligteSyncWorkflowId(espoId),
      taskQueue: this.taskQueue,
      args: [input],
      signal: syncRequested,
      signalArgs: [{ reason }],
      typedSearchAttributes: new TypedSearchAttributes([
        { key: HubEntityType, value: 'CBeteiligte' },
        { key: HubEntityId, value: espoId },
      ]),
    }));
  }

  /** Every ID once, in parallel; rejects if any request failed (the caller answers 503 or retries). */
  async requestBeteiligteSyncs(espoIds: readonly string[], reason: SyncReason): Promise<number> {
    const unique = [...new Set(espoIds)];
    await Promise.all(unique.map((id) => this.requestBeteiligteSync(id, reason)));
    return unique.length;
  }
}
