import { isStale } from './timing';
import type { EspoBeteiligte } from '../../contracts/espocrm';

export type StammdatenDecisionKind = 'create' | 'initial_sync' | 'no_change' | 'espocrm_newer' | 'advoware_newer' | 'conflict';

interface DecisionBase<K extends StammdatenDecisionKind> {
  kind: K;
  espoChanged: boolean;
  advoChanged: boolean;
  /** One sentence for logs and the workflow result. */
  reason: string;
}

/** The verdict of one Stammdaten run (SPEC §5.2); the kinds that write to Advoware carry `direction`. */
export type StammdatenDecision =
  | (DecisionBase<'create'> & { direction: 'to_advoware' })
  | (DecisionBase<'initial_sync'> & { direction: 'to_advoware' })
  | (DecisionBase<'espocrm_newer'> & { direction: 'to_advoware' })
  | (DecisionBase<'conflict'> & { direction: 'to_advoware' })
  | (DecisionBase<'advoware_newer'> & { direction: 'to_espocrm' })
  | (DecisionBase<'no_change'> & { direction: 'none' });

export interface DecisionInput {
  entity: Pick<EspoBeteiligte, 'betnr' | 'advowareRowId' | 'stammdatenHash'>;
  /** `stammdatenHash(entity)` now. */
  currentHash: string;
  /** The Advoware Beteiligte's rowId now; absent when it was not fetched (no betnr yet). */
  advowareRowId?: string;
}

/**
 * The whole decision of one Stammdaten run (SPEC §5.2). Advoware changed when its rowId
 * differs from the one stored at the last sync (it changes on every write); EspoCRM changed
 * when the content hash differs from the stored one. Both: EspoCRM, the master, wins.
 */
export function decideStammdaten({ entity, currentHash, advowareRowId }: DecisionInput): StammdatenDecision {
  if (!entity.betnr) {
    return { kind: 'create', direction: 'to_advoware', espoChanged: true, advoChanged: false, reason: 'no betnr: the Beteiligte is new to Advoware' };
  }
  // Without the current rowId there is nothing to compare; only a caller that skipped the GET gets here.
  const advoChanged = advowareRowId !== undefined && (entity.advowareRowId ?? null) !== advowareRowId;
  if (!entity.stammdatenHash) {
    return {
      kind: 'initial_sync',
      direction: 'to_advoware',
      espoChanged: true,
      advoChanged,
      reason: 'no stammdatenHash yet: first sync of an existing pair, EspoCRM (master) is written to Advoware',
    };
  }
  const espoChanged = entity.stammdatenHash !== currentHash;
  if (espoChanged && advoChanged) {
    return {
      kind: 'conflict',
      direction: 'to_advoware',
      espoChanged,
      advoChanged,
      reason: 'changed in EspoCRM and in Advoware since the last sync: EspoCRM wins',
    };
  }
  if (espoChanged) {
    return {
      kind: 'espocrm_newer',
      direction: 'to_advoware',
      espoChanged,
      advoChanged,
      reason: 'EspoCRM content changed since the last sync (hash differs)',
    };
  }
  if (advoChanged) {
    return {
      kind: 'advoware_newer',
      direction: 'to_espocrm',
      espoChanged,
      advoChanged,
      reason: 'Advoware changed since the last sync (rowId differs)',
    };
  }
  return { kind: 'no_change', direction: 'none', espoChanged, advoChanged, reason: 'unchanged on both sides since the last sync' };
}

/**
 * The 24-hour check (SPEC §5.1/§5.2): a linked Beteiligte whose `advowareLastSync` is `staleMs`
 * old (or missing) gets it refreshed even when nothing changed, so the sweep stops listing it.
 */
export function needsStaleRefresh(entity: Pick<EspoBeteiligte, 'advowareLastSync'>, now: Date, staleMs: number): boolean {
  return isStale(entity.advowareLastSync, now, staleMs);
}
