/**
 * The assigned employee's upcoming appointments for the AI context (SPEC §9), from Advoware's Termine as the
 * calendar sync reads them (SPEC §3.2: `GET …/Termine?kuerzel=&from=&to=` answers every Termin and series overlapping
 * the window, a series with its first date). A series is expanded to its occurrences in the window, so "the next
 * appointment" is an occurrence and not the series' first date weeks ago.
 *
 * Only when the employee is busy goes out, never the subject, place or notes: these are the appointments of the
 * employee with every client, and the profile is about one party.
 */
import { DateTime } from 'luxon';
import { datePart } from '../calendar/advoware-dates';
import { addDays, berlinToday, instantMs } from '../calendar/berlin';
import { terminTimes } from '../calendar/to-event';
import { TURNUS_ART, type TerminWrite } from '../calendar/types';
import type { DateWindow } from '../calendar/span';

/** One occurrence. All-day: `start`/`end` are dates (`end` inclusive); timed: ISO instants with the Berlin offset. */
export interface AppointmentSlot {
  allDay: boolean;
  start: string;
  end: string;
  /** An occurrence of a series. */
  recurring: boolean;
}

/** At most this many go into a profile: enough to say when the employee is free, few enough to stay compact. */
export const MAX_APPOINTMENTS = 20;

/** `today` (Berlin) to `days` days ahead, inclusive: the window the Termine are listed for. */
export function appointmentWindow(now: Date, days: number): DateWindow {
  const today = berlinToday(now);
  return { from: today, to: addDays(today, days) };
}

/**
 * The occurrences in `window` that have not ended at `now`, earliest first, at most `limit`; `total` counts them all.
 * Termine with a code of `turnusArt` the hub does not know count as single appointments (as the calendar sync reads them).
 */
export function upcomingAppointments(
  termine: readonly TerminWrite[],
  window: DateWindow,
  now: Date,
  limit = MAX_APPOINTMENTS,
): { items: AppointmentSlot[]; total: number } {
  const nowMs = now.getTime();
  const slots: { slot: AppointmentSlot; startMs: number }[] = [];
  for (const termin of termine) {
    for (const first of occurrenceDates(termin, window)) {
      const slot = slotOf(termin, first);
      if (endMs(slot) < nowMs) continue;
      slots.push({ slot, startMs: startMs(slot) });
    }
  }
  slots.sort((a, b) => a.startMs - b.startMs);
  return { items: slots.slice(0, limit).map((s) => s.slot), total: slots.length };
}

/** Days (from its first to its last) one occurrence covers, at least one. */
function lengthInDays(t: TerminWrite): number {
  const first = datePart(t.datum);
  const last = datePart(t.datumBis ?? t.datum);
  return Math.max(0, daysBetween(first, last));
}

/** First dates of the Termin's occurrences that overlap `window`. */
function occurrenceDates(t: TerminWrite, window: DateWindow): string[] {
  const first = datePart(t.datum);
  const span = lengthInDays(t);
  const overlaps = (date: string) => date <= window.to && addDays(date, span) >= window.from;
  const unit = seriesUnit(t);
  if (unit === undefined) return overlaps(first) ? [first] : [];

  const interval = Math.trunc(t.turnus);
  const until = t.turnusBis === null ? window.to : datePart(t.turnusBis);
  const out: string[] = [];
  // Daily and weekly series jump close to the window at once: a series from years ago must not cost years of steps.
  let k = 0;
  if (unit.days !== undefined) {
    const step = unit.days * interval;
    k = Math.max(0, Math.floor((daysBetween(first, window.from) - span) / step));
  }
  for (; ; k++) {
    const date = unit.days !== undefined ? addDays(first, k * unit.days * interval) : addMonths(first, k * unit.months * interval);
    if (date > window.to || date > until) break;
    // RFC 5545, as Google expands the series the calendar sync writes: a 31st skips the months without one.
    if (unit.months !== undefined && date.slice(8) !== first.slice(8)) continue;
    if (overlaps(date)) out.push(date);
  }
  return out;
}

function seriesUnit(t: TerminWrite): { days: number; months?: undefined } | { days?: undefined; months: number } | undefined {
  if (!(Math.trunc(t.turnus) > 0)) return undefined;
  switch (t.turnusArt) {
    case TURNUS_ART.daily:
      return { days: 1 };
    case TURNUS_ART.weekly:
      return { days: 7 };
    case TURNUS_ART.monthly:
      return { months: 1 };
    case TURNUS_ART.yearly:
      return { months: 12 };
    default:
      return undefined;
  }
}

function slotOf(t: TerminWrite, first: string): AppointmentSlot {
  const last = addDays(first, lengthInDays(t));
  // The calendar sync's own reading of a Termin's times (domain/calendar/to-event.ts), for this one occurrence: no or
  // an impossible end means one hour; an all-day end is exclusive there, inclusive here.
  const times = terminTimes({ ...t, datum: first, datumBis: last, turnus: 0, turnusArt: TURNUS_ART.once, turnusBis: null });
  const recurring = seriesUnit(t) !== undefined;
  const { start, end } = times;
  if (start.dateTime && end.dateTime) return { allDay: false, start: start.dateTime, end: end.dateTime, recurring };
  return { allDay: true, start: start.date ?? first, end: end.date ? addDays(end.date, -1) : last, recurring };
}

function startMs(slot: AppointmentSlot): number {
  return slot.allDay ? instantMs(`${slot.start}T00:00:00`) : instantMs(slot.start);
}

/** An all-day appointment lasts until the end of its last day. */
function endMs(slot: AppointmentSlot): number {
  return slot.allDay ? instantMs(`${addDays(slot.end, 1)}T00:00:00`) : instantMs(slot.end);
}

function daysBetween(from: string, to: string): number {
  return Math.round(DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days);
}

/** Months counted from the series' first date (not step by step), so a 31st after a short month is the 31st again. */
function addMonths(date: string, months: number): string {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ months }).toISODate() ?? date;
}
