/**
 * Which days an appointment covers, so a Termin that merely lies outside the window Advoware was listed for is
 * not mistaken for a deleted one (the list is `GET …/Termine?kuerzel=&from=&to=`, SPEC §3.2).
 */
import { datePart } from './advoware-dates';
import { addDays } from './berlin';
import type { TerminWrite } from './types';

/** Inclusive `YYYY-MM-DD` bounds. */
export interface DateWindow {
  from: string;
  to: string;
}

export interface DaySpan {
  first: string;
  /** null: an open-ended series. */
  last: string | null;
}

/** Same rule as Advoware's list filter: a series spans to `turnusBis`, a single appointment to `datumBis`. */
export function terminSpan(t: TerminWrite): DaySpan {
  const first = datePart(t.datum);
  if (t.turnus > 0) return { first, last: t.turnusBis === null ? null : datePart(t.turnusBis) };
  return { first, last: datePart(t.datumBis ?? t.datum) };
}

/** Without a window, Advoware was listed completely and every span is inside it. */
export function overlapsWindow(span: DaySpan, window: DateWindow | undefined): boolean {
  if (window === undefined) return true;
  return span.first <= window.to && (span.last === null || span.last >= window.from);
}

/** The days a sync (and the audit) looks at: `today` in Berlin, `daysBack` before to `daysAhead` after. */
export function syncWindow(today: string, daysBack: number, daysAhead: number): DateWindow {
  return { from: addDays(today, -daysBack), to: addDays(today, daysAhead) };
}
