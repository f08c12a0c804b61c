/**
 * What a call becomes in EspoCRM (SPEC §8): one `Call` record, planned from the call's facts, and one follow-up
 * `Task` for a missed inbound call. Pure: the workflow performs the plan; the same facts always give the same
 * record, so a repeated plan writes nothing (`recordPatch`).
 */
import type { CallParty, CallPartyType, CallSettings } from '../../contracts/calls';
import { normalisePhone } from '../contact-values';
import { toEspoDateTime } from '../espocrm-datetime';
import { wasAnswered, type CallFacts } from './facts';

export type StaffDirectory = readonly CallSettings['staff'][number][];

/** The `Call` attributes the hub writes; only set values (EspoCRM rejects nulls, SPEC §4). */
export interface CallRecordFields {
  name: string;
  status: 'Held' | 'Not Held';
  direction: 'Inbound' | 'Outbound';
  dateStart: string;
  dateEnd?: string;
  /** Seconds. */
  duration: number;
  parentType?: CallPartyType;
  parentId?: string;
  assignedUserId?: string;
  description: string;
  /** 3CX's call id: a retried or later run finds the record by it, so there is never a second one. */
  threecxCallId: string;
  /** The extension that had the call last (after transfers). */
  threecxExtension?: string;
  /** The outside number (the caller's, or the one dialled). */
  threecxNumber?: string;
  recordingUrl?: string;
  recordingDuration?: number;
  /** The facts the record was planned from (JSON), so a later run can fold new events into them. */
  threecxFacts: string;
}

export interface TaskFields {
  name: string;
  status: 'Not Started';
  priority: 'High';
  /** Due. */
  dateEnd: string;
  assignedUserId: string;
  parentType?: CallPartyType;
  parentId?: string;
  description: string;
  threecxCallId: string;
}

/** The `Call` record for the facts. `gaps` names what was missing, so the record says it was logged incomplete. */
export function planCallRecord(facts: CallFacts, staff: StaffDirectory): { fields: CallRecordFields; gaps: string[] } {
  const { started, ended } = facts;
  const gaps: string[] = [];
  if (!started) gaps.push('call.started never arrived');
  if (!ended) gaps.push('the end of the call was never reported');
  const direction = started?.direction ?? 'inbound';
  const answered = wasAnswered(ended);
  const parties = started?.parties ?? [];
  const number = started ? (direction === 'inbound' ? started.from : started.to) : undefined;
  const extension = facts.transfers.at(-1)?.toExtension ?? started?.extension;
  const start = callStart(facts);
  const duration = ended?.duration ?? 0;
  const end = ended?.endedAt ? new Date(ended.endedAt) : ended && start ? new Date(start.getTime() + duration * 1000) : undefined;
  const single = parties.length === 1 ? parties[0] : undefined;
  const assignedUserId = staffByExtension(staff, extension)?.userId ?? single?.assignedUserId ?? undefined;
  const recording = facts.recording ?? (ended?.recordingUrl ? { url: ended.recordingUrl, duration: undefined } : null);

  const fields: CallRecordFields = {
    name: callName(direction, answered, parties, number),
    status: answered ? 'Held' : 'Not Held',
    direction: direction === 'inbound' ? 'Inbound' : 'Outbound',
    dateStart: toEspoDateTime(start ?? new Date(0)),
    duration,
    description: describeCall(facts, parties, number, gaps),
    threecxCallId: facts.callId,
    threecxFacts: JSON.stringify(facts),
  };
  if (end && !Number.isNaN(end.getTime())) fields.dateEnd = toEspoDateTime(end);
  if (single) {
    fields.parentType = single.entityType;
    fields.parentId = single.espoId;
  }
  if (assignedUserId) fields.assignedUserId = assignedUserId;
  if (extension) fields.threecxExtension = extension;
  if (number) fields.threecxNumber = normalisePhone(number) ?? number;
  if (recording) {
    fields.recordingUrl = recording.url;
    if (recording.duration !== undefined) fields.recordingDuration = recording.duration;
  }
  return { fields, gaps };
}

/**
 * The follow-up Task of a missed inbound call, for the party's assigned user (else `defaultUserId`), due `dueMs`
 * after the call. Null for anything else: an answered call, an unanswered outbound call (the caller knows), or a
 * call whose end is unknown.
 */
