/**
 * EspoCRM's DateTime format (SPEC §4): `YYYY-MM-DD HH:MM:SS` in UTC, without a zone designator.
 * Pure (no clock): workflows import it, and a Temporal workflow may only use the time it is given.
 */

const ESPO_DATETIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Seconds resolution: EspoCRM stores no milliseconds, so they are cut off rather than rounded up into the future. */
export function toEspoDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The instant an EspoCRM DateTime names, or `undefined` for anything that is not one
 * (empty, another format, or an impossible date such as Feb 30 that `Date` would roll over).
 * Seconds are optional because EspoCRM's UI may save `HH:MM` values.
 */
export function parseEspoDateTime(value: string | null | undefined): Date | undefined {
  const match = value ? ESPO_DATETIME.exec(value.trim()) : null;
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second = '00'] = match;
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
  if (Number.isNaN(date.getTime())) return undefined;
  // Date.parse accepts 2024-02-30 as March 1st; the round trip catches it.
  return toEspoDateTime(date).startsWith(`${year}-${month}-${day} ${hour}:${minute}`) ? date : undefined;
}

/** `date` shifted by `ms`, formatted for EspoCRM. */
export function espoDateTimeAfter(date: Date, ms: number): string {
  return toEspoDateTime(new Date(date.getTime() + ms));
}
