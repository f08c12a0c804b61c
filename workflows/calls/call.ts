import { condition, log, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { callEventReceived, type CallEvent, type CallSettings, type CallWorkflowInput, type CallWorkflowResult } from '../../contracts/calls';
import { HubEmployee, HubOutcome } from '../../contracts/search-attributes';
import type { CallRecording } from '../../contracts/threecx';
import {
  applyCallEvent,
  applyCallEvents,
  emptyFacts,
  mergeFacts,
  parseStoredFacts,
  statusEvents,
  wasAnswered,
  type CallFacts,
} from '../../domain/calls/facts';
import { planCallRecord, planMissedCallTask, recordPatch, staffByExtension } from '../../domain/calls/plan';
import { callCalls, callSettings, type CallCalls } from './activities';

/**
 * `call/<3CX call id>` (SPEC §8): the events of one call, from the webhook and the outbound workflow, folded into
 * what is known (duplicates and any order are fine, domain/calls/facts.ts), then ONE EspoCRM `Call` linked to the
 * party, its recording's metadata, and ONE follow-up `Task` for a missed inbound call. It stays open a grace period
 * for late events (a transfer, a duplicate) and updates the record; an event after that starts a new run, which
 * finds the Call by its 3CX id and folds the event into the facts stored on it — never a second Call.
 */
export async function callWorkflow(input: CallWorkflowInput): Promise<CallWorkflowResult> {
  const { callId } = input;
  let facts = emptyFacts(callId);
  let events = 0;
  let fresh = false;
  setHandler(callEventReceived, (event: CallEvent) => {
    const next = applyCallEvent(facts, event);
    if (!next.changed) return;
    facts = next.facts;
    events++;
    fresh = true;
  });

  const settings = await callSettings();
  const api = callCalls(settings.callTimeoutMs);

  // An event without its call.started is either early (call.ended ahead of it: wait a bounded time for it) or late
  // (an earlier run logged the call: go on with the facts stored on its record). The record tells which.
  let earlier = facts.started ? null : await api.espoFindCallLog(callId);
  if (!facts.started && !earlier?.call) await condition(() => facts.started !== null, settings.startWaitMs);
  earlier ??= await api.espoFindCallLog(callId);
  const stored = parseStoredFacts(earlier.call?.fields.threecxFacts, callId);
  if (stored) facts = mergeFacts(stored, facts).facts;

  let statusPolls = 0;
  if (!facts.ended && !earlier.call)
    statusPolls = await awaitEnd(
      settings,
      api,
      (status) => (facts = applyCallEvents(facts, status).facts),
      () => facts,
    );

  const writer = new CallLogWriter(callId, settings, api, earlier.call, earlier.taskId);
  facts = await withRecording(facts, api, writer.gaps);
  await writer.write(facts);
  const partyIds = (facts.started?.parties ?? []).map((p) => p.espoId);
  if (partyIds.length > 0) await api.recordCallContact(partyIds, contactTime(facts));

  // Late duplicates and transfers: each new fact updates the record; quiet for the grace period, the run ends.
  fresh = false;
  while (await condition(() => fresh, settings.graceMs)) {
    fresh = false;
    facts = await withRecording(facts, api, writer.gaps);
    await writer.write(facts);
  }

  return {
    callId,
    espoCallId: writer.espoCallId,
    created: writer.created,
    status: wasAnswered(facts.ended) ? 'Held' : 'Not Held',
    direction: facts.started?.direction ?? 'inbound',
    taskId: writer.taskId,
    partyIds,
    recording: facts.recording,
    events,
    writes: writer.writes,
    statusPolls,
    gaps: [...new Set(writer.gaps)],
  };
}

/**
 * Waits for the end of the call. 3CX may report no end of an outbound call, so those ask for the status on a durable
 * timer (`statusPollMs`); an inbound call waits for `call.ended` and asks once when it has not come in `maxCallMs`.
 * Returns how many status reads it made.
 */
async function awaitEnd(settings: CallSettings, api: CallCalls, fold: (events: CallEvent[]) => void, current: () => CallFacts): Promise<number> {
  const ended = () => current().ended !== null;
  const deadline = Date.now() + settings.maxCallMs;
  const outbound = current().started?.direction === 'outbound';
  let polls = 0;
  while (!ended() && Date.now() < deadline) {
    const wait = outbound ? Math.min(settings.statusPollMs, deadline - Date.now()) : deadline - Date.now();
    if (await condition(ended, wait)) break;
    const status = await api.threecxCallStatus(current().callId);
    polls++;
    // 3CX not configured or the call unknown to it: nothing more to learn, log what is known.
    if (!status) break;
    if (status.status === 'ended') fold(statusEvents(status, new Date().toISOString()));
    if (!outbound) break;
  }
  return polls;
}

/** The recording's metadata from 3CX when the call has one (its URL came, or an answered call ended unreported). */
async function withRecording(facts: CallFacts, api: CallCalls, gaps: string[]): Promise<CallFacts> {
  const ended = facts.ended;
  if (!ended || facts.recording || !(ended.recordingUrl || (ended.polled && wasAnswered(ended)))) return facts;
  let recording: CallRecording | null = null;
  try {
    recording = await api.threecxRecording(facts.callId);
  } catch (err) {
    // The call is logged anyway, with the URL 3CX sent; the length stays unknown.
    log.warn('3CX recording metadata could not be read', { callId: facts.callId, error: String(err) });
    gaps.push('3CX did not answer for the recording metadata');
  }
  return recording ? { ...facts, recording } : facts;
}

function contactTime(facts: CallFacts): string {
  return facts.started?.startedAt ?? facts.ended?.endedAt ?? facts.ended?.receivedAt ?? new Date().toISOString();
}

/** Writes the plan: the Call (created once, then only what changed) and the Task of a missed call (once). */
class CallLogWriter {
  espoCallId: string | null;
  taskId: string | null;
  created = false;
  writes = 0;
  readonly gaps: string[] = [];
  private stored: Record<string, unknown>;
  private outcome: string | undefined;

  constructor(
    private readonly callId: string,
    private readonly settings: CallSettings,
    private readonly api: CallCalls,
    earlier: { id: string; fields: Record<string, unknown> } | null,
    taskId: string | null,
  ) {
    this.espoCallId = earlier?.id ?? null;
    this.stored = earlier?.fields ?? {};
    this.taskId = taskId;
  }

  async write(facts: CallFacts): Promise<void> {
    const { fields, gaps } = planCallRecord(facts, this.settings.staff);
    this.gaps.push(...gaps);
    if (this.espoCallId === null) {
      this.espoCallId = await this.api.espoCreateCall(fields);
      this.created = true;
      this.writes++;
      this.stored = { ...fields };
    } else {
      const patch = recordPatch(this.stored, fields);
      if (Object.keys(patch).length > 0) {
        await this.api.espoUpdateCall(this.espoCallId, patch);
        this.writes++;
        this.stored = { ...this.stored, ...patch };
      }
    }
    const task =
      this.taskId === null
        ? planMissedCallTask(facts, { defaultUserId: this.settings.missedCallUserId, dueMs: this.settings.missedCallDueMs })
        : null;
    if (task) {
      this.taskId = await this.api.espoCreateTask(task);
      this.writes++;
    }
    const outcome = !facts.ended ? 'unknown_end' : wasAnswered(facts.ended) ? 'held' : 'missed';
    if (outcome !== this.outcome) {
      this.outcome = outcome;
      const kuerzel = staffByExtension(this.settings.staff, fields.threecxExtension)?.kuerzel;
      upsertSearchAttributes({ [HubOutcome.name]: [outcome], ...(kuerzel && { [HubEmployee.name]: [kuerzel] }) });
    }
    log.info('Call logged in EspoCRM', { callId: this.callId, espoCallId: this.espoCallId, status: fields.status, taskId: this.taskId });
  }
}
