import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import {
  callEventReceived,
  callRef,
  callWorkflowId,
  outboundCallRef,
  outboundCallWorkflowId,
  type CallEvent,
  type CallWorkflow,
  type OutboundCallInput,
  type OutboundCallWorkflow,
} from '../../contracts/calls';
import { HubEntityId, HubEntityType } from '../../contracts/search-attributes';

/**
 * Hands 3CX call events to Temporal (SPEC §8): signal-with-start on `call/<call id>`, so every event of one call
 * lands in one workflow whichever comes first, and starts outbound calls. Resolves only once Temporal recorded it.
 */
export class CallEventRequester {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    /** How long a call may wait for Temporal when the caller gives no deadline of its own. */
    readonly deadlineMs = 5_000,
  ) {}

  /** `deadline` is absolute (epoch ms), like the EspoCRM webhooks'. */
  async record(event: CallEvent, deadline = Date.now() + this.deadlineMs): Promise<string> {
    const workflowId = callWorkflowId(event.callId);
    await this.client.workflow.withDeadline(deadline, () =>
      this.client.workflow.signalWithStart<CallWorkflow, [CallEvent]>(callRef.workflowType, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [{ callId: event.callId }],
        signal: callEventReceived,
        signalArgs: [event],
        typedSearchAttributes: new TypedSearchAttributes([
          { key: HubEntityType, value: 'Call' },
          { key: HubEntityId, value: event.callId },
        ]),
      }),
    );
    return workflowId;
  }

  /** Starts `outbound-call/<uuid>`; the handle's result is the 3CX call id once 3CX dialled. */
  async startOutbound(input: OutboundCallInput, deadline = Date.now() + this.deadlineMs): Promise<WorkflowHandle<OutboundCallWorkflow>> {
    const workflowId = outboundCallWorkflowId(randomUUID());
    const attributes = [{ key: HubEntityType, value: 'OutboundCall' }];
    if (input.party) attributes.push({ key: HubEntityId, value: input.party.espoId });
    return this.client.workflow.withDeadline(deadline, () =>
      this.client.workflow.start<OutboundCallWorkflow>(outboundCallRef.workflowType, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [input],
        typedSearchAttributes: new TypedSearchAttributes(attributes),
      }),
    );
  }
}
