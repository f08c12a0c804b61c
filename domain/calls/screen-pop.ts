/**
 * The screen pop for `call.started` (SPEC §8): who is calling, from the caller index alone. Several parties on one
 * number are all named and none is picked (only the person on the line knows who it is).
 */
import type { CallParty } from '../../contracts/calls';
import { staffByUser, type StaffDirectory } from './plan';

export interface ScreenPopUser {
  userId: string;
  kuerzel: string | null;
  extension: string | null;
}

export interface ScreenPopMatch {
  espoId: string;
  name: string | null;
  betNr: number | null;
  espocrmUrl: string;
  assignedUser: ScreenPopUser | null;
  /** When the hub last logged a call with the party (ISO), null when never. */
  lastContact: string | null;
}

export interface ScreenPop {
  known: boolean;
  /** Several parties share the number: the top-level fields are null, `matches` names them all. */
  ambiguous: boolean;
  name: string | null;
  betNr: number | null;
  espocrmUrl: string | null;
  assignedUser: ScreenPopUser | null;
  lastContact: string | null;
  matches: ScreenPopMatch[];
}

/** A party as the caller index answers it, with its last contact. */
export type IndexedCaller = CallParty & { lastContact: string | null };

/** EspoCRM's UI address of a record: `<site>/#<Entity>/view/<id>`. */
export function espocrmRecordUrl(siteUrl: string, entityType: string, id: string): string {
  return `${siteUrl.replace(/\/+$/, '')}/#${entityType}/view/${encodeURIComponent(id)}`;
}

/** The site URL to link to: the configured one, else the API base without its `/api/v1`. */
export function espocrmSiteUrl(apiBaseUrl: string, siteUrl?: string): string {
  return (siteUrl ?? apiBaseUrl.replace(/\/+$/, '').replace(/\/api\/v1$/, '')).replace(/\/+$/, '');
}

export function screenPop(callers: readonly IndexedCaller[], staff: StaffDirectory, siteUrl: string): ScreenPop {
  const matches = callers.map((c): ScreenPopMatch => ({
    espoId: c.espoId,
    name: c.name,
    betNr: c.betNr,
    espocrmUrl: espocrmRecordUrl(siteUrl, c.entityType, c.espoId),
    assignedUser: assignedUser(staff, c.assignedUserId),
    lastContact: c.lastContact,
  }));
  const single = matches.length === 1 ? matches[0] : undefined;
  return {
    known: matches.length > 0,
    ambiguous: matches.length > 1,
    name: single?.name ?? null,
    betNr: single?.betNr ?? null,
    espocrmUrl: single?.espocrmUrl ?? null,
    assignedUser: single?.assignedUser ?? null,
    lastContact: single?.lastContact ?? null,
    matches,
  };
}

function assignedUser(staff: StaffDirectory, userId: string | null): ScreenPopUser | null {
  if (!userId) return null;
  const member = staffByUser(staff, userId);
  return { userId, kuerzel: member?.kuerzel ?? null, extension: member?.extension ?? null };
}
