import type { AdvowareClient } from '../clients/advoware/client';
import type { EspoCrmClient, EspoEntity } from '../clients/espocrm/client';
import type { SyncRequester } from '../clients/temporal/sync-requests';
import type { AdvowareBankverbindung, BankverbindungWrite, EspoBankverbindung, PartyLink } from '../contracts/bankverbindungen';
import type { NotificationRequest } from '../contracts/beteiligte';
import type { EspoBeteiligte } from '../contracts/espocrm';
import { createOnce, nullWhenNotFound } from './answers';

const ENTITY = 'CBankverbindungen';

/** Bank account sync activities (SPEC §5.5): one external call each; a missing record is an answer (`null`). */
export function createBankverbindungenActivities(deps: {
  advoware: AdvowareClient;
  espocrm: EspoCrmClient;
  requester: SyncRequester;
  adminUserId: string;
}) {
  return {
    async espoGetBankverbindung(id: string): Promise<EspoBankverbindung | null> {
      return nullWhenNotFound('EspoCrm', () => deps.espocrm.get<EspoBankverbindung & EspoEntity>(ENTITY, id));
    },

    /** Only what the account sync needs of its party: a small history entry however large the party is. */
    async espoGetParty(id: string): Promise<PartyLink | null> {
      const party = await nullWhenNotFound('EspoCrm', () => deps.espocrm.get<EspoBeteiligte & EspoEntity>('CBeteiligte', id));
      return party && { id: party.id, betnr: party.betnr ?? null, name: party.name ?? null };
    },

    /** Partial update of status fields: the same values again if repeated. Nothing of the answer is needed. */
    async espoUpdateBankverbindung(id: string, patch: Partial<EspoBankverbindung>): Promise<void> {
      await deps.espocrm.update(ENTITY, id, patch);
    },

    async espoNotifyBankverbindung({ userId, message, relatedId }: NotificationRequest): Promise<void> {
      await deps.espocrm.notify({ userId: userId || deps.adminUserId, message, relatedType: ENTITY, relatedId });
    },

    /** The party's first sync, asked for the way the webhooks ask (it joins a sync already running). */
    async requestPartySync(partyId: string): Promise<void> {
      await deps.requester.requestBeteiligteSync(partyId, 'manual');
    },

    async advowareListBankverbindungen(betNr: number): Promise<AdvowareBankverbindung[]> {
      return deps.advoware.listBankverbindungen(betNr);
    },

    /** Once (answers.ts): the entry carrying this POST's marker in `bemerkung` is this POST's. */
    async advowareCreateBankverbindung(betNr: number, data: BankverbindungWrite): Promise<AdvowareBankverbindung> {
      return createOnce(
        async () => (await deps.advoware.listBankverbindungen(betNr)).find((b) => b.bemerkung === data.bemerkung),
        () => deps.advoware.createBankverbindung(betNr, data),
      );
    },

    /** Writes the same fields again if repeated; only the rowId moves on. */
    async advowareUpdateBankverbindung(betNr: number, id: number, data: BankverbindungWrite): Promise<AdvowareBankverbindung> {
      return deps.advoware.updateBankverbindung(betNr, id, data);
    },
  };
}

export type BankverbindungenActivities = ReturnType<typeof createBankverbindungenActivities>;
