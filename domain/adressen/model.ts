/**
 * EspoCRM's two addresses of a Beteiligte as the Adressen sync sees them (SPEC §5.4), and how an Advoware address is
 * recognised as one of them. EspoCRM keeps addresses as its `address` field type, twice on CBeteiligte: billing and
 * shipping, each a street (multi-line text), postal code, city, state and country. Each is keyed `<espoId>:billing` /
 * `<espoId>:shipping`, and that key in Advoware's `bemerkung` is the only stable link (SPEC §3.2).
 */
import type { Adresse } from '../../contracts/advoware';
import type { EspoBeteiligte } from '../../contracts/espocrm';

export const ADDRESS_KINDS = ['billing', 'shipping'] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];

/** The Advoware fields a PUT writes (SPEC §3.2); everything else is read-only after creation. */
export const WRITABLE_FIELDS = ['strasse', 'plz', 'ort', 'zusatz'] as const;
export type WritableField = (typeof WRITABLE_FIELDS)[number];

export type EspoAddressFields = Pick<
  EspoBeteiligte,
  | 'billingAddressStreet'
  | 'billingAddressPostalCode'
  | 'billingAddressCity'
  | 'billingAddressState'
  | 'billingAddressCountry'
  | 'shippingAddressStreet'
  | 'shippingAddressPostalCode'
  | 'shippingAddressCity'
  | 'shippingAddressState'
  | 'shippingAddressCountry'
>;

/** One EspoCRM address in Advoware's terms. */
export interface EspoAddress {
  /** `<espoId>:billing` or `<espoId>:shipping`. */
  key: string;
  kind: AddressKind;
  strasse: string | null;
  /** Further lines of EspoCRM's street (c/o, building): Advoware's `zusatz`. */
  zusatz: string | null;
  plz: string | null;
  ort: string | null;
  /** Advoware's country code (`D`, `A`, `CH`) when known, else the country as typed. */
  land: string | null;
  /** The country as typed in EspoCRM, for messages. */
  country: string | null;
}

const FIELD_NAMES: Record<
  AddressKind,
  { street: keyof EspoAddressFields; postalCode: keyof EspoAddressFields; city: keyof EspoAddressFields; country: keyof EspoAddressFields }
> = {
  billing: { street: 'billingAddressStreet', postalCode: 'billingAddressPostalCode', city: 'billingAddressCity', country: 'billingAddressCountry' },
  shipping: {
    street: 'shippingAddressStreet',
    postalCode: 'shippingAddressPostalCode',
    city: 'shippingAddressCity',
    country: 'shippingAddressCountry',
  },
};

export const addressKey = (espoId: string, kind: AddressKind): string => `${espoId}:${kind}`;

/**
 * The addresses EspoCRM holds: an address whose street, postal code, city and country are all empty is none (the
 * state alone is not synced: Advoware has no field for it, and German postal addresses do not use it).
 */
export function readEspoAddresses(espoId: string, espo: EspoAddressFields): EspoAddress[] {
  const out: EspoAddress[] = [];
  for (const kind of ADDRESS_KINDS) {
    const names = FIELD_NAMES[kind];
    const lines = (espo[names.street] ?? '')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '');
    const plz = text(espo[names.postalCode]);
    const ort = text(espo[names.city]);
    const country = text(espo[names.country]);
    if (lines.length === 0 && plz === null && ort === null && country === null) continue;
    out.push({
      key: addressKey(espoId, kind),
      kind,
      strasse: lines[0] ?? null,
      zusatz: lines.length > 1 ? lines.slice(1).join(', ') : null,
      plz,
      ort,
      land: landCode(country),
      country,
    });
  }
  return out;
}

/** Trimmed; empty is null, so `""` in one system and `null` in the other are the same value. */
export function text(value: string | null | undefined): string | null {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? null : trimmed;
}

/** Advoware files countries by their vehicle code (`D` in the firm's data); EspoCRM users type names. */
const LAND_CODES: Readonly<Record<string, string>> = {
  d: 'D',
  de: 'D',
  deu: 'D',
  deutschland: 'D',
  germany: 'D',
  a: 'A',
  at: 'A',
  aut: 'A',
  österreich: 'A',
  oesterreich: 'A',
  austria: 'A',
  ch: 'CH',
  che: 'CH',
  schweiz: 'CH',
  switzerland: 'CH',
};

/** The Advoware code of a country name or code; an unknown country is kept as typed (compared without case). */
export function landCode(country: string | null | undefined): string | null {
  const typed = text(country);
  if (typed === null) return null;
  return LAND_CODES[typed.toLowerCase()] ?? typed;
}

const MARKER_PREFIX = 'EspoCRM-ID: ';

/** The `bemerkung` written at creation (SPEC §3.2): the only stable key of an Advoware address. */
export const formatAdresseMarker = (key: string): string => `${MARKER_PREFIX}${key}`;

/** The EspoCRM address key an Advoware address carries; null for an address the hub did not create. */
export function markerKey(adresse: Pick<Adresse, 'bemerkung'>): string | null {
  const bemerkung = (adresse.bemerkung ?? '').trim();
  if (!bemerkung.startsWith(MARKER_PREFIX)) return null;
  // A remark a user added in Advoware after the key does not unlink it.
  const key = bemerkung.slice(MARKER_PREFIX.length).split(/\s/)[0] ?? '';
  return key === '' ? null : key;
}

/** One line for messages: `Seeweg 7, 18055 Rostock`. */
export function describeAddress(a: Pick<Adresse, 'strasse' | 'plz' | 'ort' | 'zusatz' | 'land'>): string {
  const town = [text(a.plz), text(a.ort)].filter((p) => p !== null).join(' ');
  return [text(a.strasse), text(a.zusatz), town, text(a.land)].filter((p) => p !== null && p !== '').join(', ') || '(empty)';
}
