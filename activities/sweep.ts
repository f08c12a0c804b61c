import type { EspoCrmClient } from '../clients/espocrm/client';
import type { SyncRequester } from '../clients/temporal/sync-requests';
import { sweepWhere } from '../domain/beteiligte/sweep';
import type { SweepPage, SyncReason } from '../contracts/beteiligte';

/** The fallback schedule's activities (SPEC §5.1): find Beteiligte that need a sync, ask for their syncs. */
export function createSweepActivities(deps: { espocrm: EspoCrmClient; requester: SyncRequester; staleSeconds: number }) {
  return {
    async espoListSweepPage(input: { afterId?: string; nowIso: string; pageSize?: number }): Promise<SweepPage> {
      const where = sweepWhere(new Date(input.nowIso), deps.staleSeconds * 1000);
      const page = await deps.espocrm.listPage<{ id: string }>('CBeteiligte', where, input.afterId, input.pageSize);
      return { ids: page.list.map((e) => e.id), nextAfterId: page.nextAfterId };
    },

    async requestBeteiligteSyncs(input: { ids: string[]; reason: SyncReason }): Promise<number> {
      return deps.requester.requestBeteiligteSyncs(input.ids, input.reason);
    },
  };
}

export type SweepActivities = ReturnType<typeof createSweepActivities>;
