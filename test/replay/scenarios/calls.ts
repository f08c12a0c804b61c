import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { CallEventRequester } from '../../../clients/temporal/call-events';
import {
  callRef,
  callWorkflowId,
  outboundCallRef,
  type CallEvent,
  type CallParty,
  type CallWorkflow,
  type CallWorkflowResult,
} from '../../../contracts/calls';
import type { ThreeCxSimulator } from '../../../simulators/threecx/simulator';
import type { RecordingEnv, Scenario } from './scenario';

/** The worker's settings for these scenarios (record.ts passes them): short waits, so a recording takes seconds. */
export const CALL_RECORDING_ENV = {
  STAFF_DIRECTORY: 'u-abc=ABC/201',
  THREECX_CALL_START_WAIT_SECONDS: '1',
  THREECX_CALL_GRACE_SECONDS: '1',
  THREECX_STATUS_POLL_SECONDS: '1',
};

function party(env: RecordingEnv): CallParty {
  const record = env.espocrm.userCreate('CBeteiligte', { firstName: 'Erika', lastName: 'Mustermann', betnr: 100_001, assignedUserId: 'u-abc' });
  return { entityType: 'CBeteiligte', espoId: record.id, name: 'Erika Mustermann', betNr: 100_001, assignedUserId: 'u-abc' };
}

/** An inbound call as the gateway hands it over: started (with the party the caller index found), then ended. */
function inbound(path: string, outcome: 'answered' | 'missed', expect: Partial<CallWorkflowResult>): Scenario {
  return {
    workflowType: callRef.workflowType,
    path,
    async run(env): Promise<WorkflowHandle> {
      const requester = new CallEventRequester(env.hub.client, env.hub.taskQueue);
      const callId = `replay-${randomUUID()}`;
      const now = new Date().toISOString();
      const events: CallEvent[] = [
        {
          kind: 'started',
          callId,
          direction: 'inbound',
          from: '+4930123456',
          to: '+4930999000',
          extension: '201',
          startedAt: now,
          parties: [party(env)],
          receivedAt: now,
        },
        { kind: 'ended', callId, duration: outcome === 'answered' ? 60 : 0, outcome, receivedAt: now },
      ];
      for (const event of events) await requester.record(event);
      const handle = env.hub.client.workflow.getHandle<CallWorkflow>(callWorkflowId(callId));
      const result = await env.hub.run(() => handle.result());
      for (const [key, value] of Object.entries(expect)) assert.deepEqual(result[key as keyof CallWorkflowResult], value, `call ${path}: ${key}`);
      return handle;
    },
  };
}

/** Dials a party through the outbound workflow; 3CX reports no end, so the call workflow polls until the simulator ends it. */
async function dial(env: RecordingEnv, threecx: ThreeCxSimulator): Promise<{ outbound: WorkflowHandle; call: WorkflowHandle<CallWorkflow> }> {
  const requester = new CallEventRequester(env.hub.client, env.hub.taskQueue);
  const outbound = await requester.startOutbound({ to: '+4930123456', party: { entityType: 'CBeteiligte', espoId: party(env).espoId } });
  const { call_id: callId } = await env.hub.run(() => outbound.result());
  assert.equal(threecx.getCall(callId)?.from, '201', "the party's user's extension");
  // Long enough for one status poll that finds the call still ringing.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  threecx.answerCall(callId);
  threecx.endCall(callId, { answered: true, duration: 20 });
  const call = env.hub.client.workflow.getHandle<CallWorkflow>(callWorkflowId(callId));
  const result = await env.hub.run(() => call.result());
  assert.equal(result.status, 'Held', 'outbound call logged as held');
  assert.ok(result.statusPolls >= 2, 'the call workflow polled the status');
  return { outbound, call };
}

/** The call scenarios, against the 3CX simulator record.ts started (the worker's THREECX_* point at it). */
export function callScenarios(threecx: ThreeCxSimulator): Scenario[] {
  return [
    inbound('inbound_answered', 'answered', { status: 'Held', taskId: null, created: true }),
    inbound('inbound_missed', 'missed', { status: 'Not Held', created: true }),
    {
      workflowType: outboundCallRef.workflowType,
      path: 'dialled',
      run: async (env) => (await dial(env, threecx)).outbound,
    },
    {
      workflowType: callRef.workflowType,
      path: 'outbound_polled',
      run: async (env) => (await dial(env, threecx)).call,
    },
  ];
}
