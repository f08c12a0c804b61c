import type {
  Adresse,
  AdresseCreate,
  AdresseWrite,
  Beteiligte,
  BeteiligteWrite,
  KommunikationCreate,
  KommunikationWrite,
} from '../contracts/advoware';
import { log } from '@temporalio/activity';
import { externalFailure } from '../clients/errors';
import type { AdvowareClient } from '../clients/advoware/client';
import type { EspoCrmClient, EspoEntity } from '../clients/espocrm/client';
import type { CreatedBeteiligteNotes } from '../clients/redis/created-beteiligte';
import type { LoadedBeteiligte, NotificationRequest, StoredBeteiligte } from '../contracts/beteiligte';
import type { EspoBeteiligte } from '../contracts/espocrm';
import { espoAdressenHash } from '../domain/adressen/hash';
import { markerKey } from '../domain/adressen/model';
import { stammdatenHash } from '../domain/beteiligte/hash';
import type { KommunikationWritten } from '../domain/kommunikation/after-writes';
import { espoKommunikationHash } from '../domain/kommunikation/hash';
import { createOnce, nullWhenNotFound } from './answers';

const ENTITY = 'CBeteiligte';

/**
 * Beteiligte sync activities: one external call each, idempotent where the API allows.
 * A Beteiligte that does not exist (404) is an answer (`null`), not a failure.
 */
export function createBeteiligteActivities(deps: {
  advoware: AdvowareClient;
  espocrm: EspoCrmClient;
  adminUserId: string;
  createdBeteiligte: CreatedBeteiligteNotes;
}) {
  return {
    async espoGetBeteiligte(id: string): Promise<LoadedBeteiligte | null> {
      const entity: EspoBeteiligte | null = await nullWhenNotFound('EspoCrm', () => deps.espocrm.get<EspoBeteiligte & EspoEntity>(ENTITY, id));
      return entity && { entity, currentHash: stammdatenHash(entity) };
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
      return nullWhenNotFound('Advoware', () => deps.advoware.getBeteiligte(betNr));
    },

    /**
     * Once per party: a retry after a POST that landed takes the answer noted in Redis (clients/redis/created-beteiligte.ts).
     * `espoId` is absent only in histories from before the note.
     */
    async advowareCreateBeteiligte(data: BeteiligteWrite, espoId?: string): Promise<{ betNr: number; rowId: string }> {
      const advowareUrl = deps.advoware.origin;
      if (espoId !== undefined) {
        const noted = await deps.createdBeteiligte.get(advowareUrl, espoId);
        if (noted) {
          log.warn('Beteiligte POST retried after it had landed; taking its noted betNr instead of creating it again', {
            espoId,
            betNr: noted.betNr,
          });
          return noted;
        }
      }
      const created = await deps.advoware.createBeteiligte(data);
      const answer = { betNr: created.betNr, rowId: created.rowId };
      if (espoId !== undefined) {
        // Without the note a lost completion could create it twice; the POST itself landed, so its answer stands.
        await deps.createdBeteiligte.note(advowareUrl, espoId, answer).catch((err: unknown) => {
          log.warn('could not note the created Beteiligte in Redis', { espoId, error: err instanceof Error ? err.message : String(err) });
        });
      }
      return answer;
    },

    /** Once (answers.ts): the marker in `bemerkung` names the value, so an entry with this value and bemerkung is this POST's. */
    async advowareCreateKommunikation(betNr: number, data: KommunikationCreate): Promise<KommunikationWritten> {
      const entry = await createOnce(
        async () => (await deps.advoware.getBeteiligte(betNr)).kommunikation?.find((k) => k.tlf === data.tlf && k.bemerkung === data.bemerkung),
        () => deps.advoware.createKommunikation(betNr, data),
      );
      return { entryId: entry.id, rowId: entry.rowId || null };
    },

    /** Writes the same three fields again if repeated; only the rowId moves on. */
    async advowareUpdateKommunikation(betNr: number, id: number, data: KommunikationWrite): Promise<KommunikationWritten> {
      const updated = await deps.advoware.updateKommunikation(betNr, id, data);
      return { entryId: id, rowId: updated.rowId || null };
    },

    async advowareListAdressen(betNr: number): Promise<Adresse[]> {
      return deps.advoware.listAdressen(betNr);
    },

    /** Once (answers.ts): the address carrying this POST's marker is this POST's. */
    async advowareCreateAdresse(betNr: number, data: AdresseCreate): Promise<AdresseWritten> {
      const key = markerKey(data);
      return written(
        await createOnce(
          async () => (await deps.advoware.listAdressen(betNr)).find((a) => key !== null && markerKey(a) === key),
          () => deps.advoware.createAdresse(betNr, data),
        ),
      );
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
