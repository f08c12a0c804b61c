/**
 * The mapping between a Termin and its event lives on the event itself (SPEC §6: no extra database), in
 * `extendedProperties.private`, which only this service account's requests can see and which Google can filter
 * on (`privateExtendedProperty=advowareFrNr=5001`).
 */
import { contentMode, type ContentMode, type HubEvent, type HubOrigin } from './types';

export const TAG_KEYS = {
  frNr: 'advowareFrNr',
  /** Advoware's rowId as of the hub's last write: differs from the Termin's when Advoware changed it since. */
  rowId: 'advowareRowId',
  origin: 'hubOrigin',
  /** How the texts were last written, so a switch of `full_content` rewrites events instead of reading them back. */
  content: 'hubContent',
} as const;

export interface EventTags {
  frNr: number;
  rowId: string | null;
  origin: HubOrigin;
  content: ContentMode | null;
  /** False when a key is missing or unreadable: the hub rewrites the tags then. */
  complete: boolean;
}

/** The tags of an event, or undefined for an event the hub has not linked to a Termin. */
export function readTags(event: HubEvent): EventTags | undefined {
  const props = event.extendedProperties?.private ?? {};
  const rawFrNr = props[TAG_KEYS.frNr];
  if (rawFrNr === undefined || !/^\d+$/.test(rawFrNr)) return undefined;
  const rawOrigin = props[TAG_KEYS.origin];
  const rawContent = props[TAG_KEYS.content];
  const rowId = props[TAG_KEYS.rowId] ?? null;
  // An unknown origin counts as Advoware's: a vanished event is then re-created, never its appointment deleted.
  const origin: HubOrigin = rawOrigin === 'google' ? 'google' : 'advoware';
  const content: ContentMode | null = rawContent === 'full' || rawContent === 'private' ? rawContent : null;
  const complete = rowId !== null && (rawOrigin === 'google' || rawOrigin === 'advoware') && content !== null;
  return { frNr: Number(rawFrNr), rowId, origin, content, complete };
}

export function tagProperties(tags: { frNr: number; rowId: string; origin: HubOrigin; fullContent: boolean }): {
  [key: string]: string;
} {
  return {
    [TAG_KEYS.frNr]: String(tags.frNr),
    [TAG_KEYS.rowId]: tags.rowId,
    [TAG_KEYS.origin]: tags.origin,
    [TAG_KEYS.content]: contentMode(tags.fullContent),
  };
}

/** Value of events.list's `privateExtendedProperty` that finds the event of a Termin (e.g. before a re-insert). */
export function frNrFilter(frNr: number): string {
  return `${TAG_KEYS.frNr}=${frNr}`;
}
