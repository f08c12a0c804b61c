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
    /**
     * How long a workflow started by a `call.started` of an inbound call waits for its first task. Nothing is to be done
     * while the call rings or goes on, and signal-with-start of the call's next event ends the wait (Temporal's rule
     * for a start delay), so a burst of ringing calls costs Temporal one write each and the worker nothing.
     */
    private readonly startDelayMs = 0,
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
        ...(this.delaysStart(event) && { startDelay: this.startDelayMs }),
        typedSearchAttributes: new TypedSearchAttributes([
          { key: HubEntityType, value: 'Call' },
          { key: HubEntityId, value: event.callId },
        ]),
      }),
    );
    return workflowId;
  }

  /** Only the ring of an inbound call: a later event, or an outbound call's start, has work to do at once. */
  private delaysStart(event: CallEvent): boolean {
    return this.startDelayMs > 0 && event.kind === 'started' && event.direction === 'inbound';
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
