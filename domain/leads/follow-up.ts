import type { LeadType, OfficeHoursAnswer } from '../../contracts/leads';

/** What the lead's one follow-up is (SPEC §7), before it is performed. */
export type FollowUpPlan =
  { kind: 'none' } | { kind: 'call'; to: string } | { kind: 'task'; reason: 'outside-office-hours' | 'not-a-call-type' | 'no-phone'; dueAt: string };

const CALL_TYPES: ReadonlySet<LeadType> = new Set(['mieter', 'vermieter']);

/**
 * Mieter and Vermieter requests with a phone number get a qualification call within office hours, a Task due after
 * the next opening outside them; a contact message gets a Task; a newsletter sign-up needs no follow-up (nobody
 * asked to be contacted). `at` is the decision's instant (ISO).
 */
export function planFollowUp(
  lead: { type: LeadType; phone: string | null },
  office: OfficeHoursAnswer,
  at: string,
  taskDueMinutes: number,
): FollowUpPlan {
  if (lead.type === 'newsletter') return { kind: 'none' };
  const dueAt = (from: string) => new Date(Date.parse(from) + taskDueMinutes * 60_000).toISOString();
  if (!CALL_TYPES.has(lead.type)) return { kind: 'task', reason: 'not-a-call-type', dueAt: dueAt(office.open ? at : office.nextOpening) };
  if (lead.phone === null) return { kind: 'task', reason: 'no-phone', dueAt: dueAt(office.open ? at : office.nextOpening) };
  if (!office.open) return { kind: 'task', reason: 'outside-office-hours', dueAt: dueAt(office.nextOpening) };
  return { kind: 'call', to: lead.phone };
}

/** A call that failed: the Task is due after the decision, or after the next opening when the office has closed. */
export function callFailedDueAt(at: string, taskDueMinutes: number): string {
  return new Date(Date.parse(at) + taskDueMinutes * 60_000).toISOString();
}
