/**
 * Advoware's Kommunikation type codes (SPEC §3.2) and how each meets EspoCRM: the one table of them.
 * EspoCRM knows e-mail addresses (no type) and phone numbers typed `Office | Mobile | Home | Fax | Other` (SPEC §4).
 */
import { isMobileNumber, looksLikeEmail } from '../contact-values';

export const KOMM_KZ = {
  TelGesch: 1,
  FaxGesch: 2,
  Mobil: 3,
  MailGesch: 4,
  Internet: 5,
  TelPrivat: 6,
  FaxPrivat: 7,
  MailPrivat: 8,
  AutoTelefon: 9,
  Sonstige: 10,
  EPost: 11,
  Bea: 12,
} as const;

export type KommKzName = keyof typeof KOMM_KZ;
export type KommKz = (typeof KOMM_KZ)[KommKzName];

export const ESPO_PHONE_TYPES = ['Office', 'Mobile', 'Home', 'Fax', 'Other'] as const;
export type EspoPhoneType = (typeof ESPO_PHONE_TYPES)[number];

/** Where an Advoware entry lives in EspoCRM; null: EspoCRM has no place for it (web address, E-Post, beA), so it is not synced. */
export type EspoSlot = { kind: 'email' } | { kind: 'phone'; type: EspoPhoneType } | null;

/**
 * Each code has one EspoCRM place, so an entry "fits" an EspoCRM value exactly when the places are equal.
 * Several codes share a place (MailGesch/MailPrivat, FaxGesch/FaxPrivat, Mobil/AutoTelefon); the way back takes
 * the first, business, one (ESPO_DEFAULT_KOMM_KZ).
 */
const ESPO_PLACE: Record<KommKz, EspoSlot> = {
  1: { kind: 'phone', type: 'Office' },
  2: { kind: 'phone', type: 'Fax' },
  3: { kind: 'phone', type: 'Mobile' },
  4: { kind: 'email' },
  5: null,
  6: { kind: 'phone', type: 'Home' },
  7: { kind: 'phone', type: 'Fax' },
  8: { kind: 'email' },
  // A car phone is reached over the mobile network; EspoCRM's closest type.
  9: { kind: 'phone', type: 'Mobile' },
  10: { kind: 'phone', type: 'Other' },
  11: null,
  12: null,
};

const ESPO_DEFAULT_KOMM_KZ: Record<EspoPhoneType, KommKz> = { Office: 1, Mobile: 3, Home: 6, Fax: 2, Other: 10 };
const EMAIL_KOMM_KZ: KommKz = KOMM_KZ.MailGesch;

export function isKommKz(value: unknown): value is KommKz {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 12;
}

export function kommKzName(kommKz: KommKz): KommKzName {
  return (Object.keys(KOMM_KZ) as KommKzName[]).find((name) => KOMM_KZ[name] === kommKz) ?? 'Sonstige';
}

export function espoPlaceOf(kommKz: KommKz): EspoSlot {
  return ESPO_PLACE[kommKz];
}

/** A CRM admin can add phone types; an unknown one is treated as `Other` rather than dropped. */
export function espoPhoneType(type: string | null | undefined): EspoPhoneType | null {
  if (!type) return null;
  return (ESPO_PHONE_TYPES as readonly string[]).includes(type) ? (type as EspoPhoneType) : 'Other';
}

/** The code a new Advoware entry gets for an EspoCRM value: the user's chosen type wins over what the number looks like. */
export function kommKzForEspo(kind: 'email' | 'phone', value: string, type?: string | null): KommKz {
  if (kind === 'email') return EMAIL_KOMM_KZ;
  const known = espoPhoneType(type);
  if (known) return ESPO_DEFAULT_KOMM_KZ[known];
  return isMobileNumber(value) ? KOMM_KZ.Mobil : KOMM_KZ.TelGesch;
}

/** True when an Advoware entry of `kommKz` is where EspoCRM's value belongs; else the value moved type (SPEC §3.2: kommKz is read-only). */
export function fitsEspo(kommKz: KommKz, kind: 'email' | 'phone', type?: string | null): boolean {
  const place = ESPO_PLACE[kommKz];
  if (!place || place.kind !== kind) return false;
  if (place.kind === 'email') return true;
  const known = espoPhoneType(type);
  return known === null || known === place.type;
}

/** Where an entry's code came from, for the plan's summary and the tests of each path. */
export type KommKzSource = 'marker' | 'advoware' | 'email' | 'mobile' | 'espoType' | 'default';

/**
 * The real code of an Advoware entry, which GET hides (always 0, SPEC §3.2), in this order: the hub's marker;
 * Advoware's own answer when it is not 0 (should the bug be fixed); the value (`@` → MailGesch); EspoCRM's
 * type of the equal value; the number (mobile → Mobil); TelGesch. EspoCRM's type comes before the mobile test
 * because the marker written now fixes the code for good: a business mobile EspoCRM files under `Office`
 * would otherwise be marked Mobil and moved to a new entry in the next run.
 */
export function recoverKommKz(entry: { markerKommKz?: KommKz | null; advowareKommKz: number; value: string; espoType?: string | null }): {
  kommKz: KommKz;
  source: KommKzSource;
} {
  if (entry.markerKommKz) return { kommKz: entry.markerKommKz, source: 'marker' };
  if (isKommKz(entry.advowareKommKz)) return { kommKz: entry.advowareKommKz, source: 'advoware' };
  if (looksLikeEmail(entry.value)) return { kommKz: EMAIL_KOMM_KZ, source: 'email' };
  const known = espoPhoneType(entry.espoType);
  if (known) return { kommKz: ESPO_DEFAULT_KOMM_KZ[known], source: 'espoType' };
  if (isMobileNumber(entry.value)) return { kommKz: KOMM_KZ.Mobil, source: 'mobile' };
  return { kommKz: KOMM_KZ.TelGesch, source: 'default' };
}
