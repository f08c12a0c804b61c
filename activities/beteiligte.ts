import { asyncLocalStorage } from '@temporalio/activity';
import type {
  Adresse,
  AdresseCreate,
  AdresseWrite,
  Beteiligte,
  BeteiligteWrite,
  KommunikationCreate,
  KommunikationWrite,
} from '../contracts/advoware';
import { externalFailure } from '../clients/errors';
import type { AdvowareClient } from '../clients/advoware/client';
import type { EspoCrmClient, EspoEntity } from '../clients/espocrm/client';
import type { LoadedBeteiligte, NotificationRequest, StoredBeteiligte } from '../contracts/beteiligte';
import { isFailure } from '../contracts/failures';
import type { EspoBeteiligte } from '../contracts/espocrm';
import { espoAdressenHash } from '../domain/adressen/hash';
import { markerKey } from '../domain/adressen/model';
import { stammdatenHash } from '../domain/beteiligte/hash';
import type { KommunikationWritten } from '../domain/kommunikation/after-writes';
import { espoKommunikationHash } from '../domain/kommunikation/hash';

const ENTITY = 'CBeteiligte';

/** The attempt of the activity running on this async path; 1 outside an activity (a benchmark calling it directly). */
const activityAttempt = (): number => asyncLocalStorage.getStore()?.info.attempt ?? 1;

/**
 * Beteiligte sync activities: one external call each, idempotent where the API allows.
 * A Beteiligte that does not exist (404) is an answer (`null`), not a failure.
 */
export function createBeteiligteActivities(deps: { advoware: AdvowareClient; espocrm: EspoCrmClient; adminUserId: string }) {
  return {
    async espoGetBeteiligte(id: string): Promise<LoadedBeteiligte | null> {
      try {
        const entity: EspoBeteiligte = await deps.espocrm.get<EspoBeteiligte & EspoEntity>(ENTITY, id);
        return { entity, currentHash: stammdatenHash(entity) };
      } catch (err) {
        if (isFailure(err, 'EspoCrm', 'NotFound')) return null;
        throw err;
      }
    },

    /**
     * Partial update. EspoCRM answers with the stored entity: its content hashes (not the whole entity, which would
     * only bloat history) tell the workflow whether a user's edit landed while the run was writing.
     */
    async espoUpdateBeteiligte(id: string, patch: Partial<EspoBeteiligte>): Promise<StoredBeteiligte> {
      const stored = await deps.espocrm.update<EspoBeteiligte & EspoEntity>(ENTITY, id, patch);
      return {
        currentHash: stammdatenHash(stored),
        kommunikationEspoHash: espoKommunikationHash(stored),
        adressenEspoHash: espoAdressenHash(stored),
      };
    },

    async espoNotify(request: NotificationRequest): Promise<void> {
      await deps.espocrm.notify({
        userId: request.userId || deps.adminUserId,
        message: request.message,
        relatedType: ENTITY,
        relatedId: request.relatedId,
      });
    },

    async advowareGetBeteiligte(betNr: number): Promise<Beteiligte | null> {
      try {
        return await deps.advoware.getBeteiligte(betNr);
      } catch (err) {
        if (isFailure(err, 'Advoware', 'NotFound')) return null;
        throw err;
      }
    },

    async advowareCreateBeteiligte(data: BeteiligteWrite): Promise<{ betNr: number; rowId: string }> {
      const created = await deps.advoware.createBeteiligte(data);
      return { betNr: created.betNr, rowId: created.rowId };
    },

    /**
     * A second POST would be a second entry, which can never be deleted: a regular activity, recorded once it landed.
     * A retry may still follow a POST that landed but answered too late (a time-out); the marker in `bemerkung`
     * names the value, so an entry with exactly this value and bemerkung is that POST's and is taken instead.
     */
    async advowareCreateKommunikation(betNr: number, data: KommunikationCreate): Promise<KommunikationWritten> {
      if (activityAttempt() > 1) {
        const landed = (await deps.advoware.getBeteiligte(betNr)).kommunikation?.find((k) => k.tlf === data.tlf && k.bemerkung === data.bemerkung);
        if (landed) return { entryId: landed.id, rowId: landed.rowId || null };
      }
      const created = await deps.advoware.createKommunikation(betNr, data);
      return { entryId: created.id, rowId: created.rowId || null };
    },

    /** Writes the same three fields again if repeated; only the rowId moves on. */
    async advowareUpdateKommunikation(betNr: number, id: number, data: KommunikationWrite): Promise<KommunikationWritten> {
      const updated = await deps.advoware.updateKommunikation(betNr, id, data);
      return { entryId: id, rowId: updated.rowId || null };
    },

    async advowareListAdressen(betNr: number): Promise<Adresse[]> {
      return deps.advoware.listAdressen(betNr);
    },

    /**
     * A second POST would be a second address, which can never be deleted: a regular activity, recorded once it
     * landed. A retry after a POST that landed but answered too late finds its marker and takes that address.
     */
    async advowareCreateAdresse(betNr: number, data: AdresseCreate): Promise<AdresseWritten> {
      if (activityAttempt() > 1) {
        const key = markerKey(data);
        const landed = (await deps.advoware.listAdressen(betNr)).find((a) => key !== null && markerKey(a) === key);
        if (landed) return written(landed);
      }
      return written(await deps.advoware.createAdresse(betNr, data));
    },

    /**
     * SPEC §3.2: the reihenfolgeIndex is not stable, so every PUT (a retry too) reads the addresses right before and
     * finds the one carrying `marker`. Two calls; the same four fields again if repeated.
     */
    async advowareUpdateAdresse(betNr: number, marker: string, data: AdresseWrite): Promise<AdresseWritten> {
      const key = markerKey({ bemerkung: marker });
      const current = (await deps.advoware.listAdressen(betNr)).find((a) => key !== null && markerKey(a) === key);
      if (!current) {
        // Only a user inside Advoware can remove an address: the attempt fails, and the next one plans from a fresh read.
        const path = `Beteiligte/${betNr}/Adressen`;
        throw externalFailure({ system: 'Advoware', kind: 'NotFound', method: 'PUT', path }, `no address carries "${marker}" any more`);
      }
      return written(await deps.advoware.updateAdresse(betNr, current.reihenfolgeIndex, data));
    },

    /** The PUT answers with the new rowId, so no GET follows. */
    async advowareUpdateBeteiligte(betNr: number, data: BeteiligteWrite): Promise<{ rowId: string }> {
      const updated = await deps.advoware.updateBeteiligte(betNr, data);
      return { rowId: updated.rowId };
    },
  };
}

/** What an address write answered, for the run's result. */
export interface AdresseWritten {
  reihenfolgeIndex: number;
}

const written = (adresse: Adresse): AdresseWritten => ({ reihenfolgeIndex: adresse.reihenfolgeIndex });

export type BeteiligteActivities = ReturnType<typeof createBeteiligteActivities>;
