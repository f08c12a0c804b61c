import type { Workflow } from '@temporalio/common';

/**
 * A workflow as both sides name it: the type the worker registers and, as a type only, its signature. Starts,
 * signal-with-starts and schedules go through a ref, so their arguments are checked against the workflow and
 * no caller spells a workflow type by hand. `test/unit/workflow-contracts.test.ts` checks that every ref names
 * a workflow the worker's bundle exports.
 */
export interface WorkflowRef<F extends Workflow> {
  readonly workflowType: string;
  /** Never set; carries the signature for the compiler. */
  readonly signature?: F;
}

export function workflowRef<F extends Workflow>(workflowType: string): WorkflowRef<F> {
  return { workflowType };
}
