/**
 * Both sides of the Kommunikation sync read into one vocabulary (SPEC §5.3): EspoCRM's e-mail and phone arrays
 * as `EspoContact`s, Advoware's entries as slots, marked (synced before) or unmarked (Advoware's own) entries.
 * Every value carries its `key`, the normal form of contact-values.ts, which is how the two sides are compared;
 * the `value` is what the user typed and what is written.
 */
import type { Kommunikation } from '../../contracts/advoware';
import type { EspoEmailAddress, EspoPhoneNumber } from '../../contracts/espocrm';
import { looksLikeEmail, maskValue, normaliseEmail, normalisePhone } from '../contact-values';
import { espoPlaceOf, isKommKz, kommKzForEspo, type KommKz } from './kommkz';
import { parseBemerkung } from './marker';

export type ContactKind = 'email' | 'phone';

/** EspoCRM's e-mail and phone data of one Beteiligte, as GET answers and PUT takes them. */
export interface EspoKommunikationData {
  emailAddressData?: readonly EspoEmailAddress[] | null;
  phoneNumberData?: readonly EspoPhoneNumber[] | null;
}

export interface EspoContact {
  kind: ContactKind;
  /** As typed in EspoCRM, trimmed. */
  value: string;
  key: string;
  primary: boolean;
  /** EspoCRM's phone type; absent for e-mail. */
  type?: string;
  /** The code a new Advoware entry for it gets. */
  kommKz: KommKz;
}

export type AdvowareEntry =
  /** Free for a new value of its kommKz: an empty slot, or a marked entry whose value was cleared in Advoware. */
  | { state: 'slot'; entry: Kommunikation; kommKz: KommKz }
  /** Synced before: `syncedKey` is what the marker recorded, `currentKey` what the entry holds now. */
  | {
      state: 'marked';
      entry: Kommunikation;
      kind: ContactKind;
      kommKz: KommKz;
      syncedValue: string;
      syncedKey: string;
      current: string;
      /** Null when the value now in Advoware is no usable address or number. */
      currentKey: string | null;
      userText: string;
    }
  /**
   * Advoware's own (no marker): new there, or not yet matched in an initial sync. `knownKommKz` when the bemerkung
   * names the code anyway: a value typed into a slot, or a copy of a synced entry that got a value of its own.
   */
  | { state: 'unmarked'; entry: Kommunikation; kind: ContactKind; value: string; key: string; userText: string; knownKommKz?: KommKz };

export type SkipReason = 'invalidEmail' | 'invalidPhone' | 'duplicate' | 'notSyncable';

/** A value the plan leaves alone and reports; the values around it are synced as usual. */
export interface SkippedValue {
  side: 'espocrm' | 'advoware';
  reason: SkipReason;
  /** Masked (contact-values.ts maskValue): results and logs must not carry personal data. */
  value: string;
  entryId?: number;
}

export function keyOf(kind: ContactKind, value: string): string | null {
  return kind === 'email' ? normaliseEmail(value) : normalisePhone(value);
}

/** EspoCRM's values in their order, e-mail first; unusable and repeated ones are skipped, never guessed at. */
export function readEspo(data: EspoKommunikationData): { contacts: EspoContact[]; skipped: SkippedValue[] } {
  const contacts: EspoContact[] = [];
  const skipped: SkippedValue[] = [];
  const seen = new Set<string>();
  const add = (kind: ContactKind, raw: string | null | undefined, primary: boolean | undefined, type?: string): void => {
    const value = raw?.trim() ?? '';
    if (!value) return;
    // A phone field holding an address is a typo, not an e-mail: reported, not moved to the other list.
    const key = kind === 'phone' && looksLikeEmail(value) ? null : keyOf(kind, value);
    if (key === null) {
      skipped.push({ side: 'espocrm', reason: kind === 'email' ? 'invalidEmail' : 'invalidPhone', value: maskValue(value) });
    } else if (seen.has(key)) {
      skipped.push({ side: 'espocrm', reason: 'duplicate', value: maskValue(value) });
    } else {
      seen.add(key);
      const contact: EspoContact = { kind, value, key, primary: primary === true, kommKz: kommKzForEspo(kind, value, type) };
      if (kind === 'phone' && type) contact.type = type;
      contacts.push(contact);
    }
  };
  for (const item of data.emailAddressData ?? []) add('email', item.emailAddress, item.primary);
  for (const item of data.phoneNumberData ?? []) add('phone', item.phoneNumber, item.primary, item.type);
  return { contacts, skipped };
}

/** Advoware's entries by id (a stable order for the plan); empty unmarked entries are nobody's and left out. */
export function readAdvoware(entries: readonly Kommunikation[]): { entries: AdvowareEntry[]; skipped: SkippedValue[] } {
  const out: AdvowareEntry[] = [];
  const skipped: SkippedValue[] = [];
  for (const entry of [...entries].sort((a, b) => a.id - b.id)) {
    const tlf = (entry.tlf ?? '').trim();
    const parsed = parseBemerkung(entry.bemerkung);
    if (parsed.kind === 'slot' && !tlf) {
      out.push({ state: 'slot', entry, kommKz: parsed.kommKz });
      continue;
    }
    if (parsed.kind === 'marker') {
      const place = espoPlaceOf(parsed.kommKz);
      const syncedKey = place ? keyOf(place.kind, parsed.syncedValue) : null;
      if (place && syncedKey !== null) {
        if (!tlf) {
          // Cleared in Advoware: the value is gone there; the entry is as good as a slot of its kommKz.
          out.push({ state: 'slot', entry, kommKz: parsed.kommKz });
        } else {
          const { kind } = place;
          const { syncedValue, kommKz, userText } = parsed;
          out.push({ state: 'marked', entry, kind, kommKz, syncedValue, syncedKey, current: tlf, currentKey: keyOf(kind, tlf), userText });
        }
        continue;
      }
    }
    if (!tlf) continue;
    const kind: ContactKind = looksLikeEmail(tlf) ? 'email' : 'phone';
    const key = keyOf(kind, tlf);
    const reportedKz = isKommKz(entry.kommKz) ? espoPlaceOf(entry.kommKz) : undefined;
    if (key === null || reportedKz === null) {
      // A web address, E-Post or beA id, or a value that is no number: EspoCRM has no place for it.
      skipped.push({ side: 'advoware', reason: 'notSyncable', value: maskValue(tlf), entryId: entry.id });
      continue;
    }
    const unmarked: AdvowareEntry = { state: 'unmarked', entry, kind, value: tlf, key, userText: parsed.userText };
    if (parsed.kind === 'slot') unmarked.knownKommKz = parsed.kommKz;
    out.push(unmarked);
  }
  return { entries: out, skipped };
}
