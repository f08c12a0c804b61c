/** Advoware's date and time strings (SPEC §3.2): dates travel as `YYYY-MM-DDT00:00:00`, times as `HH:MM:SS`. */

const DATE_PREFIX = /^\d{4}-\d{2}-\d{2}/;

/** `YYYY-MM-DD` of an Advoware date (or of a plain date, which passes through). */
export function datePart(value: string): string {
  const match = DATE_PREFIX.exec(value);
  if (!match) throw new RangeError(`not a date: ${value}`);
  return match[0];
}

export function toAdvowareDate(date: string): string {
  return `${datePart(date)}T00:00:00`;
}

/** `HH:MM` is accepted because users type it; Advoware itself always sends seconds. */
export function normalizeTime(time: string): string {
  return /^\d{2}:\d{2}$/.test(time) ? `${time}:00` : time;
}
