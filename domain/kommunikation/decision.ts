import type { Kommunikation } from '../../contracts/advoware';
import type { KommunikationDecision } from './actions';
import { espoKommunikationHash, isPendingEspoHash, kommunikationHash } from './hash';
import type { EspoKommunikationData } from './model';

/** The hashes stored in EspoCRM at the end of the last sync. */
export interface StoredKommunikationHashes {
  kommunikationHash?: string | null;
  kommunikationEspoHash?: string | null;
}

/**
 * Which side changed since the last sync, and who wins (SPEC §5.3): Advoware by the rowId hash, EspoCRM by the
 * content hash; both, or `forceEspoWins` (the Stammdaten run ended in a conflict, SPEC §5.2), and EspoCRM wins.
 * Without a stored kommunikationHash it is the initial sync. Without a stored EspoCRM hash (a Beteiligte the original
 * system synced) EspoCRM's side is unknown: then a value missing in Advoware is re-created, never deleted in EspoCRM.
 * The same holds for a pending hash (hash.ts): a run that wrote EspoCRM and stopped before its Advoware writes.
 */
export function decideKommunikation(
  espo: EspoKommunikationData,
  advoware: readonly Kommunikation[],
  stored: StoredKommunikationHashes,
  forceEspoWins = false,
): KommunikationDecision {
  const initialSync = !stored.kommunikationHash;
  const advowareChanged = !initialSync && stored.kommunikationHash !== kommunikationHash(advoware);
  const storedEspo = isPendingEspoHash(stored.kommunikationEspoHash) ? null : stored.kommunikationEspoHash;
  const espoChanged = storedEspo ? storedEspo !== espoKommunikationHash(espo) : null;
  const conflict = advowareChanged && espoChanged === true;
  const espoWins = forceEspoWins || conflict;
  const reason = forceEspoWins
    ? 'EspoCRM wins: the caller forces it (Stammdaten conflict)'
    : conflict
      ? 'changed in EspoCRM and in Advoware since the last sync: EspoCRM wins'
      : initialSync
        ? 'no kommunikationHash yet: initial sync, equal values are matched'
        : `${advowareChanged ? 'Advoware changed' : 'Advoware unchanged'}, ${espoChanged === null ? 'EspoCRM unknown (no stored hash)' : espoChanged ? 'EspoCRM changed' : 'EspoCRM unchanged'} since the last sync`;
  return { initialSync, advowareChanged, espoChanged, espoWins, reason };
}
