/**
 * Termin → Google event (SPEC §6). Decisions the spec leaves open:
 * - A timed Termin without `uhrzeitBis` (or ending before it starts) lasts one hour from its start on its last
 *   day: Google needs an end, and an hour is what a calendar user would pick.
 * - A Termin without `uhrzeitVon` is all-day even when `dauertermin` is false: there is no time to place it at.
 * - All-day events end exclusively (the day after `datumBis`), as Google and RFC 5545 define `end.date`.
 * - Both event times carry `timeZone: Europe/Berlin`, which Google needs to expand a series across DST, so
 *   a weekly 09:00 stays at 09:00 Berlin after the clocks change.
 */
import { datePart } from './advoware-dates';
import { addDays, addMinutesIso, BERLIN, berlinWallClockToOffsetIso, instantMs } from './berlin';
import { turnusToRrule } from './recurrence';
import { tagProperties } from './tags';
import type { HubEvent, HubEventDateTime, HubOrigin, Termin, TerminWrite } from './types';

/** The title Google gets while `full_content` is off (SPEC §6: privacy by default). */
export const NEUTRAL_SUMMARY = 'Advoware-Termin';

/** Length of a timed appointment whose end Advoware does not say. */
export const DEFAULT_DURATION_MINUTES = 60;

export interface MappingOptions {
  fullContent: boolean;
}

export interface EventTimes {
  start: HubEventDateTime;
  end: HubEventDateTime;
  recurrence: string[];
}

export function isAllDay(t: TerminWrite): boolean {
  return t.dauertermin || t.uhrzeitVon === null;
}

/** start, end and recurrence of a Termin's event. */
export function terminTimes(t: TerminWrite): EventTimes {
  const firstDay = datePart(t.datum);
  const givenLastDay = datePart(t.datumBis ?? t.datum);
  const lastDay = givenLastDay < firstDay ? firstDay : givenLastDay;
  const allDay = isAllDay(t);
  const recurrence = turnusToRrule(t, { allDay });
  if (allDay || t.uhrzeitVon === null) {
    return { start: { date: firstDay, timeZone: BERLIN }, end: { date: addDays(lastDay, 1), timeZone: BERLIN }, recurrence };
  }
  const start = berlinWallClockToOffsetIso(firstDay, t.uhrzeitVon);
  const end =
    t.uhrzeitBis !== null && instantMs(berlinWallClockToOffsetIso(lastDay, t.uhrzeitBis)) >= instantMs(start)
      ? berlinWallClockToOffsetIso(lastDay, t.uhrzeitBis)
      : addMinutesIso(berlinWallClockToOffsetIso(lastDay, t.uhrzeitVon), DEFAULT_DURATION_MINUTES);
  return { start: { dateTime: start, timeZone: BERLIN }, end: { dateTime: end, timeZone: BERLIN }, recurrence };
}

/** The texts Google may see: the Termin's own with `full_content`, otherwise only the neutral title. */
export function terminTexts(t: TerminWrite, options: MappingOptions): Pick<HubEvent, 'summary' | 'description' | 'location'> {
  if (!options.fullContent) return { summary: NEUTRAL_SUMMARY };
  return {
    ...(t.betreff !== null && { summary: t.betreff }),
    ...(t.notiz !== null && { description: t.notiz }),
    ...(t.ort !== null && { location: t.ort }),
  };
}

/** The event a Termin becomes, as inserted into Google (tagged with its frNr and rowId). */
export function terminToEvent(t: Termin, options: MappingOptions & { origin?: HubOrigin }): HubEvent {
  const { start, end, recurrence } = terminTimes(t);
  const origin = options.origin ?? 'advoware';
  return {
    ...terminTexts(t, options),
    start,
    end,
    ...(recurrence.length > 0 && { recurrence }),
    extendedProperties: { private: tagProperties({ frNr: t.frNr, rowId: t.rowId, origin, fullContent: options.fullContent }) },
  };
}
