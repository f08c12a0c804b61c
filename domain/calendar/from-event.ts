/**
 * Google event → Termin, the reverse of to-event.ts. Times become Berlin wall clock whatever zone the event was
 * written in; `datumBis` is always set (also for one-day appointments), since the event always says its end.
 */
import { datePart, toAdvowareDate } from './advoware-dates';
import { addDays, addMinutesIso, instantMs, utcToBerlinWallClock, type WallClock } from './berlin';
import { rruleToTurnus } from './recurrence';
import { DEFAULT_DURATION_MINUTES } from './to-event';
import type { HubEvent, TerminWrite } from './types';

export interface ConvertedEvent {
  termin: TerminWrite;
  /** The event's recurrence says more than Advoware can hold (see recurrence.ts). */
  lossy: boolean;
}

/** The Termin an event describes; throws RangeError for an event without a readable start. */
export function eventToTerminWithLoss(e: HubEvent, kuerzel: string): ConvertedEvent {
  const { first, last, allDay } = eventWallClocks(e);
  const series = rruleToTurnus(e.recurrence, first.date);
  return {
    termin: {
      kuerzel,
      betreff: text(e.summary),
      ort: text(e.location),
      notiz: text(e.description),
      datum: toAdvowareDate(first.date),
      uhrzeitVon: allDay ? null : first.time,
      datumBis: toAdvowareDate(last.date),
      uhrzeitBis: allDay ? null : last.time,
      dauertermin: allDay,
      turnus: series.turnus,
      turnusArt: series.turnusArt,
      turnusBis: series.turnusBis,
    },
    lossy: series.lossy,
  };
}

export function eventToTermin(e: HubEvent, kuerzel: string): TerminWrite {
  return eventToTerminWithLoss(e, kuerzel).termin;
}

/** False for an event the hub cannot turn into a Termin (no readable start). */
export function isMappableEvent(e: HubEvent): boolean {
  try {
    eventWallClocks(e);
    return true;
  } catch {
    return false;
  }
}

/** First and last Berlin wall clock of an event; for all-day events `last` is the last day (end is exclusive). */
function eventWallClocks(e: HubEvent): { first: WallClock; last: WallClock; allDay: boolean } {
  const startDate = e.start?.date;
  if (startDate) {
    const first = { date: datePart(startDate), time: '00:00:00' };
    const endDate = e.end?.date ? datePart(e.end.date) : undefined;
    const lastDate = endDate !== undefined && endDate > first.date ? addDays(endDate, -1) : first.date;
    return { first, last: { date: lastDate, time: '00:00:00' }, allDay: true };
  }
  const startDateTime = e.start?.dateTime;
  if (!startDateTime) throw new RangeError(`event ${e.id ?? '(new)'} has no start`);
  const endDateTime = e.end?.dateTime;
  const end =
    endDateTime && instantMs(endDateTime) >= instantMs(startDateTime) ? endDateTime : addMinutesIso(startDateTime, DEFAULT_DURATION_MINUTES);
  return { first: utcToBerlinWallClock(startDateTime), last: utcToBerlinWallClock(end), allDay: false };
}

/** Google sends '' and CRLF where Advoware has null and LF. */
function text(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const normalized = value.replace(/\r\n/g, '\n');
  return normalized.trim() === '' ? null : normalized;
}
