/**
 * Change detection of the Adressen sync. Advoware's Beteiligte GET does not embed its addresses, and reading them
 * costs a call: so a run reads them only when EspoCRM's addresses differ from the ones synced last (SPEC §5.2: an
 * unchanged Beteiligte costs two calls). EspoCRM is the master, so a difference on Advoware's side resolves to
 * EspoCRM's values whenever it is read; Advoware needs no hash of its own for that.
 */
import { fnv1a64 } from '../beteiligte/hash';
import type { AdresseDifference } from '../../contracts/beteiligte';
import { readEspoAddresses, type EspoAddressFields } from './model';

/**
 * `adressenEspoHash`: what the sync takes from EspoCRM's two addresses (street lines, postal code, city, country as
 * Advoware's code), in a fixed order. The state is not synced, so it is not in the hash; nor is the entity id,
 * which never changes for one entity.
 */
export function espoAdressenHash(espo: EspoAddressFields): string {
  const lines = readEspoAddresses('', espo).map((a) => [a.kind, a.strasse, a.zusatz, a.plz, a.ort, a.land].map((v) => v ?? '').join('|'));
  return fnv1a64(lines.join('\n'));
}

const NO_ADDRESSES = espoAdressenHash({});

/**
 * The hash stored at the last sync. A Beteiligte without one was never synced with addresses: when it has none
 * either, there is nothing to read or write, so it counts as unchanged (no call, no write).
 */
export function storedAdressenHash(entity: { adressenEspoHash?: string | null }): string {
  return entity.adressenEspoHash || NO_ADDRESSES;
}

/**
 * A short id of one difference Advoware cannot take, for `adressenReported`: the address, the field and both
 * values, so the same difference is notified once, and a new value on either side is a new difference.
 */
export function differenceId(d: AdresseDifference): string {
  return fnv1a64([d.address, d.field, d.advoware, d.espocrm].join('\n')).slice(0, 12);
}

/** `adressenReported` as stored: the ids, sorted, comma-separated; empty when nothing is outstanding. */
export function formatReported(ids: readonly string[]): string {
  return [...new Set(ids)].sort().join(',');
}

export function parseReported(stored: string | null | undefined): Set<string> {
  return new Set((stored ?? '').split(',').filter((id) => id !== ''));
}
