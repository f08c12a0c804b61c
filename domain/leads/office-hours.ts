import type { OfficeHoursAnswer } from '../../contracts/leads';
import { addDays, berlinWallClockToUtc, isoWeekday, utcToBerlinWallClock } from '../calendar/berlin';

/** The firm's office hours in Europe/Berlin (LEAD_OFFICE_DAYS, LEAD_OFFICE_HOURS). */
export interface OfficeHours {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: readonly number[];
  /** `HH:MM`, Berlin wall clock; open from `open` up to (not including) `close`. */
  open: string;
  close: string;
}

/** The public holiday on a Berlin date (`YYYY-MM-DD`), by name; null on a working day. */
export type HolidayLookup = (date: string) => string | null;

/** A holiday lookup never needs more than this to find the next opening (Christmas to New Year is the longest gap). */
const SEARCH_DAYS = 31;

/**
 * Whether the office is open at `at` (an ISO instant) and when it opens next (SPEC §7: a qualification call only
 * within office hours). Berlin wall clock, so summer time shifts nothing; a holiday of the configured state closes
 * the whole day.
 */
export function officeHoursAt(at: string, hours: OfficeHours, holiday: HolidayLookup): OfficeHoursAnswer {
  const { date, time } = utcToBerlinWallClock(at);
  const hhmm = time.slice(0, 5);
  const todayHoliday = holiday(date);
  const workday = hours.days.includes(isoWeekday(date));
  const open = workday && todayHoliday === null && hhmm >= hours.open && hhmm < hours.close;
  return { open, nextOpening: open ? at : nextOpening(date, hhmm, hours, holiday), holiday: workday ? todayHoliday : null };
}

function nextOpening(date: string, hhmm: string, hours: OfficeHours, holiday: HolidayLookup): string {
  for (let offset = 0; offset <= SEARCH_DAYS; offset++) {
    const day = addDays(date, offset);
    if (offset === 0 && hhmm >= hours.open) continue; // today's opening is past
    if (!hours.days.includes(isoWeekday(day)) || holiday(day) !== null) continue;
    return berlinWallClockToUtc(day, `${hours.open}:00`);
  }
  // Only a configuration without working days gets here; the next day's opening is as good a due time as any.
  return berlinWallClockToUtc(addDays(date, 1), `${hours.open}:00`);
}
