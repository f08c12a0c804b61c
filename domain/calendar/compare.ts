/**
 * "Did the event change?" asked independently of how Google writes things: both events are read as the Termin
 * they describe (Berlin wall clock, series as turnus), so `…Z` vs `…+01:00`, another `timeZone`, reordered RRULE
 * parts, '' vs a missing description or CRLF vs LF compare equal.
 * Texts only count with `full_content`: in private mode Google holds the neutral title, not Advoware's.
 * A lossy recurrence never equals a mapped one, so a rule Advoware cannot hold is noticed (and then normalised).
 */
import { eventToTerminWithLoss } from './from-event';
import type { HubEvent } from './types';

export interface CompareOptions {
  fullContent: boolean;
}

type Normalized = Record<string, string | number | boolean | null>;

/** The comparable content of an event, or undefined for one without a readable start. */
export function normalizedContent(e: HubEvent, options: CompareOptions): Normalized | undefined {
  let converted;
  try {
    converted = eventToTerminWithLoss(e, '');
  } catch {
    return undefined;
  }
  const { termin, lossy } = converted;
  const { kuerzel: _kuerzel, betreff, ort, notiz, ...times } = termin;
  const texts: Normalized = options.fullContent ? { betreff: trim(betreff), ort: trim(ort), notiz: trim(notiz) } : {};
  return { ...times, ...texts, lossy };
}

export function eventContentEquals(a: HubEvent, b: HubEvent, options: CompareOptions): boolean {
  const left = normalizedContent(a, options);
  const right = normalizedContent(b, options);
  if (left === undefined || right === undefined) return false;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].every((key) => left[key] === right[key]);
}

function trim(value: string | null): string | null {
  return value === null ? null : value.trim();
}
