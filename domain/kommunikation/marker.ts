/**
 * The hub's bookkeeping inside Advoware's free-text `bemerkung` (SPEC §5.3):
 * - marker `[ESPOCRM:<base64(value)>:<kommKz>] user text`: the value last synced (so a later change of the value
 *   in Advoware is recognised as a change, not as a new entry) and the entry's real kommKz (GET hides it);
 * - slot `[ESPOCRM-SLOT:<kommKz>]`: an entry emptied in place of a delete (DELETE answers 403).
 * The user's own remark around a marker is kept through every rewrite.
 */
import { base64Decode, base64Encode } from './base64';
import { isKommKz, type KommKz } from './kommkz';

export type ParsedBemerkung =
  | { kind: 'marker'; syncedValue: string; kommKz: KommKz; userText: string }
  | { kind: 'slot'; kommKz: KommKz; userText: string }
  | { kind: 'none'; userText: string };

const MARKER = /\[ESPOCRM:([A-Za-z0-9+/=]*):(\d{1,2})\]/;
const SLOT = /\[ESPOCRM-SLOT:(\d{1,2})\]/;

export function formatMarker(value: string, kommKz: KommKz, userText = ''): string {
  const text = userText.trim();
  return `[ESPOCRM:${base64Encode(value)}:${kommKz}]${text ? ` ${text}` : ''}`;
}

/** The whole bemerkung of an empty slot: nothing of the user's, the remark belonged to the value that is gone. */
export function formatSlot(kommKz: KommKz): string {
  return `[ESPOCRM-SLOT:${kommKz}]`;
}

/**
 * Reads a bemerkung. A marker is recognised anywhere in the text (a user may have typed in front of it); one that
 * does not decode, or names no valid kommKz, is treated as the user's text, never guessed at.
 */
export function parseBemerkung(bemerkung: string | null | undefined): ParsedBemerkung {
  const text = bemerkung ?? '';
  const slot = SLOT.exec(text);
  if (slot) {
    const kommKz = Number(slot[1]);
    if (isKommKz(kommKz)) return { kind: 'slot', kommKz, userText: without(text, slot) };
  }
  const marker = MARKER.exec(text);
  if (marker) {
    const kommKz = Number(marker[2]);
    const syncedValue = base64Decode(marker[1] ?? '');
    if (syncedValue !== null && syncedValue.trim() !== '' && isKommKz(kommKz)) {
      return { kind: 'marker', syncedValue, kommKz, userText: without(text, marker) };
    }
  }
  return { kind: 'none', userText: text.trim() };
}

/** The text around the marker, otherwise untouched (line breaks included). */
function without(text: string, match: RegExpExecArray): string {
  const before = text.slice(0, match.index).trim();
  const after = text.slice(match.index + match[0].length).trim();
  return before && after ? `${before} ${after}` : before || after;
}
