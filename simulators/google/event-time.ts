import { DateTime, IANAZone } from 'luxon';
import { invalid, required, timeRangeEmpty } from './errors';
import type { EventDateTime } from './types';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** Milliseconds of an RFC 3339 timestamp; Google rejects query timestamps without an offset, so do we. */
export function parseRfc3339(value: string): number | undefined {
  if (!HAS_OFFSET.test(value)) return undefined;
  const dt = DateTime.fromISO(value, { setZone: true });
  return dt.isValid ? dt.toMillis() : undefined;
}

export type Edge = 'start' | 'end';

/**
 * Validates one of an event's `start`/`end` and renders it like Google: a `dateTime`
 * comes back with the offset of the event's time zone (or the calendar's), whatever
 * offset the client sent; seconds precision.
 */
export function normalizeEventDateTime(value: unknown, edge: Edge, calendarTimeZone: string): EventDateTime {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw required(`Missing ${edge} time.`);
  const v = value as Record<string, unknown>;
  const timeZone = optionalString(v.timeZone, edge);
  if (timeZone !== undefined && !isValidTimeZone(timeZone)) throw invalid(`Invalid time zone definition for ${edge} time.`);
  const date = optionalString(v.date, edge);
  const dateTime = optionalString(v.dateTime, edge);
  if (date !== undefined && dateTime !== undefined) throw invalid(`Invalid ${edge} time.`);

  if (date !== undefined) {
    if (!DATE.test(date) || !DateTime.fromISO(date).isValid) throw invalid(`Invalid ${edge} time.`);
    return timeZone === undefined ? { date } : { date, timeZone };
  }
  if (dateTime === undefined) throw required(`Missing ${edge} time.`);
  if (!HAS_OFFSET.test(dateTime) && timeZone === undefined) {
    throw required(`Missing time zone definition for ${edge} time.`);
  }
  const parsed = DateTime.fromISO(dateTime, { zone: timeZone ?? calendarTimeZone });
  if (!parsed.isValid) throw invalid(`Invalid ${edge} time.`);
  const rendered = parsed.startOf('second').toISO({ suppressMilliseconds: true });
  if (rendered === null) throw invalid(`Invalid ${edge} time.`);
  return timeZone === undefined ? { dateTime: rendered } : { dateTime: rendered, timeZone };
}

function optionalString(value: unknown, edge: Edge): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`Invalid ${edge} time.`);
  return value;
}

/** The zone in which a date or a recurrence is interpreted: the event's own, else the calendar's. */
export function zoneOf(value: EventDateTime, calendarTimeZone: string): string {
  return value.timeZone ?? calendarTimeZone;
}

/** The instant an (already normalized) start/end stands for; an all-day date starts at midnight of its zone. */
export function instantOf(value: EventDateTime, calendarTimeZone: string): number {
  if (value.date !== undefined) return DateTime.fromISO(value.date, { zone: zoneOf(value, calendarTimeZone) }).toMillis();
  return DateTime.fromISO(value.dateTime ?? '', { setZone: true }).toMillis();
}

/** Start and end must be of the same kind and the end must not come before the start. */
export function checkRange(start: EventDateTime, end: EventDateTime, calendarTimeZone: string): void {
  if ((start.date === undefined) !== (end.date === undefined)) {
    throw invalid('Start and end times must either both be date or both be dateTime.');
  }
  const from = instantOf(start, calendarTimeZone);
  const to = instantOf(end, calendarTimeZone);
  // All-day ends are exclusive, so an all-day event must span at least one day.
  if (to < from || (start.date !== undefined && to === from)) {
    throw timeRangeEmpty();
  }
}
