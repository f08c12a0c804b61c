/**
 * The direction rules of SPEC §6 as one pure function: what a sync run of one employee's calendar must do.
 *
 * Inputs and the ≤ 2 API calls of an unchanged calendar. Each run costs exactly two list calls:
 * 1. Advoware `GET …/Termine?kuerzel=` — always every Termin (of `window` when one is used). Advoware has no
 *    change feed; its changes are found by comparing each Termin's `rowId` with the rowId the hub last wrote
 *    onto the event (tag `advowareRowId`).
 * 2. Google `events.list` — either
 *    - `mode: 'full'`: the whole calendar, without time filters, ideally `showDeleted: true` (first run, after
 *      `410 Gone`, after the workflow lost its state, and periodically to heal drift). `index` is optional here:
 *      with it, an event missing from the list counts as deleted in Google; without it, as never created.
 *    - `mode: 'incremental'`: with the `nextSyncToken` of the previous run, so `events` holds only the events
 *      changed since (our own writes of the previous run included, which then plan to nothing). `index` is
 *      required: the workflow keeps the CalendarIndex (sync-index.ts) and the syncToken in its state between
 *      runs (continue-as-new) and updates it with indexAfterList / indexWithEvent / indexWithoutEvent.
 * No other reads are needed: the index says which event holds each frNr and which rowId it was last written
 * with, so a Termin changed in Advoware is patched by event id, and a deleted event (which an incremental list
 * returns without its tags) is recognised by id. An unchanged calendar yields no actions, so no writes.
 *
 * Rules, per frNr:
 * - Termin only → createEvent. Event only (and inside `window`) → deleteEvent: Advoware is the master.
 * - Both, tags' rowId ≠ Termin's rowId (changed in Advoware, maybe in Google too: Advoware wins) → updateEvent,
 *   or tagEvent alone when the event already shows the Termin.
 * - Both, same rowId, event content ≠ the Termin's mapping (changed in Google only) → updateTermin.
 * - Both, equal → nothing (tagEvent when tags are incomplete).
 * - Termin exists, its event deleted in Google → recreateEvent; except a Google-origin event whose Termin is
 *   unchanged since → deleteTermin.
 * - Untagged live event → createTermin (it is new in Google).
 * - A `full_content` switch (tag `hubContent` differs) → updateEvent, never a write back into Advoware.
 * Content is compared as compare.ts describes (formatting-independent; texts only with `full_content`).
 */
import type { CalendarAction, CalendarPlan, SkippedEvent } from './actions';
import { eventContentEquals } from './compare';
import { eventToTermin, eventToTerminWithLoss, isMappableEvent } from './from-event';
import { eventPatchFor, tagPatch } from './patch';
import { overlapsWindow, terminSpan, type DateWindow } from './span';
import type { CalendarIndex, IndexEntry } from './sync-index';
import { readTags, type EventTags } from './tags';
import { terminToEvent } from './to-event';
import { contentMode, type ContentMode, type HubEvent, type HubOrigin, type Termin } from './types';

interface PlanInputBase {
  /** Employee whose calendar this is; new Termine from Google are created for them. */
  kuerzel: string;
  termine: readonly Termin[];
  events: readonly HubEvent[];
  fullContent: boolean;
  /** The days Advoware was listed for; Termine outside it are not in `termine` and must not count as deleted. */
  window?: DateWindow;
}

export interface FullPlanInput extends PlanInputBase {
  mode: 'full';
  index?: CalendarIndex;
}

export interface IncrementalPlanInput extends PlanInputBase {
  mode: 'incremental';
  index: CalendarIndex;
}

export type CalendarSyncInput = FullPlanInput | IncrementalPlanInput;

interface LinkedEvent {
  id: string;
  event: HubEvent;
  tags: EventTags;
}

/** An event deleted in Google, as far as its tags or the index tell. */
interface VanishedEvent {
  eventId: string;
  rowId: string | null;
  origin: HubOrigin;
}

interface Classified {
  linked: Map<number, LinkedEvent[]>;
  vanished: Map<number, VanishedEvent>;
  untagged: { id: string; event: HubEvent }[];
  skipped: SkippedEvent[];
  listedIds: Set<string>;
}

