/**
 * Advoware series (`turnus`, `turnusArt`, `turnusBis`) ⇄ Google `recurrence` lines (RFC 5545 RRULE).
 *
 * UNTIL is inclusive of the whole last day in Berlin: Advoware's `turnusBis` names a date, and an occurrence
 * on that date must survive whatever its time. Timed series therefore end at 23:59:59 Berlin of that day,
 * written in UTC (`UNTIL=20261231T225959Z`, what Google's own UI writes); all-day series carry a DATE
 * (`UNTIL=20261231`), because RFC 5545 wants UNTIL in DTSTART's value type.
 *
 * Advoware knows only "every n days/weeks/months/years from the start". Rules with more (BYDAY sets, nth
 * weekdays, EXDATE…) are mapped to the nearest such series and flagged `lossy`; COUNT is expanded into the
 * date of its last occurrence (also flagged, as the rule's form changes even when its dates do not).
 */
import { Frequency, RRule, type ByWeekday, type Options } from 'rrule';
import { datePart, toAdvowareDate } from './advoware-dates';
import { berlinWallClockToUtc, isoWeekday, utcToBerlinWallClock } from './berlin';
import { TURNUS_ART, type Turnus } from './types';

export interface TurnusResult extends Turnus {
  /** The rule says more than Advoware can hold; what is returned is the nearest series. */
  lossy: boolean;
}

const ONCE: Turnus = { turnus: 0, turnusArt: TURNUS_ART.once, turnusBis: null };

const FREQ_BY_ART = new Map<number, Frequency>([
  [TURNUS_ART.daily, Frequency.DAILY],
  [TURNUS_ART.weekly, Frequency.WEEKLY],
  [TURNUS_ART.monthly, Frequency.MONTHLY],
  [TURNUS_ART.yearly, Frequency.YEARLY],
]);

/** Beyond this many occurrences a COUNT is not worth expanding exactly; the series is treated as open-ended. */
const MAX_COUNT_EXPANSION = 10_000;

/** `[]` for a single appointment (or a series with an unknown unit, which Advoware should not produce). */
export function turnusToRrule(series: Turnus, options: { allDay: boolean }): string[] {
  const freq = FREQ_BY_ART.get(series.turnusArt);
  const interval = Math.trunc(series.turnus);
  if (interval <= 0 || freq === undefined) return [];
  if (series.turnusBis === null) return [RRule.optionsToString({ freq, interval })];
  const lastDay = datePart(series.turnusBis);
  if (options.allDay) return [`${RRule.optionsToString({ freq, interval })};UNTIL=${lastDay.replaceAll('-', '')}`];
  const until = new Date(berlinWallClockToUtc(lastDay, '23:59:59'));
  return [RRule.optionsToString({ freq, interval, until })];
}

/**
 * The series a `recurrence` array describes. `startDate` (Berlin, `YYYY-MM-DD`) is the first occurrence's date:
 * it decides whether e.g. `BYDAY=TU` only restates the start's weekday (as Google's UI writes it) or adds days.
 */
export function rruleToTurnus(recurrence: readonly string[] | null | undefined, startDate: string): TurnusResult {
  const lines = (recurrence ?? []).map((line) => line.trim()).filter((line) => line !== '');
  const rules = lines.filter((line) => /^RRULE:/i.test(line));
  // EXDATE/RDATE/EXRULE change the set of dates in a way a plain series cannot.
  const extraLines = lines.length > rules.length || rules.length > 1;
  const first = rules[0];
  if (first === undefined) return { ...ONCE, lossy: extraLines };
  const parsed = parseRule(first.slice('RRULE:'.length));
  if (parsed === undefined) return { ...ONCE, lossy: true };
  const { options, untilValue } = parsed;

  const art = artOf(options.freq);
  const interval = options.interval !== undefined && options.interval > 0 ? options.interval : 1;
  let lossy = extraLines || art === undefined || !fitsStart(options, startDate);
  let turnusBis: string | null = null;
  if (untilValue !== undefined) {
    turnusBis = toAdvowareDate(untilDate(untilValue));
  } else if (options.count) {
    lossy = true;
    const last = lastOccurrence(options, startDate);
    turnusBis = last === undefined ? null : toAdvowareDate(last);
  }
  // Sub-daily rules (HOURLY…) have no Advoware unit; daily is the nearest that still shows every day.
  return { turnus: interval, turnusArt: art ?? TURNUS_ART.daily, turnusBis, lossy };
}

