import type { CallerIndexStore } from '../clients/redis/caller-index';
import type { YContextCache } from '../clients/redis/y-context-cache';
import type { CallerIndexEntry } from '../domain/caller-index/entries';

/**
 * What answers questions about a party without asking EspoCRM or Advoware: the caller index (3CX screen pop, SPEC §8)
 * and the AI assistant's cached profile (SPEC §9). The party sync calls this in the run that changed the party, so
 * the next call or question sees the change without a rebuild. Redis only, and the same result when repeated.
 */
export function createPartyLookupActivities(deps: { callerIndex: CallerIndexStore; yContextCache: YContextCache }) {
  return {
    /** Sets the party's numbers in the caller index to `entries` (none: it no longer answers calls) and drops its cached profile. */
    async updatePartyLookups(espoId: string, entries: CallerIndexEntry[]): Promise<void> {
      await deps.callerIndex.replaceParty(espoId, entries);
      await deps.yContextCache.invalidate(espoId);
    },
  };
}

export type PartyLookupActivities = ReturnType<typeof createPartyLookupActivities>;
