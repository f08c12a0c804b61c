/**
 * Europe/Berlin wall clock ⇄ instant. Advoware stores wall-clock times without an offset (SPEC §3.2), Google
 * stores instants; the zone's rules (luxon's, from the runtime's ICU data) decide the offset of each day.
 *
 * Wall-clock times that do not exist or exist twice are resolved like RFC 5545 §3.3.5 and the TC39 Temporal
 * "compatible" disambiguation, so every part of the hub resolves them the same way:
 * - nonexistent (spring gap, e.g. 2026-03-29 02:30): read with the offset in force before the gap, i.e. moved
 *   forward by the gap's length → 03:30+02:00;
 * - ambiguous (autumn overlap, e.g. 2026-10-25 02:30): the earlier of the two instants → 02:30+02:00.
 */
import { DateTime, IANAZone } from 'luxon';
import { normalizeTime } from './advoware-dates';

export const BERLIN = 'Europe/Berlin';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const zone = IANAZone.create(BERLIN);

export interface WallClock {
  /** `YYYY-MM-DD` */
  date: string;
  /** `HH:MM:SS` */
  time: string;
}

/** The instant of a Berlin wall-clock time, as a luxon DateTime in the Berlin zone. */
function berlinInstant(date: string, time: string): DateTime {
  const wall = DateTime.fromISO(`${date}T${normalizeTime(time)}`, { zone: 'utc' });
  if (!wall.isValid) throw new RangeError(`not a wall-clock time: ${date} ${time}`);
  const wallMs = wall.toMillis();
  // Offsets in force a day before and after; zone changes are months apart, so these are the only candidates.
  const before = zone.offset(wallMs - DAY_MS);
  const after = zone.offset(wallMs + DAY_MS);
  const matching = [before, after]
    .map((offset) => wallMs - offset * MINUTE_MS)
    .filter((ms) => ms + zone.offset(ms) * MINUTE_MS === wallMs)
    .sort((a, b) => a - b);
  const ms = matching[0] ?? wallMs - before * MINUTE_MS;
  return DateTime.fromMillis(ms, { zone: BERLIN });
}

/** `2026-03-29` + `09:00:00` → `2026-03-29T07:00:00Z`. */
export function berlinWallClockToUtc(date: string, time: string): string {
  return berlinInstant(date, time).toUTC().toISO({ suppressMilliseconds: true }) ?? '';
}

/** Same instant as berlinWallClockToUtc, written with the Berlin offset (`2026-03-29T09:00:00+02:00`) as Google shows it. */
export function berlinWallClockToOffsetIso(date: string, time: string): string {
  return berlinInstant(date, time).toISO({ suppressMilliseconds: true }) ?? '';
}

/**
 * Berlin wall clock of an ISO instant (`…Z` or `…+01:00`). A string without an offset is taken as Berlin wall
 * clock already: never as the host's zone, which would make the result depend on where the worker runs.
 */
export function utcToBerlinWallClock(iso: string): WallClock {
  const instant = DateTime.fromISO(iso, { zone: BERLIN });
  if (!instant.isValid) throw new RangeError(`not an ISO date-time: ${iso}`);
  return { date: instant.toFormat('yyyy-MM-dd'), time: instant.toFormat('HH:mm:ss') };
}

/** Calendar arithmetic on `YYYY-MM-DD` (no zone involved: a date has no offset). */
export function addDays(date: string, days: number): string {
  const day = DateTime.fromISO(date, { zone: 'utc' });
  if (!day.isValid) throw new RangeError(`not a date: ${date}`);
  return day.plus({ days }).toISODate() ?? date;
}

/** ISO weekday of a date, 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return DateTime.fromISO(date, { zone: 'utc' }).weekday;
}

/** An ISO instant moved by `minutes`, written with the Berlin offset in force at the result. */
export function addMinutesIso(iso: string, minutes: number): string {
  const instant = DateTime.fromISO(iso, { zone: BERLIN });
  if (!instant.isValid) throw new RangeError(`not an ISO date-time: ${iso}`);
  return instant.plus({ minutes }).toISO({ suppressMilliseconds: true }) ?? iso;
}

/** Epoch milliseconds of an ISO instant (offset-less strings taken as Berlin wall clock). */
export function instantMs(iso: string): number {
  const instant = DateTime.fromISO(iso, { zone: BERLIN });
  if (!instant.isValid) throw new RangeError(`not an ISO date-time: ${iso}`);
  return instant.toMillis();
}

/** The date (`YYYY-MM-DD`) it is in Berlin at `now`. */
export function berlinToday(now: Date): string {
  return utcToBerlinWallClock(now.toISOString()).date;
}
