import { espoToAdvoware } from './mapping';
import type { EspoBeteiligte } from './types';

/**
 * Content hash of a party's sync-relevant EspoCRM values (SPEC §5.2): stored as
 * `stammdatenHash` with every successful sync, so a change is detected by content rather
 * than by `modifiedAt`, which EspoCRM bumps on the hub's own writes too.
 *
 * It hashes what would be sent to Advoware, so formatting that the mapping normalises away
 * (whitespace, an empty string vs. null, the derived `name`) is no change. Workflows run it
 * too, where node:crypto is not available: FNV-1a (64 bit), a fast non-cryptographic hash —
 * change detection only, never security.
 */
export function stammdatenHash(entity: EspoBeteiligte): string {
  const fields = espoToAdvoware(entity);
  const canonical = JSON.stringify(Object.keys(fields).sort().map((key) => [key, fields[key as keyof typeof fields]]));
  return fnv1a64(canonical);
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = (1n << 64n) - 1n;

function fnv1a64(input: string): string {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(input)) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK_64;
  }
  return hash.toString(16).padStart(16, '0');
}
