/**
 * What the hub knows about one 3CX call (SPEC §8), folded from its events. Pure: the call workflow folds the signals
 * it receives, and a later run folds the facts an earlier run stored on the EspoCRM `Call` with its own. Folding
 * is idempotent and order-free: the same event twice changes nothing, `call.ended` before `call.started` is fine.
 */
import type { CallEvent } from '../../contracts/calls';
import type { CallOutcome, CallRecording, CallStatus } from '../../contracts/threecx';

type EventOf<K extends CallEvent['kind']> = Extract<CallEvent, { kind: K }>;

/** The start as its event says it, without the envelope. */
export type StartedFact = Omit<EventOf<'started'>, 'kind' | 'callId'>;

export type TransferFact = Omit<EventOf<'transferred'>, 'kind' | 'callId' | 'receivedAt'>;

export interface EndedFact {
  duration: number;
  outcome?: CallOutcome;
  recordingUrl?: string;
  endedAt?: string;
  polled?: boolean;
  receivedAt: string;
}

export interface CallFacts {
  callId: string;
  started: StartedFact | null;
  /** In the order they happened. */
  transfers: TransferFact[];
  ended: EndedFact | null;
  /** 3CX's recording metadata, once fetched. */
  recording: CallRecording | null;
}

export function emptyFacts(callId: string): CallFacts {
  return { callId, started: null, transfers: [], ended: null, recording: null };
}

/** `facts` with `event` folded in; `changed` is false when the event told nothing new (a duplicate). */
export function applyCallEvent(facts: CallFacts, event: CallEvent): { facts: CallFacts; changed: boolean } {
  if (event.callId !== facts.callId) return { facts, changed: false };
  switch (event.kind) {
    case 'started': {
      const { kind: _kind, callId: _callId, ...started } = event;
      const known = facts.started;
      if (!known) return { facts: { ...facts, started }, changed: true };
      // The outbound workflow knows what the webhook cannot: that the hub dialled, and whom. It wins.
      if (started.direction === 'outbound' && known.direction === 'inbound') return { facts: { ...facts, started }, changed: true };
      // A started without parties (a status read, an outbound call to a bare number) learns them from a later one.
      if (known.parties.length === 0 && started.parties.length > 0 && started.direction === known.direction) {
        return { facts: { ...facts, started: { ...known, parties: started.parties } }, changed: true };
      }
      return { facts, changed: false };
    }
    case 'transferred': {
      const transfer: TransferFact = { fromExtension: event.fromExtension, toExtension: event.toExtension, transferredAt: event.transferredAt };
      if (facts.transfers.some((t) => sameTransfer(t, transfer))) return { facts, changed: false };
      const transfers = [...facts.transfers, transfer].sort((a, b) => compareText(a.transferredAt, b.transferredAt));
      return { facts: { ...facts, transfers }, changed: true };
    }
    case 'ended': {
      const { kind: _kind, callId: _callId, ...ended } = event;
      if (!facts.ended) return { facts: { ...facts, ended }, changed: true };
      // 3CX's own word (it may carry the recording URL) replaces what a status poll found.
      if (facts.ended.polled && !ended.polled) return { facts: { ...facts, ended }, changed: true };
      return { facts, changed: false };
    }
  }
}

/** Folds every event in order; counts the ones that changed something. */
export function applyCallEvents(facts: CallFacts, events: readonly CallEvent[]): { facts: CallFacts; changed: number } {
  let current = facts;
  let changed = 0;
  for (const event of events) {
    const next = applyCallEvent(current, event);
    current = next.facts;
    if (next.changed) changed++;
  }
  return { facts: current, changed };
}

/** The facts as events again, so facts an earlier run stored fold into this run's with the same rules. */
export function factsAsEvents(facts: CallFacts): CallEvent[] {
  const events: CallEvent[] = [];
  const callId = facts.callId;
  if (facts.started) events.push({ kind: 'started', callId, ...facts.started });
  const receivedAt = facts.started?.receivedAt ?? facts.ended?.receivedAt ?? '';
  for (const t of facts.transfers) events.push({ kind: 'transferred', callId, ...t, receivedAt });
  if (facts.ended) events.push({ kind: 'ended', callId, ...facts.ended });
  return events;
}

/** Merges facts stored by an earlier run into this run's: both sides' events, this run's recording if it has one. */
export function mergeFacts(stored: CallFacts, current: CallFacts): { facts: CallFacts; changed: number } {
  const base = { ...emptyFacts(current.callId), recording: current.recording ?? stored.recording };
  const merged = applyCallEvents(base, [...factsAsEvents(stored), ...factsAsEvents(current)]).facts;
  // What this run adds to what was stored.
  const added = applyCallEvents({ ...stored, callId: current.callId }, factsAsEvents(current)).changed;
  return { facts: merged, changed: added + (current.recording && !stored.recording ? 1 : 0) };
}

/** The events a 3CX status read tells: the end of the call (when it ended), and its start when none came. */
export function statusEvents(status: CallStatus, receivedAt: string): CallEvent[] {
  const callId = status.call_id;
  const events: CallEvent[] = [
    {
      kind: 'started',
      callId,
      direction: status.direction,
      from: status.from,
      to: status.to,
      extension: status.extension,
      startedAt: status.started_at,
      parties: [],
      receivedAt,
    },
  ];
  if (status.status === 'ended') {
    events.push({
      kind: 'ended',
      callId,
      duration: status.duration ?? 0,
      ...(status.outcome !== undefined && { outcome: status.outcome }),
      ...(status.ended_at !== undefined && { endedAt: status.ended_at }),
      polled: true,
      receivedAt,
    });
  }
  return events;
}

/** Parses facts stored on a Call (`threecxFacts`); anything else (a hand-edited field) counts as none. */
export function parseStoredFacts(json: unknown, callId: string): CallFacts | null {
  if (typeof json !== 'string' || json === '') return null;
  try {
    const parsed = JSON.parse(json) as Partial<CallFacts>;
    if (parsed.callId !== callId || !Array.isArray(parsed.transfers)) return null;
    return { callId, started: parsed.started ?? null, transfers: parsed.transfers, ended: parsed.ended ?? null, recording: parsed.recording ?? null };
  } catch {
    return null;
  }
}

/** Whether the call was answered: 3CX's outcome, else talk time. */
export function wasAnswered(ended: EndedFact | null): boolean {
  if (!ended) return false;
  return ended.outcome ? ended.outcome === 'answered' : ended.duration > 0;
}

function sameTransfer(a: TransferFact, b: TransferFact): boolean {
  return a.fromExtension === b.fromExtension && a.toExtension === b.toExtension && a.transferredAt === b.transferredAt;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
