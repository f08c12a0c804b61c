import { parseEspoDateTime } from '../espocrm-datetime';
import type { EspoBeteiligte } from './types';

export type StammdatenDecisionKind = 'create' | 'initial_sync' | 'no_change' | 'espocrm_newer' | 'advoware_newer' | 'conflict';

export interface StammdatenDecision {
  kind: StammdatenDecisionKind;
  espoChanged: boolean;
  advoChanged: boolean;
  reason: string;
}

export interface DecisionInput {
  entity: EspoBeteiligte;
  /** `stammdatenHash(entity)` now. */
  currentHash: string;
  /** The Advoware party's rowId now; absent for a party without betnr. */
  advowareRowId?: string;
}

/**
 * The decision of one Stammdaten run (SPEC §5.2). Advoware changed when its rowId differs
 * from the one stored at the last sync; EspoCRM changed when its content hash differs from
 * the stored one. Both changed: EspoCRM wins (conflict).
 */
export function decideStammdaten({ entity, currentHash, advowareRowId }: DecisionInput): StammdatenDecision {
  if (!entity.betnr) {
    return { kind: 'create', espoChanged: true, advoChanged: false, reason: 'no betnr: the party is new to Advoware' };
  }
  const advoChanged = advowareRowId !== undefined && entity.advowareRowId !== advowareRowId;
  if (!entity.stammdatenHash) {
    return { kind: 'initial_sync', espoChanged: true, advoChanged, reason: 'no stammdatenHash yet: first sync of an existing pair, EspoCRM is master' };
  }
  const espoChanged = entity.stammdatenHash !== currentHash;
  if (espoChanged && advoChanged) {
    return { kind: 'conflict', espoChanged, advoChanged, reason: 'changed on both sides since the last sync: EspoCRM wins' };
  }
  if (espoChanged) return { kind: 'espocrm_newer', espoChanged, advoChanged, reason: 'EspoCRM content changed since the last sync' };
  if (advoChanged) return { kind: 'advoware_newer', espoChanged, advoChanged, reason: 'Advoware rowId changed since the last sync' };
  return { kind: 'no_change', espoChanged, advoChanged, reason: 'unchanged on both sides' };
}

/** The 24-hour check (SPEC §5.1): a linked party not synced for `staleMs` gets its `advowareLastSync` refreshed. */
export function needsStaleRefresh(entity: EspoBeteiligte, now: Date, staleMs: number): boolean {
  if (!entity.advowareLastSync) return true;
  return now.getTime() - parseEspoDateTime(entity.advowareLastSync).getTime() >= staleMs;
}
