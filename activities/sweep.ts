import type { EspoCrmClient } from '../clients/espocrm/client';
import type { SyncRequester } from '../clients/temporal/sync-requests';
import { sweepWhere } from '../domain/beteiligte/sweep';
import type { SweepPage, SyncReason } from '../contracts/beteiligte';

export interface SweepPageInput {
  afterId?: string;
  nowIso: string;
  pageSize?: number;
}

/**
 * The fallback schedules' activities (SPEC §5.1): find Beteiligte or bank accounts that need a sync, ask for their
 * syncs. Both entities carry the same status fields, so one filter (`sweepWhere`) serves both.
 */
export function createSweepActivities(deps: { espocrm: EspoCrmClient; requester: SyncRequester; staleSeconds: number }) {
  const listPage = async (entityType: 'CBeteiligte' | 'CBankverbindungen', input: SweepPageInput): Promise<SweepPage> => {
    const where = sweepWhere(new Date(input.nowIso), deps.staleSeconds * 1000);
    const page = await deps.espocrm.listPage<{ id: string }>(entityType, where, input.afterId, input.pageSize);
    return { ids: page.list.map((e) => e.id), nextAfterId: page.nextAfterId };
  };
  return {
    async espoListSweepPage(input: SweepPageInput): Promise<SweepPage> {
      return listPage('CBeteiligte', input);
    },

    async requestBeteiligteSyncs(input: { ids: string[]; reason: SyncReason }): Promise<number> {
      return deps.requester.requestBeteiligteSyncs(input.ids, input.reason);
    },

    async espoListBankverbindungenSweepPage(input: SweepPageInput): Promise<SweepPage> {
      return listPage('CBankverbindungen', input);
    },

    async requestBankverbindungSyncs(input: { ids: string[]; reason: SyncReason }): Promise<number> {
      return deps.requester.requestBankverbindungSyncs(input.ids, input.reason);
    },
  };
}

export type SweepActivities = ReturnType<typeof createSweepActivities>;
