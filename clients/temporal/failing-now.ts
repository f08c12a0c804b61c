import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { FAILING_NOW_QUERY, HUB_STATUS_MEMO, type HubStatus } from '../../contracts/hub-status';
import { HubEntityId, HubEntityType, HubOutcome } from '../../contracts/search-attributes';

/** One entity failing now: its workflow and what that workflow last recorded. */
export interface FailingEntity extends HubStatus {
  workflowId: string;
  runId: string;
}

/**
 * Every entity failing now, once each: the workflows {@link FAILING_NOW_QUERY} finds, with the `hubStatus` memo they
 * carry (decrypted by the client's DataConverter). Reads Temporal's visibility only, so it works while no worker runs.
 */
export async function listFailingNow(client: Client): Promise<FailingEntity[]> {
  const failing: FailingEntity[] = [];
  for await (const execution of client.workflow.list({ query: FAILING_NOW_QUERY })) failing.push(failingEntity(execution));
  return failing.sort((a, b) => (a.since ?? '').localeCompare(b.since ?? '') || a.workflowId.localeCompare(b.workflowId));
}

function failingEntity(execution: WorkflowExecutionInfo): FailingEntity {
  const memo = execution.memo?.[HUB_STATUS_MEMO] as HubStatus | undefined;
  const attributes = execution.typedSearchAttributes;
  // A run from before the memo existed still has its search attributes.
  const status: HubStatus = memo ?? {
    entityType: attributes.get(HubEntityType) ?? execution.type,
    entityId: attributes.get(HubEntityId) ?? execution.workflowId,
    status: attributes.get(HubOutcome) ?? 'failed',
  };
  return { ...status, workflowId: execution.workflowId, runId: execution.runId };
}
