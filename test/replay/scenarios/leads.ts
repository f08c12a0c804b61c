import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { leadRef, leadSubmitted, leadWorkflowId, type LeadSubmission, type LeadWorkflow, type LeadWorkflowResult } from '../../../contracts/leads';
import type { ThreeCxSimulator } from '../../../simulators/threecx/simulator';
import { CALL_RECORDING_ENV } from './calls';
import type { RecordingEnv, Scenario } from './scenario';

/** A user the recorder's STAFF_DIRECTORY gives an extension, so the lead's call rings somewhere. */
const CALLING_USER = CALL_RECORDING_ENV.STAFF_DIRECTORY.split('=')[0] ?? '';

/** Tuesday 1 December 2026: 10:00 and 20:00 in Berlin. */
const IN_HOURS = '2026-12-01T09:00:00.000Z';
const AFTER_HOURS = '2026-12-01T19:00:00.000Z';

const submission = (over: Partial<LeadSubmission>): LeadSubmission => ({
  event: 'lead.created',
  type: 'mieter',
  externalId: 'wp-replay',
  firstName: 'Erika',
  lastName: 'Mustermann',
  email: 'erika.replay@example.de',
  phone: '+491701234567',
  phoneRaw: '0170 1234567',
  message: 'Mein Vermieter will 20 % mehr.',
  details: { concern: 'Mieterhöhung' },
  consent: { privacy: true, newsletter: false, phoneContact: true },
  receivedAt: IN_HOURS,
  ...over,
});

/**
 * A lead workflow fed as the gateway feeds it (signal-with-start), closing after LEAD_WORKFLOW_IDLE_SECONDS (the
 * recorder sets 1 s); `prepare` sets the simulators up, `check` asserts the path.
 */
function leadPath(
  path: string,
  submissions: Partial<LeadSubmission>[],
  check: (r: LeadWorkflowResult) => void,
  prepare: (env: RecordingEnv) => void = () => undefined,
): Scenario {
  return {
    workflowType: leadRef.workflowType,
    path,
    async run(env: RecordingEnv): Promise<WorkflowHandle> {
      prepare(env);
      const dedupKey = `replay-${randomUUID()}`;
      for (const over of submissions) {
        await env.hub.client.workflow.signalWithStart<LeadWorkflow, [LeadSubmission]>(leadRef.workflowType, {
          workflowId: leadWorkflowId(dedupKey),
          taskQueue: env.hub.taskQueue,
          args: [{ dedupKey }],
          signal: leadSubmitted,
          signalArgs: [submission(over)],
        });
      }
      const handle = env.hub.client.workflow.getHandle<LeadWorkflow>(leadWorkflowId(dedupKey));
      check(await env.hub.run(() => handle.result()));
      return handle;
    },
  };
}

/** The lead paths; `threecx` is the recorder's 3CX simulator (a call path dials it, the failure path breaks it). */
export const leadScenarios = (threecx: ThreeCxSimulator): Scenario[] => [
  leadPath('task_outside_office_hours', [{ decideAt: AFTER_HOURS }, { type: 'kontakt', message: 'Noch eine Frage.', decideAt: AFTER_HOURS }], (r) => {
    assert.equal(r.followUp?.kind === 'task' && r.followUp.reason, 'outside-office-hours', 'lead task_outside_office_hours');
    assert.equal(r.updates, 1);
  }),
  leadPath(
    'called_linked_party',
    [{ email: 'erika.called@example.de', decideAt: IN_HOURS }],
    (r) => {
      assert.equal(r.followUp?.kind, 'call', 'lead called_linked_party');
      assert.equal(r.linkedParty?.by, 'email');
    },
    (env) => {
      env.espocrm.userCreate('CBeteiligte', {
        firstName: 'Erika',
        lastName: 'Mustermann',
        emailAddress: 'erika.called@example.de',
        assignedUserId: CALLING_USER,
      });
    },
  ),
  leadPath(
    'call_failed_task',
    [{ decideAt: IN_HOURS }],
    (r) => {
      assert.equal(r.followUp?.kind === 'task' && r.followUp.reason, 'call-failed', 'lead call_failed_task');
    },
    () => {
      threecx.faults.add({ method: 'POST', path: '/calls/initiate$', status: 403 });
    },
  ),
  leadPath(
    'newsletter_refused',
    [
      {
        type: 'newsletter',
        phone: null,
        phoneRaw: null,
        details: {},
        message: null,
        consent: { privacy: false, newsletter: false, phoneContact: false },
      },
    ],
    (r) => {
      assert.equal(r.refused.length, 1, 'lead newsletter_refused');
      assert.equal(r.leadId, null);
    },
  ),
];
