import type { AdvowareClient } from '../clients/advoware/client';
import type { EspoCrmClient } from '../clients/espocrm/client';
import type { GoogleCalendarApi } from '../clients/google/calendar-api';
import type { CalendarStateStore } from '../clients/redis/calendar-state';
import type { CallerIndexStore } from '../clients/redis/caller-index';
import type { CreatedBeteiligteNotes } from '../clients/redis/created-beteiligte';
import type { YContextCache } from '../clients/redis/y-context-cache';
import type { CallEventRequester } from '../clients/temporal/call-events';
import type { SyncRequester } from '../clients/temporal/sync-requests';
import type { ThreeCxClient } from '../clients/threecx/client';
import type { BankverbindungenSyncConfig, CalendarSyncConfig, BeteiligteSyncConfig, LeadsConfig, StaffMember, ThreeCxConfig } from '../config/env';
import { createCallActivities } from './calls';
import { createCalendarActivities } from './calendar';
import { createLeadActivities } from './leads';
import { createBankverbindungenActivities } from './bankverbindungen';
import { createBeteiligteActivities } from './beteiligte';
import { createPartyLookupActivities } from './party-lookups';
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
  /** Answers of Advoware Beteiligte POSTs, so a retried create does not create the party twice. */
  createdBeteiligte: CreatedBeteiligteNotes;
  /** E.164 number → parties, for the 3CX screen pop (SPEC §8); the syncs keep it warm. */
  callerIndex: CallerIndexStore;
  /** The AI assistant's cached party profiles (SPEC §9); whatever changes a party drops its entry. */
  yContextCache: YContextCache;
  /** The 3CX API (SPEC §8); absent when 3CX is not configured. */
  threecx: ThreeCxClient | undefined;
  /** Signal-with-start on `call/<id>` (the outbound call hands its call over). */
  callEvents: CallEventRequester;
  /** 3CX settings and the staff directory (extensions of the assigned users). */
  calls: ThreeCxConfig & { STAFF_DIRECTORY: StaffMember[] };
  /** Vermieterhelden leads (SPEC §7): office hours, holidays, who gets leads. */
  leads: LeadsConfig & { STAFF_DIRECTORY: StaffMember[] };
}

/** Every activity the hub's worker registers, bound to its clients. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createBeteiligteActivities(deps),
    ...createPartyLookupActivities(deps),
    ...createSweepActivities({ ...deps, staleSeconds: deps.beteiligteSync.BETEILIGTE_SYNC_STALE_SECONDS }),
    ...createSettingsActivities({ ...deps.beteiligteSync, ...deps.bankverbindungenSync }),
    ...createBankverbindungenActivities(deps),
    ...createCalendarActivities(deps),
    ...createCallActivities({ ...deps, config: deps.calls }),
    ...createLeadActivities({ ...deps, config: deps.leads }),
  };
}

export type HubActivities = ReturnType<typeof createActivities>;
