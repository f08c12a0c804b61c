import { utf8Encode } from '../utf8';
import { espoToAdvoware } from './mapping';
import type { EspoStammdaten } from '../../contracts/espocrm';

/**
 * Content hash of a Beteiligte's sync-relevant EspoCRM values (SPEC §5.2), stored as
 * `stammdatenHash` with every successful sync. A change is detected by content, not by
 * `modifiedAt`, which EspoCRM bumps on the hub's own writes too.
 *
 * It hashes exactly what the mapping would send to Advoware, so:
 * - attributes the mapping does not read (sync metadata, modifiedAt, e-mail/phone) never change it;
 * - formatting the mapping normalises away (whitespace, `''` vs. null, `Mr.` vs. `Herr`,
 *   a company's hidden person names) is no change either;
 * - EspoCRM after an Advoware → EspoCRM write hashes the same in the next run, because
 *   that write holds the values the mapping reads back.
 * A change to the mapping itself changes hashes once: the next run pushes EspoCRM's values.
 */
export function stammdatenHash(entity: EspoStammdaten): string {
  return fnv1a64(canonicalJson(espoToAdvoware(entity)));
}

/** Sorted keys, absent values left out: the same content always gives the same text. */
function canonicalJson(fields: object): string {
  const entries = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}

const FNV_OFFSET_BASIS = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = (1n << 64n) - 1n;

/**
 * FNV-1a, 64 bit, over the UTF-8 bytes of `input`; 16 hex digits. Non-cryptographic: it
 * detects changes and is no defence against anyone crafting collisions. Written out in plain
 * JavaScript because workflows run it too, and the workflow sandbox has no node:crypto.
 */
export function fnv1a64(input: string): string {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of utf8Encode(input)) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK_64;
  }
  return hash.toString(16).padStart(16, '0');
}
