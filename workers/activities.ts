import type { Client } from '@temporalio/client';
import type { Redis } from 'ioredis';
import { createActivities, type ActivityDeps, type HubActivities } from '../activities';
import { activityCallScope } from '../activities/call-scope';
import { ADVOWARE_TOKEN_KEY, createAdvowareClient } from '../clients/advoware/client';
import { createEspoCrmClient } from '../clients/espocrm/client';
import { createGoogleCalendarApi } from '../clients/google/calendar-api';
import { CalendarStateStore } from '../clients/redis/calendar-state';
import { CallerIndexStore } from '../clients/redis/caller-index';
import { CreatedBeteiligteNotes } from '../clients/redis/created-beteiligte';
import { YContextCache } from '../clients/redis/y-context-cache';
import { CallEventRequester } from '../clients/temporal/call-events';
import { SyncRequester } from '../clients/temporal/sync-requests';
import { createThreeCxClient, threecxConfigured } from '../clients/threecx/client';
import type { ActivityConfig } from '../config/env';
import { reportingRateLimitWaits } from './rate-limit-metrics';

/** What the activities share with the rest of the process: Redis (token cache, rate limit, cursors) and Temporal. */
export interface ActivityServices {
  redis: Redis;
  /** The sweep signals the Beteiligte workflows through it, on `taskQueue`. */
  client: Client;
  taskQueue: string;
}

/** Clients that replace the configured ones, for a test or benchmark that needs one with its own timing or key. */
export type ClientOverrides = Partial<
  Pick<ActivityDeps, 'advoware' | 'espocrm' | 'google' | 'calendarState' | 'callerIndex' | 'yContextCache' | 'threecx'>
>;

/**
 * The composition root of the worker's activities: the worker process, the tests and the benchmarks all build
 * them here, from the same configuration, so what a test runs is what production runs.
 */
export function composeActivities(config: ActivityConfig, services: ActivityServices, overrides: ClientOverrides = {}): HubActivities {
  return createActivities({
    // Every client call an activity makes stops when the activity is cancelled, and heartbeats while it waits.
    advoware: overrides.advoware ?? createAdvowareClient(config, services.redis, ADVOWARE_TOKEN_KEY, activityCallScope),
    espocrm: overrides.espocrm ?? createEspoCrmClient(config, activityCallScope),
    // Google's and 3CX's shared buckets report each grant's wait to the worker's metrics (workers/rate-limit-metrics.ts).
    google:
      overrides.google ??
      createGoogleCalendarApi(config, services.redis, reportingRateLimitWaits(activityCallScope, 'Google', config.GOOGLE_CALENDAR_RATE_PER_MINUTE)),
    calendarState: overrides.calendarState ?? new CalendarStateStore(services.redis),
    callerIndex: overrides.callerIndex ?? new CallerIndexStore(services.redis),
    createdBeteiligte: new CreatedBeteiligteNotes(services.redis),
    yContextCache: overrides.yContextCache ?? new YContextCache(services.redis),
    requester: new SyncRequester(services.client, services.taskQueue),
    // Telephony is optional (SPEC §8): without 3CX, calls still log what the webhooks say; dialling fails.
    threecx:
      overrides.threecx ??
      (threecxConfigured(config)
        ? createThreeCxClient(config, services.redis, reportingRateLimitWaits(activityCallScope, 'ThreeCx', config.THREECX_RATE_PER_MINUTE))
        : undefined),
    callEvents: new CallEventRequester(services.client, services.taskQueue),
    calls: config,
    leads: config,
    adminUserId: config.ESPOCRM_ADMIN_USER_ID,
    beteiligteSync: config,
    bankverbindungenSync: config,
    calendarSync: config,
  });
}