export function planMissedCallTask(facts: CallFacts, options: { defaultUserId: string; dueMs: number }): TaskFields | null {
  const { started, ended } = facts;
  if (!ended || wasAnswered(ended) || (started?.direction ?? 'inbound') !== 'inbound') return null;
  const parties = started?.parties ?? [];
  const single = parties.length === 1 ? parties[0] : undefined;
  const number = started?.from;
  const start = callStart(facts) ?? new Date(0);
  const who = callerLabel(parties, number);
  const lines = [`Missed call from ${who} at ${toEspoDateTime(start)} UTC (3CX call ${facts.callId}).`];
  if (number) lines.push(`Call back: ${number}`);
  if (parties.length > 1) lines.push(`The number belongs to several parties: ${parties.map(partyLabel).join('; ')}.`);
  const task: TaskFields = {
    name: `Call back ${who}`,
    status: 'Not Started',
    priority: 'High',
    dateEnd: toEspoDateTime(new Date(start.getTime() + options.dueMs)),
    assignedUserId: single?.assignedUserId ?? options.defaultUserId,
    description: lines.join('\n'),
    threecxCallId: facts.callId,
  };
  if (single) {
    task.parentType = single.entityType;
    task.parentId = single.espoId;
  }
  return task;
}

/** The fields of `planned` that `existing` (the stored record) does not already hold; empty when nothing changed. */
export function recordPatch(existing: Readonly<Record<string, unknown>>, planned: CallRecordFields): Partial<CallRecordFields> {
  const patch: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(planned)) {
    if (value !== undefined && existing[field] !== value) patch[field] = value;
  }
  return patch;
}

export function staffByExtension(staff: StaffDirectory, extension: string | undefined): StaffDirectory[number] | undefined {
  return extension === undefined ? undefined : staff.find((m) => m.extension === extension);
}

export function staffByUser(staff: StaffDirectory, userId: string | null | undefined): StaffDirectory[number] | undefined {
  return userId ? staff.find((m) => m.userId === userId) : undefined;
}

/** When the call began: 3CX's start, else its end minus the talk time, else when the hub first heard of it. */
function callStart(facts: CallFacts): Date | undefined {
  const candidates: (Date | undefined)[] = [
    parse(facts.started?.startedAt),
    facts.ended?.endedAt ? shift(parse(facts.ended.endedAt), -facts.ended.duration) : undefined,
    facts.ended ? shift(parse(facts.ended.receivedAt), -facts.ended.duration) : undefined,
    parse(facts.transfers[0]?.transferredAt),
  ];
  return candidates.find((d) => d !== undefined);
}

function parse(iso: string | undefined): Date | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function shift(date: Date | undefined, seconds: number): Date | undefined {
  return date && new Date(date.getTime() + seconds * 1000);
}

function callName(direction: 'inbound' | 'outbound', answered: boolean, parties: readonly CallParty[], number: string | undefined): string {
  const who = callerLabel(parties, number);
  if (direction === 'inbound') return answered ? `Call from ${who}` : `Missed call from ${who}`;
  return answered ? `Call to ${who}` : `Unanswered call to ${who}`;
}

/** One party by name; several are never guessed between: the number and how many share it. */
function callerLabel(parties: readonly CallParty[], number: string | undefined): string {
  const single = parties.length === 1 ? parties[0] : undefined;
  if (single?.name) return single.name;
  if (parties.length > 1) return `${number ?? 'unknown number'} (${parties.length} parties)`;
  return number ?? 'unknown number';
}

function partyLabel(p: CallParty): string {
  const betNr = p.betNr !== null ? `, betNr ${p.betNr}` : '';
  return `${p.name ?? '(no name)'} (${p.entityType} ${p.espoId}${betNr})`;
}

function describeCall(facts: CallFacts, parties: readonly CallParty[], number: string | undefined, gaps: readonly string[]): string {
  const { started, ended } = facts;
  const lines: string[] = [];
  if (started) {
    lines.push(`3CX call ${facts.callId}, ${started.direction}: ${started.from} → ${started.to}, extension ${started.extension}.`);
  } else {
    lines.push(`3CX call ${facts.callId}.`);
  }
  if (parties.length > 1)
    lines.push(`The number ${number ?? ''} belongs to several parties: ${parties.map(partyLabel).join('; ')}.`.replace('  ', ' '));
  for (const t of facts.transfers)
    lines.push(`Transferred from extension ${t.fromExtension} to ${t.toExtension} at ${formatTime(t.transferredAt)} UTC.`);
  if (ended) lines.push(wasAnswered(ended) ? `Talked ${ended.duration} s.` : 'Not answered.');
  const recording = facts.recording ?? (ended?.recordingUrl ? { url: ended.recordingUrl } : null);
  if (recording) lines.push(`Recording: ${recording.url}`);
  for (const gap of gaps) lines.push(`Logged incomplete: ${gap}.`);
  return lines.join('\n');
}

function formatTime(iso: string): string {
  const date = parse(iso);
  return date ? toEspoDateTime(date) : iso;
}