interface ParsedRule {
  options: Partial<Options>;
  /** UNTIL as written: its form (DATE, UTC, floating) matters and rrule's Date hides it. */
  untilValue: string | undefined;
}

function parseRule(body: string): ParsedRule | undefined {
  // rrule rejects X- extensions; they never change the dates, so they are dropped rather than failing the rule.
  const parts = body.split(';').filter((part) => part !== '' && !/^X-/i.test(part));
  const untilValue = parts.find((part) => /^UNTIL=/i.test(part))?.slice('UNTIL='.length);
  try {
    const options = RRule.parseString(parts.join(';'));
    return options.freq === undefined ? undefined : { options, untilValue };
  } catch {
    return undefined;
  }
}

function artOf(freq: Frequency | undefined): number | undefined {
  for (const [art, f] of FREQ_BY_ART) if (f === freq) return art;
  return undefined;
}

/** `YYYY-MM-DD` (Berlin) of an UNTIL value: a DATE, a UTC date-time, or a floating date-time (taken as Berlin). */
function untilDate(value: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/i.exec(value);
  if (!match) throw new RangeError(`not an UNTIL value: ${value}`);
  const [, y, m, d, hh, mm, ss, utc] = match;
  const date = `${y}-${m}-${d}`;
  return hh !== undefined && utc ? utcToBerlinWallClock(`${date}T${hh}:${mm}:${ss}Z`).date : date;
}

function list(value: number | number[] | null | undefined): number[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** rrule's weekday forms ('MO', 0, Weekday) as {weekday 0 = Monday, n = nth or undefined}. */
function weekdays(value: ByWeekday | ByWeekday[] | null | undefined): { weekday: number; n?: number }[] {
  if (value === null || value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((day) => {
    if (typeof day === 'number') return { weekday: day };
    if (typeof day === 'string') return { weekday: WEEKDAY_CODES.indexOf(day) };
    return { weekday: day.weekday, n: day.n };
  });
}

/** True when the rule's BY… parts only restate what the start date implies (Google's UI adds such parts). */
function fitsStart(options: Partial<Options>, startDate: string): boolean {
  const others = [options.bysetpos, options.byyearday, options.byweekno, options.byhour, options.byminute, options.bysecond];
  if (others.some((value) => list(value).length > 0) || (options.byeaster ?? null) !== null) return false;
  const [, month, day] = startDate.split('-').map(Number);
  const days = weekdays(options.byweekday);
  const monthDays = list(options.bymonthday);
  const months = list(options.bymonth);
  const onlyStart = (values: number[], expected: number | undefined): boolean =>
    values.length === 0 || (values.length === 1 && values[0] === expected);
  switch (options.freq) {
    case Frequency.DAILY:
      return days.length === 0 && monthDays.length === 0 && months.length === 0;
    case Frequency.WEEKLY: {
      const startDay = isoWeekday(startDate) - 1;
      const sameDay = days.length === 1 && days[0]?.weekday === startDay && !days[0].n;
      return monthDays.length === 0 && months.length === 0 && (days.length === 0 || sameDay);
    }
    case Frequency.MONTHLY:
      return days.length === 0 && months.length === 0 && onlyStart(monthDays, day);
    case Frequency.YEARLY:
      return days.length === 0 && onlyStart(months, month) && onlyStart(monthDays, day);
    default:
      return false;
  }
}

/** Date of a COUNT rule's last occurrence, expanded in floating time (wall-clock dates need no zone). */
function lastOccurrence(options: Partial<Options>, startDate: string): string | undefined {
  const [year = 1970, month = 1, day = 1] = startDate.split('-').map(Number);
  if ((options.count ?? 0) > MAX_COUNT_EXPANSION) return undefined;
  const rule = new RRule({ ...options, until: null, dtstart: new Date(Date.UTC(year, month - 1, day)) });
  const dates = rule.all();
  return dates[dates.length - 1]?.toISOString().slice(0, 10);
}
