/**
 * The caller index (SPEC §8): which parties an incoming number belongs to, so the 3CX `call.started` webhook can
 * answer with a screen pop in well under 250 ms instead of scanning EspoCRM or Advoware. This module says what the
 * index holds and how a lookup is answered; clients/redis/caller-index.ts stores it.
 */
import type { EspoBeteiligte } from '../../contracts/espocrm';
import { normalisePhone } from '../contact-values';

/** Where a party in the index came from: an EspoCRM Beteiligte or a Vermieterhelden Lead (SPEC §7, §8). */
export type CallerSource = 'beteiligte' | 'lead';

/** What the screen pop shows about one party. */
export interface CallerParty {
  espoId: string;
  /** Advoware's Beteiligte number; null until the party was created there. */
  betNr: number | null;
  name: string | null;
  assignedUserId: string | null;
  source: CallerSource;
}

/** One number of one party; `number` is E.164, the index key. */
export interface CallerIndexEntry {
  number: string;
  party: CallerParty;
}

/** Every party the number belongs to: several when people share a line, none when the caller is unknown. */
export interface CallerLookup {
  matches: CallerParty[];
}

/** The attributes the index reads from a Beteiligte; the rebuild selects exactly these. */
export type CallerBeteiligte = Pick<
  EspoBeteiligte,
  'id' | 'name' | 'firstName' | 'lastName' | 'firmenname' | 'betnr' | 'assignedUserId' | 'phoneNumberData'
>;

export const CALLER_BETEILIGTE_ATTRIBUTES = [
  'id',
  'name',
  'firstName',
  'lastName',
  'firmenname',
  'betnr',
  'assignedUserId',
  'phoneNumberData',
] as const satisfies readonly (keyof CallerBeteiligte)[];

export interface PartyEntries {
  entries: CallerIndexEntry[];
  /** Numbers that cannot be a phone number (typos, extensions only): no caller can ever match them. */
  unusable: number;
}

/**
 * The index entries of one Beteiligte: each of its numbers in E.164, once. Numbers EspoCRM marks opt-out or
 * invalid stay in: opt-out forbids calling them, not recognising them, and "invalid" may be out of date when the
 * party calls from it.
 */
export function beteiligteEntries(beteiligte: CallerBeteiligte): PartyEntries {
  const party: CallerParty = {
    espoId: beteiligte.id,
    betNr: beteiligte.betnr ?? null,
    name: displayName(beteiligte),
    assignedUserId: beteiligte.assignedUserId ?? null,
    source: 'beteiligte',
  };
  const numbers = new Set<string>();
  let unusable = 0;
  for (const { phoneNumber } of beteiligte.phoneNumberData ?? []) {
    const number = normalisePhone(phoneNumber);
    if (number === null) unusable++;
    else numbers.add(number);
  }
  return { entries: [...numbers].map((number) => ({ number, party })), unusable };
}

/**
 * The answer for `rawNumber` (as 3CX or a person writes it) from stored entries: every party holding the number,
 * by espoId. Never a pick among several — which of two parties on one line is calling only the person knows.
 */
export function answerLookup(entries: Iterable<CallerIndexEntry>, rawNumber: string | null | undefined): CallerLookup {
  const number = normalisePhone(rawNumber);
  if (number === null) return { matches: [] };
  const byId = new Map<string, CallerParty>();
  for (const entry of entries) if (entry.number === number) byId.set(entry.party.espoId, entry.party);
  return { matches: [...byId.values()].sort((a, b) => (a.espoId < b.espoId ? -1 : a.espoId > b.espoId ? 1 : 0)) };
}

/** EspoCRM derives `name`; a record read without it still gets a name from its parts. */
function displayName(b: CallerBeteiligte): string | null {
  const name = b.name?.trim() || b.firmenname?.trim() || [b.firstName, b.lastName].filter((part) => part?.trim()).join(' ');
  return name || null;
}

/**
 * The Beteiligte as a sync run leaves it in EspoCRM: the run's loaded record with what it wrote. EspoCRM derives
 * `name` from the name fields, so a run that wrote one of them drops the old `name` and the display name is built
 * from the parts.
 */
export function beteiligteAfterRun(loaded: CallerBeteiligte, written: Partial<CallerBeteiligte>): CallerBeteiligte {
  const renamed = 'firstName' in written || 'lastName' in written || 'firmenname' in written;
  return { ...loaded, ...written, ...(renamed && !('name' in written) ? { name: null } : {}) };
}

/** The index entries of an EspoCRM Lead (SPEC §7): its numbers, so a lead calling back is recognised. */
export function leadEntries(lead: {
  id: string;
  name?: string | null;
  assignedUserId?: string | null;
  phoneNumbers: readonly string[];
}): PartyEntries {
  const party: CallerParty = {
    espoId: lead.id,
    betNr: null,
    name: lead.name?.trim() || null,
    assignedUserId: lead.assignedUserId ?? null,
    source: 'lead',
  };
  const numbers = new Set<string>();
  let unusable = 0;
  for (const raw of lead.phoneNumbers) {
    const number = normalisePhone(raw);
    if (number === null) unusable++;
    else numbers.add(number);
  }
  return { entries: [...numbers].map((number) => ({ number, party })), unusable };
}
