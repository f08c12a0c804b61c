/**
 * A compact projection of the tagged events of one calendar: frNr → event id, last synced rowId, origin.
 * It is not a second source of truth (the tags on the events are, SPEC §6); it is what the calendar workflow
 * carries between runs, because an incremental Google list (syncToken) returns only what changed, and a
 * deleted event comes back as `{id, status: 'cancelled'}` without its tags. Lost or doubtful → a full list
 * rebuilds it with indexFromEvents.
 */
import { isMappableEvent, eventToTermin } from './from-event';
import { terminSpan, type DaySpan } from './span';
import { readTags } from './tags';
import type { ContentMode, HubEvent, HubOrigin } from './types';

export interface IndexEntry extends DaySpan {
  eventId: string;
  rowId: string | null;
  origin: HubOrigin;
  content: ContentMode | null;
}

/** Keyed by String(frNr): it travels as JSON in workflow state. */
export type CalendarIndex = Readonly<Record<string, IndexEntry>>;

export const EMPTY_INDEX: CalendarIndex = {};

/** The frNr and entry a live, tagged event contributes; undefined for anything else. */
export function indexEntryOf(event: HubEvent): { frNr: number; entry: IndexEntry } | undefined {
  const tags = readTags(event);
  if (!tags || !event.id || !isLiveAppointment(event) || !isMappableEvent(event)) return undefined;
  const span = terminSpan(eventToTermin(event, ''));
  return {
    frNr: tags.frNr,
    entry: { eventId: event.id, rowId: tags.rowId, origin: tags.origin, content: tags.content, ...span },
  };
}

/** From a complete list of the calendar. Of several events with one frNr the lowest id wins, as in the plan. */
export function indexFromEvents(events: readonly HubEvent[]): CalendarIndex {
  const index: Record<string, IndexEntry> = {};
  for (const event of events) {
    const found = indexEntryOf(event);
    if (!found) continue;
    const current = index[String(found.frNr)];
    if (current === undefined || found.entry.eventId < current.eventId) index[String(found.frNr)] = found.entry;
  }
  return index;
}

/**
 * After an event was written (the answer of insert/patch) or listed as changed: a live tagged event replaces
 * its frNr's entry, a cancelled one drops whatever entry points at it.
 */
export function indexWithEvent(index: CalendarIndex, event: HubEvent): CalendarIndex {
  if (!event.id) return index;
  if (event.status === 'cancelled') return indexWithoutEvent(index, event.id);
  const found = indexEntryOf(event);
  if (!found) return index;
  return { ...indexWithoutEvent(index, event.id), [String(found.frNr)]: found.entry };
}

export function indexWithoutEvent(index: CalendarIndex, eventId: string): CalendarIndex {
  const kept = Object.entries(index).filter(([, entry]) => entry.eventId !== eventId);
  return kept.length === Object.keys(index).length ? index : Object.fromEntries(kept);
}

/** The index as Google's list shows it: rebuilt from a full list, or folded with an incremental one. */
export function indexAfterList(index: CalendarIndex, events: readonly HubEvent[], mode: 'full' | 'incremental'): CalendarIndex {
  return mode === 'full' ? indexFromEvents(events) : events.reduce(indexWithEvent, index);
}

/**
 * A live event Advoware could hold. Not: cancelled ones, single-occurrence exceptions of a series (they carry
 * `recurringEventId`; Advoware has no exceptions) and special types (out-of-office, focus time, working location).
 */
export function isLiveAppointment(event: HubEvent): boolean {
  const ordinary = !event.eventType || event.eventType === 'default';
  return event.status !== 'cancelled' && !event.recurringEventId && ordinary;
}