export function planCalendarSync(input: CalendarSyncInput): CalendarPlan {
  const index = input.index ?? {};
  const mode = contentMode(input.fullContent);
  const termine = new Map(input.termine.map((t) => [t.frNr, t]));
  const { linked, vanished, untagged, skipped, listedIds } = classify(input, index);
  const actions: CalendarAction[] = [];

  const known = (frNr: number): IndexEntry | undefined => (input.mode === 'incremental' ? index[String(frNr)] : undefined);
  const frNrs = new Set([...termine.keys(), ...linked.keys(), ...vanished.keys()]);
  if (input.mode === 'incremental') for (const key of Object.keys(index)) frNrs.add(Number(key));

  for (const frNr of [...frNrs].sort((a, b) => a - b)) {
    const termin = termine.get(frNr);
    const candidates = linked.get(frNr) ?? [];
    if (termin === undefined) {
      for (const { id, event } of candidates) {
        if (overlapsWindow(terminSpan(eventToTermin(event, '')), input.window)) {
          actions.push({ kind: 'deleteEvent', eventId: id, frNr, reason: 'deletedInAdvoware' });
        }
      }
      const entry = known(frNr);
      if (entry && !listedIds.has(entry.eventId) && overlapsWindow(entry, input.window)) {
        actions.push({ kind: 'deleteEvent', eventId: entry.eventId, frNr, reason: 'deletedInAdvoware' });
      }
      continue;
    }

    const [primary, ...duplicates] = primaryFirst(candidates, index[String(frNr)]?.eventId);
    for (const duplicate of duplicates) actions.push({ kind: 'deleteEvent', eventId: duplicate.id, frNr, reason: 'duplicate' });
    if (primary) {
      const action = planPair(termin, primary, input.fullContent, mode);
      if (action) actions.push(action);
      continue;
    }

    const gone = vanished.get(frNr);
    if (gone) {
      // Advoware changed it after the last sync: that change is newer than nothing, so Advoware wins.
      if (gone.origin === 'google' && gone.rowId === termin.rowId) {
        actions.push({ kind: 'deleteTermin', frNr, eventId: gone.eventId });
      } else {
        // The appointment keeps its origin: deleting the new event in Google later must mean what it meant before.
        const event = terminToEvent(termin, { fullContent: input.fullContent, origin: gone.origin });
        actions.push({ kind: 'recreateEvent', previousEventId: gone.eventId, frNr, termin, event });
      }
      continue;
    }

    const entry = known(frNr);
    if (entry) {
      if (entry.rowId !== termin.rowId || entry.content !== mode) {
        const patch = eventPatchFor(termin, { fullContent: input.fullContent, origin: entry.origin });
        actions.push({ kind: 'updateEvent', eventId: entry.eventId, frNr, termin, patch });
      }
      continue;
    }
    actions.push({ kind: 'createEvent', frNr, termin, event: terminToEvent(termin, { fullContent: input.fullContent }) });
  }

  for (const { id, event } of [...untagged].sort((a, b) => compareIds(a.id, b.id))) {
    const { termin, lossy } = eventToTerminWithLoss(event, input.kuerzel);
    actions.push({ kind: 'createTermin', eventId: id, termin, origin: 'google', lossy });
  }
  return { actions, skipped };
}

/** A Termin and its live event: the heart of the direction rules. */
function planPair(termin: Termin, linked: LinkedEvent, fullContent: boolean, mode: ContentMode): CalendarAction | undefined {
  const { id, event, tags } = linked;
  const advowareChanged = tags.rowId !== termin.rowId;
  const modeChanged = tags.content !== null && tags.content !== mode;
  const showsTermin = eventContentEquals(event, terminToEvent(termin, { fullContent }), { fullContent });
  const tag = (): CalendarAction => ({
    kind: 'tagEvent',
    eventId: id,
    frNr: termin.frNr,
    rowId: termin.rowId,
    patch: tagPatch({ frNr: termin.frNr, rowId: termin.rowId, origin: tags.origin, fullContent }),
  });

  if (modeChanged || (advowareChanged && !showsTermin)) {
    const patch = eventPatchFor(termin, { fullContent, origin: tags.origin });
    return { kind: 'updateEvent', eventId: id, frNr: termin.frNr, termin, patch };
  }
  if (showsTermin) return advowareChanged || !tags.complete ? tag() : undefined;

  // Changed in Google only. In private mode the event's texts are not Advoware's, so the Termin keeps its own.
  const { termin: fromEvent, lossy } = eventToTerminWithLoss(event, termin.kuerzel);
  const write = fullContent ? fromEvent : { ...fromEvent, betreff: termin.betreff, ort: termin.ort, notiz: termin.notiz };
  return { kind: 'updateTermin', frNr: termin.frNr, eventId: id, termin: write, origin: tags.origin, lossy };
}

function classify(input: CalendarSyncInput, index: CalendarIndex): Classified {
  const byEventId = new Map<string, EventTags>();
  for (const [key, entry] of Object.entries(index)) {
    byEventId.set(entry.eventId, { frNr: Number(key), rowId: entry.rowId, origin: entry.origin, content: entry.content, complete: false });
  }
  const result: Classified = { linked: new Map(), vanished: new Map(), untagged: [], skipped: [], listedIds: new Set() };

  for (const event of input.events) {
    const id = event.id;
    if (!id) {
      result.skipped.push({ eventId: '', reason: 'noId' });
      continue;
    }
    result.listedIds.add(id);
    // A deleted event of an incremental list carries only its id: the index knows whose it was.
    const tags = readTags(event) ?? byEventId.get(id);
    if (event.status === 'cancelled') {
      // A cancelled occurrence of a series is a deleted single date, not a deleted appointment.
      if (tags && !event.recurringEventId && !result.vanished.has(tags.frNr)) {
        result.vanished.set(tags.frNr, { eventId: id, rowId: tags.rowId, origin: tags.origin });
      }
      continue;
    }
    const reason = skipReason(event);
    if (reason) {
      result.skipped.push({ eventId: id, reason });
    } else if (tags) {
      result.linked.set(tags.frNr, [...(result.linked.get(tags.frNr) ?? []), { id, event, tags }]);
    } else {
      result.untagged.push({ id, event });
    }
  }

  // A complete list that lacks an indexed event: it was deleted in Google (and purged, or listed without showDeleted).
  if (input.mode === 'full') {
    for (const [key, entry] of Object.entries(index)) {
      const frNr = Number(key);
      if (!result.listedIds.has(entry.eventId) && !result.vanished.has(frNr)) result.vanished.set(frNr, entry);
    }
  }
  return result;
}

function skipReason(event: HubEvent): SkippedEvent['reason'] | undefined {
  if (event.recurringEventId) return 'occurrenceException';
  if (event.eventType && event.eventType !== 'default') return 'specialEventType';
  if (!isMappableEvent(event)) return 'unreadableTimes';
  return undefined;
}

/** The event the index knows first, then by id: the same choice indexFromEvents makes. */
function primaryFirst(candidates: LinkedEvent[], indexedId: string | undefined): LinkedEvent[] {
  return [...candidates].sort((a, b) => {
    if (a.id === indexedId) return -1;
    if (b.id === indexedId) return 1;
    return compareIds(a.id, b.id);
  });
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
