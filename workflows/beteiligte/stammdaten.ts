import { decideStammdaten, needsStaleRefresh } from '../../domain/beteiligte/decision';
import { stammdatenHash } from '../../domain/beteiligte/hash';
import { advowareChanges, advowareToEspo, espoToAdvoware, mergeForPut, stammdatenChanges } from '../../domain/beteiligte/mapping';
import { deletedInAdvowarePatch, syncedPatch } from '../../domain/beteiligte/status';
import type { Kommunikation } from '../../contracts/advoware';
import type { EspoBeteiligte } from '../../contracts/espocrm';
import { syncCalls } from './activities';
import type { CallCounter } from './call-counter';
import type { BeteiligteSyncSettings, LoadedBeteiligte, NotificationRequest, RunOutcome } from '../../contracts/beteiligte';

/** Where the Stammdaten step leaves the run. */
export type StammdatenStep =
  /** Nothing more to do (deleted in Advoware): the step wrote what it had to. */
  | { kind: 'finished'; outcome: RunOutcome }
  | {
      kind: 'synced';
      outcome: RunOutcome;
      betNr: number;
      /** Advoware's Kommunikation entries as the run read them; none for a Beteiligte this run created. */
      kommunikation: Kommunikation[];
      /** The Stammdaten part of the run's final EspoCRM write; null when Stammdaten need no write. */
      patch: Partial<EspoBeteiligte> | null;
      /** `clean` and the sync bookkeeping, for the final write when only a later step has something to write. */
      statusPatch: Partial<EspoBeteiligte>;
      /** The stammdatenHash the final write stores; EspoCRM's answer showing another one means a user edited meanwhile. */
      writtenHash: string;
      /** Both sides changed: EspoCRM won, and wins the later steps too (SPEC §5.2). */
      conflict: boolean;
      /** Sent after the final write. */
      notification?: NotificationRequest;
    };

/**
 * The Stammdaten step of a run (SPEC §5.2). EspoCRM is the master; the decision itself is the pure
 * `decideStammdaten`; this function performs its Advoware writes with the fewest calls and leaves the EspoCRM
 * write to the end of the run, where it joins the other steps' bookkeeping in one call.
 */
export async function syncStammdaten(
  espoId: string,
  loaded: LoadedBeteiligte,
  settings: BeteiligteSyncSettings,
  calls: CallCounter,
): Promise<StammdatenStep> {
  const api = syncCalls(settings.callTimeoutMs);
  const { entity, currentHash } = loaded;
  const now = new Date();

  if (!entity.betnr) {
    const fields = espoToAdvoware(entity);
    const created = await calls.call(() => api.advowareCreateBeteiligte(fields, espoId));
    const statusPatch = { betnr: created.betNr, ...syncedPatch({ now, rowId: created.rowId, stammdatenHash: currentHash }) };
    return {
      kind: 'synced',
      outcome: { decision: 'create', fieldsChanged: Object.keys(fields), apiCalls: 0, betNr: created.betNr },
      betNr: created.betNr,
      kommunikation: [],
      patch: statusPatch,
      statusPatch,
      writtenHash: currentHash,
      conflict: false,
    };
  }

  const betNr = entity.betnr;
  if (entity.syncStatus === 'deleted_in_advoware') {
    // Already recorded and notified: quiet until an operator links or re-creates it (SPEC §5.2, docs/runbook.md).
    return { kind: 'finished', outcome: { decision: 'deleted_in_advoware', fieldsChanged: [], apiCalls: 0, betNr } };
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
    return { kind: 'finished', outcome: { decision: 'deleted_in_advoware', fieldsChanged: [], apiCalls: 0, betNr } };
  }

  const kommunikation = advo.kommunikation ?? [];
  const decision = decideStammdaten({ entity, currentHash, advowareRowId: advo.rowId });
  const synced = (rowId: string, writtenHash: string) => syncedPatch({ now, rowId, stammdatenHash: writtenHash });
  const step = { kind: 'synced', betNr, kommunikation, conflict: false } as const;
  switch (decision.kind) {
    case 'no_change': {
      const statusPatch = synced(advo.rowId, currentHash);
      const patch = needsStaleRefresh(entity, now, settings.staleMs) ? statusPatch : null;
      const outcome: RunOutcome = { decision: 'no_change', fieldsChanged: [], apiCalls: 0, betNr };
      return { ...step, outcome, patch, statusPatch, writtenHash: currentHash };
    }
    case 'advoware_newer': {
      const fromAdvoware = advowareToEspo(advo);
      const changed = stammdatenChanges(entity, fromAdvoware);
      // Only what differs: a user's edit of another field saved meanwhile survives, and the answer's hash shows it.
      const fields: Partial<EspoBeteiligte> = Object.fromEntries(changed.map((key) => [key, fromAdvoware[key as keyof typeof fromAdvoware]]));
      const writtenHash = stammdatenHash({ ...entity, ...fields });
      const statusPatch = synced(advo.rowId, writtenHash);
      const outcome: RunOutcome = { decision: 'advoware_newer', fieldsChanged: changed, apiCalls: 0, betNr };
      return { ...step, outcome, patch: { ...fields, ...statusPatch }, statusPatch, writtenHash };
    }
    case 'espocrm_newer':
    case 'initial_sync':
    case 'conflict': {
      // Read-modify-write (SPEC §3.2): EspoCRM's values over the current Advoware Beteiligte, then the new rowId back.
      const fields = espoToAdvoware(entity);
      const { rowId } = await calls.call(() => api.advowareUpdateBeteiligte(betNr, mergeForPut(advo, fields)));
      const statusPatch = synced(rowId, currentHash);
      const outcome: RunOutcome = { decision: decision.kind, fieldsChanged: advowareChanges(advo, fields), apiCalls: 0, betNr };
      const conflict = decision.kind === 'conflict';
      const notification: NotificationRequest | undefined = conflict
        ? {
            userId: entity.assignedUserId,
            relatedId: espoId,
            message:
              `Sync conflict for ${entity.name ?? espoId} (betNr ${betNr}): changed in EspoCRM (modified ${entity.modifiedAt ?? 'unknown'}) ` +
              `and in Advoware since the last sync (${entity.advowareLastSync ?? 'never'}). EspoCRM's values were kept and written to Advoware.`,
          }
        : undefined;
      return { ...step, outcome, patch: statusPatch, statusPatch, writtenHash: currentHash, conflict, ...(notification ? { notification } : {}) };
    }
    case 'create':
      // Unreachable: a Beteiligte with betnr is never a create; kept so the switch is exhaustive.
      throw new Error('create decided for a Beteiligte that has a betNr');
  }
}
