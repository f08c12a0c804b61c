import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { beteiligteSyncRef, beteiligteSyncWorkflowId, syncRequested, type SyncReason, type SyncRequest } from '../../contracts/beteiligte';
import { bankverbindungenSyncRef, bankverbindungenSyncWorkflowId } from '../../contracts/bankverbindungen';
import { beteiligteIngestRef, type BeteiligteIngestWorkflow, type IngestItem } from '../../contracts/ingest';
import { HubEntityId, HubEntityType } from '../../contracts/search-attributes';
import type { WorkflowRef } from '../../contracts/workflow-ref';
import { beteiligteIngestWorkflowId, normaliseIngestItems } from './ingest-workflow-id';

/** What every per-entity sync workflow takes (Beteiligte, bank accounts). */
type EntitySyncWorkflow = (input: { espoId: string }) => Promise<unknown>;

/**
 * Asks for a sync of each Beteiligte: signal-with-start on `beteiligte-sync/<id>`, so a running
 * sync takes the request as one more run and an idle Beteiligte gets a new workflow. Workflow-ID
 * uniqueness is the lock and the de-duplication (SPEC §5.1).
 */
export class SyncRequester {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    /** How long a call may wait for Temporal when the caller gives no deadline of its own. */
    readonly deadlineMs = 5_000,
  ) {}

  /** `deadline` is absolute (epoch ms): a webhook's answer is due by then, however long it queued before. */
  async requestBeteiligteSync(espoId: string, reason: SyncReason, deadline = Date.now() + this.deadlineMs): Promise<void> {
    await this.signalWithStart(beteiligteSyncRef, beteiligteSyncWorkflowId(espoId), 'CBeteiligte', espoId, reason, deadline);
  }

  /** Every ID once, in parallel; rejects if any request failed (the caller answers 503 or retries). */
  async requestBeteiligteSyncs(espoIds: readonly string[], reason: SyncReason): Promise<number> {
    const unique = [...new Set(espoIds)];
    await Promise.all(unique.map((id) => this.requestBeteiligteSync(id, reason)));
    return unique.length;
  }

  /** The same for a bank account: signal-with-start on `bankverbindungen-sync/<id>` (SPEC §5.5). */
  async requestBankverbindungSync(espoId: string, reason: SyncReason, deadline = Date.now() + this.deadlineMs): Promise<void> {
    await this.signalWithStart(bankverbindungenSyncRef, bankverbindungenSyncWorkflowId(espoId), 'CBankverbindungen', espoId, reason, deadline);
  }

  /** Every ID once, in parallel, all by one deadline; rejects if any request failed. */
  async requestBankverbindungSyncs(espoIds: readonly string[], reason: SyncReason, deadline = Date.now() + this.deadlineMs): Promise<number> {
    const unique = [...new Set(espoIds)];
    await Promise.all(unique.map((id) => this.requestBankverbindungSync(id, reason, deadline)));
    return unique.length;
  }

  /** Starts the entity's sync workflow or signals the running one; tagged for the Web UI's filters. */
  private async signalWithStart(
    ref: WorkflowRef<EntitySyncWorkflow>,
    workflowId: string,
    entityType: string,
    espoId: string,
    reason: SyncReason,
    deadline: number,
  ): Promise<void> {
    await this.client.workflow.withDeadline(deadline, () =>
      this.client.workflow.signalWithStart<EntitySyncWorkflow, [SyncRequest]>(ref.workflowType, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [{ espoId }],
        signal: syncRequested,
        signalArgs: [{ reason }],
        typedSearchAttributes: new TypedSearchAttributes([
          { key: HubEntityType, value: entityType },
          { key: HubEntityId, value: espoId },
        ]),
      }),
    );
  }

  /**
   * Records a group of items in one call: the start of `beteiligte-ingest/<hash>`, which signals each Beteiligte's
   * workflow. An identical group whose hand-over still runs joins it; a finished one may run again. Resolves
   * with the hand-over's workflow ID.
   */
  async handOverBeteiligte(items: readonly IngestItem[], deadline = Date.now() + this.deadlineMs): Promise<string> {
    const normalised = normaliseIngestItems(items);
    const workflowId = beteiligteIngestWorkflowId(normalised);
    await this.client.workflow.withDeadline(deadline, () =>
      this.client.workflow.start<BeteiligteIngestWorkflow>(beteiligteIngestRef.workflowType, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [{ items: normalised }],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        // The same group delivered again after its hand-over finished is new work (e.g. a second edit).
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      }),
    );
    return workflowId;
  }
}
