import type { AdvowareClient } from '../clients/advoware/client';
import type { Mitarbeiter } from '../clients/advoware/types';

/**
 * Advoware activities: one per external call. Failures are the client's
 * classified `ApplicationFailure`s, so the workflow's retry policy retries
 * 5xx/429/time-outs and stops at 400/403/404.
 */
export function createAdvowareActivities(advoware: AdvowareClient) {
  return {
    async advowareListMitarbeiter(): Promise<Mitarbeiter[]> {
      return advoware.listMitarbeiter();
    },
  };
}

export type AdvowareActivities = ReturnType<typeof createAdvowareActivities>;
