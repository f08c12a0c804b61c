import { DateTime } from 'luxon';
import { RRule } from 'rrule';
import { invalid } from './errors';
import { zoneOf } from './event-time';
import type { EventDateTime } from './types';

const LINE_PREFIXES = ['RRULE:', 'EXRULE:', 'RDATE', 'EXDATE'];

/** Google accepts RFC 5545 RRULE/EXRULE/RDATE/EXDATE lines and rejects anything else with 400. */
export function parseRecurrence(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((line) => typeof line !== 'string')) throw invalid('Invalid recurrence rule.');
  const lines = value as string[];
  for (const line of lines) {
    if (!LINE_PREFIXES.some((prefix) => line.toUpperCase().startsWith(prefix))) throw invalid('Invalid recurrence rule.');
    if (/^(RRULE|EXRULE):/i.test(line)) ruleOf(line);
  }
  return lines.length === 0 ? undefined : lines;
}

/** rrule's parser is lenient (an unknown FREQ just vanishes), so the essentials are checked here. */
function ruleOf(line: string, dtstart?: Date): RRule {
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(line.slice(line.indexOf(':') + 1));
  } catch {
    throw invalid('Invalid recurrence rule.');
  }
  const positive = (n: unknown): boolean => n === undefined || n === null || (Number.isInteger(n) && (n as number) > 0);
  if (typeof options.freq !== 'number' || !positive(options.interval) || !positive(options.count)) {
    throw invalid('Invalid recurrence rule.');
  }
  return new RRule({ ...options, dtstart: dtstart ?? null });
}

export interface Window {
  min?: number;
  max?: number;
}

/**
 * Whether any occurrence of a recurring event overlaps [min, max) — how events.list with
 * singleEvents=false decides to return a series master. Occurrences are expanded in the
 * wall-clock time of the event's zone (rrule works on "floating" UTC dates), so a series keeps
 * its local time across DST changes; UNTIL is compared as wall-clock time too (an
 * approximation of at most the zone's offset). EXDATE/RDATE are ignored.
 */
export function seriesOverlaps(
  recurrence: readonly string[],
  start: EventDateTime,
  durationMs: number,
  window: Window,
  calendarTimeZone: string,
): boolean {
  const zone = zoneOf(start, calendarTimeZone);
  const first = DateTime.fromISO(start.date ?? start.dateTime ?? '', { zone });
  const rules = recurrence.filter((line) => /^RRULE:/i.test(line)).map((line) => ruleOf(line, toFloating(first)));
  if (rules.length === 0) return true;
  return rules.some((rule) => ruleOverlaps(rule, durationMs, window, zone));
}

function ruleOverlaps(rule: RRule, durationMs: number, window: Window, zone: string): boolean {
  if (window.max !== undefined) {
    // The last occurrence starting before max ends latest among those that can overlap.
    const last = rule.before(toFloating(DateTime.fromMillis(window.max, { zone })), false);
    if (last === null) return false;
    return window.min === undefined || fromFloating(last, zone) + durationMs > window.min;
  }
  if (window.min !== undefined) {
    return rule.after(toFloating(DateTime.fromMillis(window.min - durationMs, { zone })), false) !== null;
  }
  return true;
}

function toFloating(dt: DateTime): Date {
  return new Date(Date.UTC(dt.year, dt.month - 1, dt.day, dt.hour, dt.minute, dt.second));
}

function fromFloating(date: Date, zone: string): number {
  return DateTime.fromObject(
    {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(),
    },
    { zone },
  ).toMillis();
}
