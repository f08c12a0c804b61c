import type { AdvowareClient } from '../clients/advoware/client';
import type { EspoCrmClient } from '../clients/espocrm/client';
import type { GoogleCalendarApi } from '../clients/google/calendar-api';
import type { CalendarStateStore } from '../clients/redis/calendar-state';
import type { SyncRequester } from '../clients/temporal/sync-requests';
import type { BankverbindungenSyncConfig, CalendarSyncConfig, BeteiligteSyncConfig } from '../config/env';
import { createCalendarActivities } from './calendar';
import { createBankverbindungenActivities } from './bankverbindungen';
import { createBeteiligteActivities } from './beteiligte';
import { createSettingsActivities } from './settings';
import { createSweepActivities } from './sweep';

export interface ActivityDeps {
  advoware: AdvowareClient;
  espocrm: EspoCrmClient;
  /** Signal-with-start on the Beteiligte workflows (the sweep). */
  requester: SyncRequester;
  /** Receives notifications for Beteiligte without an assigned user. */
  adminUserId: string;
  beteiligteSync: BeteiligteSyncConfig;
  bankverbindungenSync: BankverbindungenSyncConfig;
  google: GoogleCalendarApi;
  calendarState: CalendarStateStore;
  calendarSync: CalendarSyncConfig;
}

/** Every activity the hub's worker registers, bound to its clients. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createBeteiligteActivities(deps),
    ...createSweepActivities({ ...deps, staleSeconds: deps.beteiligteSync.BETEILIGTE_SYNC_STALE_SECONDS }),
    ...createSettingsActivities({ ...deps.beteiligteSync, ...deps.bankverbindungenSync }),
    ...createBankverbindungenActivities(deps),
    ...createCalendarActivities(deps),
  };
}

export type HubActivities = ReturnType<typeof createActivities>;
