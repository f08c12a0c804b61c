import { condition, executeChild, isCancellation, log, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { outboundCallRef, outboundCallWorkflowId, type OutboundCallWorkflow } from '../../contracts/calls';
import {
  LEAD_TYPE_LABELS,
  leadSubmitted,
  type FollowUp,
  type LeadSettings,
  type LeadSubmission,
  type LeadWorkflowInput,
  type LeadWorkflowResult,
} from '../../contracts/leads';
import { HubEmployee, HubEntityId, HubOutcome } from '../../contracts/search-attributes';
import { maskValue } from '../../domain/contact-values';
import { callFailedDueAt, planFollowUp } from '../../domain/leads/follow-up';
import { leadWrite, recordedFollowUp, type LeadRecord, type PartyMatch } from '../../domain/leads/record';
import { leadCalls, leadSettings, type LeadCalls } from './activities';

/**
 * `lead/<dedup key>` (SPEC §7): every submission the gateway resolved to one lead arrives here as a signal, in order.
 * The first creates the EspoCRM Lead (or finds the one an earlier run wrote under this key), later ones update it;
 * the follow-up (a qualification call through 3CX, else a Task) happens once per lead: the run remembers it, and it is
 * recorded on the Lead for any later run. The workflow closes after LEAD_WORKFLOW_IDLE_SECONDS without submissions.
 */
export async function leadWorkflow(input: LeadWorkflowInput): Promise<LeadWorkflowResult> {
  const queue: LeadSubmission[] = [];
  setHandler(leadSubmitted, (submission) => void queue.push(submission));

  const settings = await leadSettings();
  const api = leadCalls(settings.callTimeoutMs);
  const result: LeadWorkflowResult = {
    dedupKey: input.dedupKey,
    leadId: null,
    created: false,
    submissions: 0,
    updates: 0,
    refused: [],
    linkedParty: null,
    assignedUserId: null,
    followUp: null,
  };

  let lead: LeadRecord | null = null;
  let looked = false;
  let party: PartyMatch | null = null;
  let partyLooked = false;
  let indexed = false;

  for (;;) {
    if (queue.length === 0 && !(await condition(() => queue.length > 0, settings.idleMs))) break;
    const submission = queue.shift()!;
    result.submissions++;

    if (!looked) {
      lead = await api.leadFind(input.dedupKey);
      looked = true;
      if (lead) {
        result.leadId = lead.id;
        upsertSearchAttributes({ [HubEntityId.name]: [lead.id] });
      }
    }

    // SPEC §7: newsletter sign-ups only with consent. Without it nothing is written, but the refusal is on record.
    if (submission.type === 'newsletter' && !submission.consent.newsletter) {
      const reason = 'newsletter sign-up without consent';
      result.refused.push({ type: submission.type, receivedAt: submission.receivedAt, reason });
      log.warn('lead refused: newsletter sign-up without consent', { dedupKey: input.dedupKey, email: maskValue(submission.email) });
      if (lead === null) upsertSearchAttributes({ [HubOutcome.name]: ['refused'] });
      continue;
    }

    if (!partyLooked) {
      party = await api.leadFindParty(submission.email, submission.phone);
      partyLooked = true;
      if (party) result.linkedParty = { espoId: party.espoId, by: party.by };
    }
    const assignedUserId = (typeof lead?.assignedUserId === 'string' && lead.assignedUserId) || party?.assignedUserId || settings.defaultUserId;
    result.assignedUserId = assignedUserId;

    const write = leadWrite(lead, submission, { dedupKey: input.dedupKey, assignedUserId, party });
    if (lead === null) {
      lead = await api.leadCreate(write);
      result.leadId = lead.id;
      result.created = true;
      upsertSearchAttributes({ [HubEntityId.name]: [lead.id] });
    } else if (Object.keys(write).length > 0) {
      lead = await api.leadUpdate(lead.id, write);
      result.updates++;
    } else {
      result.updates++;
    }
    if (!indexed || 'phoneNumberData' in write) {
      await api.leadIndex(lead);
      indexed = true;
    }

    if (result.followUp === null) {
      const recorded = recordedFollowUp(lead);
      if (recorded !== null) result.followUp = { kind: 'already-done', recorded };
      else {
        const done = await followUp(api, settings, lead, submission, assignedUserId);
        if (done) {
          const { lead: recordedLead, ...performed } = done;
          result.followUp = performed;
          lead = recordedLead;
        }
      }
    }
    upsertSearchAttributes({ [HubOutcome.name]: [result.followUp?.kind ?? (result.created ? 'created' : 'updated')] });
  }
  return result;
}

/** Decides and performs the follow-up; null when the lead needs none (yet). */
async function followUp(
  api: LeadCalls,
  settings: LeadSettings,
  lead: LeadRecord,
  submission: LeadSubmission,
  assignedUserId: string,
): Promise<(FollowUp & { lead: LeadRecord }) | null> {
  // Workflow time is deterministic (recorded); a submission may carry the instant to decide for (tests).
  const at = submission.decideAt ?? new Date().toISOString();
  const office = await api.leadOfficeHours(at);
  const plan = planFollowUp(submission, office, at, settings.taskDueMinutes);
  if (plan.kind === 'none') return null;

  const label = LEAD_TYPE_LABELS[submission.type];
  const name = [submission.firstName, submission.lastName].filter(Boolean).join(' ') || submission.email;
  const staff = settings.staff.find((member) => member.userId === assignedUserId);
  if (staff) upsertSearchAttributes({ [HubEmployee.name]: [staff.kuerzel] });

  let callError: string | undefined;
  if (plan.kind === 'call') {
    try {
      const { call_id: callId } = await executeChild<OutboundCallWorkflow>(outboundCallRef.workflowType, {
        workflowId: outboundCallWorkflowId(`lead-${lead.id}`),
        args: [{ to: plan.to, ...(staff && { fromExtension: staff.extension }), party: { entityType: 'Lead', espoId: lead.id } }],
      });
      const recordedLead = await api.leadRecordFollowUp(lead.id, 'call', callId, at);
      return { kind: 'call', callId, extension: staff?.extension ?? null, at, lead: recordedLead };
    } catch (err) {
      if (isCancellation(err)) throw err;
      // Any failure of the call (3CX down, not configured, no extension to ring) becomes the Task: the lead must not wait.
      callError = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      log.warn('qualification call failed; creating a Task instead', { leadId: lead.id, error: callError });
    }
  }

  const reason = plan.kind === 'task' ? plan.reason : 'call-failed';
  const dueAt = plan.kind === 'task' ? plan.dueAt : callFailedDueAt(at, settings.taskDueMinutes);
  const why: Record<typeof reason, string> = {
    'outside-office-hours': 'außerhalb der Bürozeiten eingegangen',
    'call-failed': `Qualifizierungsanruf fehlgeschlagen${callError ? ` (${callError})` : ''}`,
    'not-a-call-type': 'bitte beantworten',
    'no-phone': 'keine Telefonnummer angegeben',
  };
  const taskId = await api.leadCreateTask({
    leadId: lead.id,
    name: `${label}: ${name} zurückrufen`.slice(0, 250),
    description: [`Vermieterhelden-${label}, ${why[reason]}.`, submission.message ?? ''].filter(Boolean).join('\n\n'),
    assignedUserId,
    dueAt,
  });
  const recordedLead = await api.leadRecordFollowUp(lead.id, 'task', taskId, at);
  return { kind: 'task', taskId, dueAt, reason, at, ...(callError !== undefined && { callError }), lead: recordedLead };
}
