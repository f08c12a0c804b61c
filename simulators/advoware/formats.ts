/** Advoware's date and time wire formats (Europe/Berlin wall clock, no offset). */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_MIDNIGHT = /^(\d{4}-\d{2}-\d{2})T00:00:00$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;

/** True for a real calendar date `YYYY-MM-DD` (rejects 2025-02-30). */
export function isDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

/** True for `YYYY-MM-DDT00:00:00`, the way Advoware sends date-only values. */
export function isMidnightDateTime(value: string): boolean {
  const m = DATE_TIME_MIDNIGHT.exec(value);
  return m !== null && m[1] !== undefined && isDate(m[1]);
}

/** True for `HH:MM:SS`. */
export function isTime(value: string): boolean {
  return TIME.test(value);
}

/** The `YYYY-MM-DD` part of an Advoware date value. */
export function datePart(value: string): string {
  return value.slice(0, 10);
}

/** `YYYY-MM-DDTHH:MM:SS` of a moment in UTC; the simulator does not model time zones beyond that. */
export function formatDateTime(at: Date): string {
  return at.toISOString().slice(0, 19);
}
