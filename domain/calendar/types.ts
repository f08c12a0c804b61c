/**
 * Shapes the calendar sync works on (SPEC §3.2 Termine, §6). Field names of Advoware are kept as they are on
 * the wire; the hub's own copy of the type (not the simulator's) so a difference in the real API is fixed here.
 */
import type { calendar_v3 } from 'googleapis';

/** Codes of `turnusArt`; 0 belongs to a single appointment. */
export const TURNUS_ART = { once: 0, daily: 1, weekly: 2, monthly: 3, yearly: 4 } as const;

/** Everything of a Termin that a POST/PUT writes. Dates are `YYYY-MM-DDT00:00:00`, times `HH:MM:SS`, Berlin wall clock. */
export interface TerminWrite {
  kuerzel: string;
  betreff: string | null;
  ort: string | null;
  notiz: string | null;
  datum: string;
  /** null for all-day appointments. */
  uhrzeitVon: string | null;
  datumBis: string | null;
  uhrzeitBis: string | null;
  /** All-day. */
  dauertermin: boolean;
  /** Interval of a series; 0 = once. */
  turnus: number;
  /** See TURNUS_ART; a number on the wire, so unknown codes can be seen (and ignored) rather than mistyped. */
  turnusArt: number;
  /** Last date of a series, null = open-ended. */
  turnusBis: string | null;
}

export interface Termin extends TerminWrite {
  frNr: number;
  /** Changes on every write in Advoware: the only change detector Advoware offers. */
  rowId: string;
}

export type Turnus = Pick<TerminWrite, 'turnus' | 'turnusArt' | 'turnusBis'>;

/**
 * The part of a Google event the hub reads and writes. A Pick of the googleapis type, so a listed event can be
 * passed in unchanged and a HubEvent can be sent as a request body unchanged. `recurringEventId` and `eventType`
 * are read only to skip what Advoware cannot hold (single-occurrence exceptions, out-of-office and the like).
 */
export type HubEvent = Pick<
  calendar_v3.Schema$Event,
  | 'id'
  | 'status'
  | 'summary'
  | 'description'
  | 'location'
  | 'start'
  | 'end'
  | 'recurrence'
  | 'recurringEventId'
  | 'eventType'
  | 'extendedProperties'
  | 'updated'
>;

export type HubEventDateTime = calendar_v3.Schema$EventDateTime;

/** Which side the appointment was first created on; decides what a deletion in Google means (SPEC §6). */
export type HubOrigin = 'advoware' | 'google';

/** Whether an event was last written with the Termin's texts ('full') or the neutral title ('private'). */
export type ContentMode = 'full' | 'private';

export function contentMode(fullContent: boolean): ContentMode {
  return fullContent ? 'full' : 'private';
}
