import { decideStammdaten, needsStaleRefresh } from '../../domain/beteiligte/decision';
import { stammdatenHash } from '../../domain/beteiligte/hash';
import { advowareChanges, advowareToEspo, espoToAdvoware, mergeForPut, stammdatenChanges } from '../../domain/beteiligte/mapping';
import { deletedInAdvowarePatch, syncedPatch } from '../../domain/beteiligte/status';
import type { EspoBeteiligte } from '../../contracts/espocrm';
import { syncCalls } from './activities';
import type { CallCounter } from './call-counter';
import type { BeteiligteSyncSettings, LoadedBeteiligte, RunOutcome } from '../../contracts/beteiligte';

/**
 * One Stammdaten run (SPEC §5.2). EspoCRM is the master; the decision itself is the pure
 * `decideStammdaten`; this function only performs what it decided, with the fewest calls.
 * Kommunikation, Adressen and Bankverbindungen join as further steps after the decision,
 * sharing the loaded entity and Advoware Beteiligte.
 */
export async function syncStammdaten(
  espoId: string,
  loaded: LoadedBeteiligte,
  settings: BeteiligteSyncSettings,
  calls: CallCounter,
): Promise<RunOutcome> {
  const api = syncCalls(settings.callTimeoutMs);
  const { entity, currentHash } = loaded;
  const now = new Date();

  /** The run's last write: `clean` with `writtenHash`; EspoCRM's answer says whether that content is still current. */
  async function markSynced(patch: Partial<EspoBeteiligte>, writtenHash: string): Promise<Pick<RunOutcome, 'editedDuringRun'>> {
    const stored = await calls.call(() => api.espoUpdateBeteiligte(espoId, patch));
    return stored.currentHash === writtenHash ? {} : { editedDuringRun: true };
  }

  if (!entity.betnr) {
    const fields = espoToAdvoware(entity);
    const created = await calls.call(() => api.advowareCreateBeteiligte(fields));
    const edited = await markSynced(
      { betnr: created.betNr, ...syncedPatch({ now, rowId: created.rowId, stammdatenHash: currentHash }) },
      currentHash,
    );
    return { decision: 'create', fieldsChanged: Object.keys(fields), apiCalls: calls.count, betNr: created.betNr, ...edited };
  }

  const betNr = entity.betnr;
  if (entity.syncStatus === 'deleted_in_advoware') {
    // Already recorded and notified: quiet until an operator links or re-creates it (SPEC §5.2, docs/runbook.md).
    return { decision: 'deleted_in_advoware', fieldsChanged: [], apiCalls: calls.count, betNr };
  }
  const advo = await calls.call(() => api.advowareGetBeteiligte(betNr));
  if (!advo) {
    await calls.call(() => api.espoUpdateBeteiligte(espoId, deletedInAdvowarePatch(now)));
    await calls.call(() =>
      api.espoNotify({
        userId: entity.assignedUserId,
        relatedId: espoId,
        message: `Beteiligter ${entity.name ?? espoId} (betNr ${betNr}) was deleted in Advoware. The hub does not re-create it; link or archive it by hand.`,
      }),
    );
    return { decision: 'deleted_in_advoware', fieldsChanged: [], apiCalls: calls.count, betNr };
  }

  const decision = decideStammdaten({ entity, currentHash, advowareRowId: advo.rowId });
  switch (decision.kind) {
    case 'no_change': {
      if (needsStaleRefresh(entity, now, settings.staleMs)) {
        const edited = await markSynced(syncedPatch({ now, rowId: advo.rowId, stammdatenHash: currentHash }), currentHash);
        return { decision: 'no_change', fieldsChanged: [], apiCalls: calls.count, betNr, ...edited };
      }
      return { decision: 'no_change', fieldsChanged: [], apiCalls: calls.count, betNr };
    }
    case 'advoware_newer': {
      const fromAdvoware = advowareToEspo(advo);
      const written = stammdatenChanges(entity, fromAdvoware);
      const afterHash = stammdatenHash({ ...entity, ...fromAdvoware });
      const edited = await markSynced({ ...fromAdvoware, ...syncedPatch({ now, rowId: advo.rowId, stammdatenHash: afterHash }) }, afterHash);
      return { decision: 'advoware_newer', fieldsChanged: written, apiCalls: calls.count, betNr, ...edited };
    }
    case 'espocrm_newer':
    case 'initial_sync':
    case 'conflict': {
      // Read-modify-write (SPEC §3.2): EspoCRM's values over the current Advoware Beteiligte, then the new rowId back.
      const fields = espoToAdvoware(entity);
      const { rowId } = await calls.call(() => api.advowareUpdateBeteiligte(betNr, mergeForPut(advo, fields)));
      const edited = await markSynced(syncedPatch({ now, rowId, stammdatenHash: currentHash }), currentHash);
      if (decision.kind === 'conflict') {
        await calls.call(() =>
          api.espoNotify({
            userId: entity.assignedUserId,
            relatedId: espoId,
            message:
              `Sync conflict for ${entity.name ?? espoId} (betNr ${betNr}): changed in EspoCRM (modified ${entity.modifiedAt ?? 'unknown'}) ` +
              `and in Advoware since the last sync (${entity.advowareLastSync ?? 'never'}). EspoCRM's values were kept and written to Advoware.`,
          }),
        );
      }
      return { decision: decision.kind, fieldsChanged: advowareChanges(advo, fields), apiCalls: calls.count, betNr, ...edited };
    }
    case 'create':
      // Unreachable: a Beteiligte with betnr is never a create; kept so the switch is exhaustive.
      throw new Error('create decided for a Beteiligte that has a betNr');
  }
}
