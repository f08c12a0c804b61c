import type { Beteiligte } from '../../contracts/advoware';
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
 * sharing the loaded entity and Advoware party.
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

  if (!entity.betnr) {
    const fields = espoToAdvoware(entity);
    const created = await calls.call(() => api.advowareCreateBeteiligte(fields));
    await calls.call(() =>
      api.espoUpdateBeteiligte(espoId, {
        betnr: created.betNr,
        ...syncedPatch({ now, rowId: created.rowId, stammdatenHash: currentHash }),
      }),
    );
    return { decision: 'create', fieldsChanged: Object.keys(fields), apiCalls: calls.count, betNr: created.betNr };
  }

  const betNr = entity.betnr;
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
        await calls.call(() => api.espoUpdateBeteiligte(espoId, syncedPatch({ now, rowId: advo.rowId, stammdatenHash: currentHash })));
      }
      return { decision: 'no_change', fieldsChanged: [], apiCalls: calls.count, betNr };
    }
    case 'advoware_newer': {
      const fromAdvoware = advowareToEspo(advo);
      const written = stammdatenChanges(entity, fromAdvoware);
      const after: EspoBeteiligte = { ...entity, ...fromAdvoware };
      await calls.call(() =>
        api.espoUpdateBeteiligte(espoId, {
          ...fromAdvoware,
          ...syncedPatch({ now, rowId: advo.rowId, stammdatenHash: stammdatenHash(after) }),
        }),
      );
      return { decision: 'advoware_newer', fieldsChanged: written, apiCalls: calls.count, betNr };
    }
    case 'espocrm_newer':
    case 'initial_sync':
    case 'conflict': {
      const written = await pushToAdvoware(api, espoId, entity, currentHash, advo, calls, now);
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
      return { decision: decision.kind, fieldsChanged: written, apiCalls: calls.count, betNr };
    }
    case 'create':
      // Unreachable: a party with betnr is never a create; kept so the switch is exhaustive.
      throw new Error('create decided for a party that has a betNr');
  }
}

/** Read-modify-write (SPEC §3.2): EspoCRM's values over the current Advoware party, then the new rowId back. */
async function pushToAdvoware(
  api: ReturnType<typeof syncCalls>,
  espoId: string,
  entity: EspoBeteiligte,
  currentHash: string,
  advo: Beteiligte,
  calls: CallCounter,
  now: Date,
): Promise<string[]> {
  const fields = espoToAdvoware(entity);
  const betNr = advo.betNr;
  const { rowId } = await calls.call(() => api.advowareUpdateBeteiligte(betNr, mergeForPut(advo, fields)));
  await calls.call(() => api.espoUpdateBeteiligte(espoId, syncedPatch({ now, rowId, stammdatenHash: currentHash })));
  return advowareChanges(advo, fields);
}
