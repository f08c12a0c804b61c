/**
 * The two change detectors of the Kommunikation sync (SPEC §5.3). The Beteiligte's rowId does not change when only
 * its Kommunikation does, and EspoCRM's modifiedAt moves with the hub's own writes, so each side gets a hash
 * stored in EspoCRM at the end of every sync: a different hash now means that side changed since.
 */
import type { Kommunikation } from '../../contracts/advoware';
import { fnv1a64 } from '../beteiligte/hash';
import { md5Hex } from './md5';
import { readEspo, type EspoKommunikationData } from './model';

/**
 * `kommunikationHash`: the first 16 hex digits of MD5 over the sorted, concatenated rowIds of the sync-relevant
 * entries (non-empty, not slots), exactly as the original system computed it, so the hashes it stored stay valid.
 * An entry's rowId changes on every write to it, so any change, addition or clearing of a value changes the hash.
 */
export function kommunikationHash(entries: readonly Kommunikation[]): string {
  // A slot is empty by definition; a slot marker on an entry with a value is a value typed into a slot, which counts.
  const rowIds = entries
    .filter((entry) => (entry.tlf ?? '').trim() !== '' && entry.rowId)
    .map((entry) => entry.rowId)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return md5Hex(rowIds.join('')).slice(0, 16);
}

/**
 * `kommunikationEspoHash`: what the planner compares on EspoCRM's side, each value in its normal form with its
 * kommKz and primary flag, in a fixed order. So formatting (`030 1234567` vs. `+49 30 1234567`), case and the
 * order of the arrays are no change, and neither are optOut/invalid, which Advoware has no field for.
 * FNV-1a like the Stammdaten hash: only the hub reads it, and it need not match anything of the original's.
 */
export function espoKommunikationHash(data: EspoKommunikationData): string {
  const { contacts } = readEspo(data);
  const lines = contacts.map((c) => `${c.kind}|${c.key}|${c.kommKz}|${c.primary ? 1 : 0}`).sort();
  return fnv1a64(lines.join('\n'));
}

const PENDING_PREFIX = 'pending:';

/**
 * What the EspoCRM write of a run stores as `kommunikationEspoHash` while the run's Advoware writes are still to
 * come: not a hash (so the next run treats EspoCRM's side as unknown and finishes the job, nothing is taken as
 * deleted), yet a new value, so EspoCRM's webhook for that write names it and the gateway knows it as the hub's
 * own (domain/beteiligte/echo.ts). The run's final write stores the real hash.
 */
export function pendingEspoHash(hashAfter: string): string {
  return `${PENDING_PREFIX}${hashAfter}`;
}

export function isPendingEspoHash(stored: string | null | undefined): boolean {
  return typeof stored === 'string' && stored.startsWith(PENDING_PREFIX);
}
