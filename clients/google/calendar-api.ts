import { performance } from 'node:perf_hooks';
import type { Common, calendar_v3 } from 'googleapis';
import type { Redis } from 'ioredis';
import type { CalendarSyncConfig, GoogleConfig } from '../../config/env';
import type { HubEvent } from '../../domain/calendar/types';
import { abortReason, keepAlive, noCallScope, untilAborted, type CallScope, type CallScopeProvider } from '../../lib/call-scope';
import { RedisTokenBucket, type RateLimiter } from '../../lib/rate-limiter';
import { createCalendarClient } from './calendar';
import { failureDetails } from '../errors';
import { classifyGoogleError, googleFailure } from './errors';

/** Google's largest page for events.list: an employee's calendar is one call in the usual case. */
const EVENTS_PAGE_SIZE = 2500;
/** One bucket for the whole hub: Google's quota is per project, not per process. */
export const GOOGLE_RATE_LIMIT_KEY = 'google_calendar_rate';
/** Marker in the description of every calendar the hub creates: reset deletes only these. */
export const HUB_CALENDAR_MARKER = 'Managed by the bitbylaw hub';

export interface HubCalendar {
  id: string;
  kuerzel: string;
  summary: string;
}

export interface EventList {
  events: HubEvent[];
  nextSyncToken: string;
  /** Calls the list took (one per page). */
  pages: number;
}

/** What every Calendar request carries besides its parameters: the caller's cancellation, the check of its grant. */
type RequestOptions = Pick<Common.MethodOptions, 'signal' | 'adapter'>;

/** The sync token is no longer valid (410 fullSyncRequired): list the whole calendar again. */
export class SyncTokenExpired extends Error {
  override name = 'SyncTokenExpired';
}

/**
 * The Calendar v3 calls of the hub. Every request first takes a token from the shared bucket, so all worker
 * processes together stay under Google's per-minute quota; a rate-limit answer empties the bucket for everyone
 * before the failure goes to Temporal's retry policy. Failures are the hub's classified `Google<Kind>` ones.
 * A cancelled caller stops waiting for its token or its answer at once and ends with the cancellation's reason.
 */
export class GoogleCalendarApi {
  constructor(
    private readonly calendar: calendar_v3.Calendar,
    private readonly limiter: RateLimiter,
    private readonly calendarPrefix: string,
    /** Pause imposed on every worker after a rate-limit answer without Retry-After. */
    private readonly rateLimitPauseMs = 10_000,
    /** The caller's cancellation and heartbeat, asked for at every call; none by default (CLI, tests). */
    private readonly scope: CallScopeProvider = noCallScope,
  ) {}

  calendarSummary(kuerzel: string): string {
    return `${this.calendarPrefix}${kuerzel}`;
  }

  /** The calendars the hub created, from the account's calendar list (all pages). */
  async listHubCalendars(): Promise<HubCalendar[]> {
    const found: HubCalendar[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.send('GET', 'users/me/calendarList', (options) =>
        this.calendar.calendarList.list({ maxResults: 250, pageToken, showHidden: true }, options),
      );
      for (const entry of page.items ?? []) {
        const summary = entry.summary ?? '';
        if (!entry.id || !summary.startsWith(this.calendarPrefix) || !entry.description?.startsWith(HUB_CALENDAR_MARKER)) continue;
        found.push({ id: entry.id, summary, kuerzel: summary.slice(this.calendarPrefix.length) });
      }
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    return found;
  }

  /** Whether a calendar id still exists (an operator may have deleted it). */
  async calendarExists(calendarId: string): Promise<boolean> {
    try {
      await this.send('GET', `calendars/${calendarId}`, (options) => this.calendar.calendars.get({ calendarId }, options));
      return true;
    } catch (err) {
      if (isStatus(err, 404)) return false;
      throw err;
    }
  }

  async insertCalendar(kuerzel: string): Promise<HubCalendar> {
    const summary = this.calendarSummary(kuerzel);
    const created = await this.send('POST', 'calendars', (options) =>
      this.calendar.calendars.insert(
        { requestBody: { summary, description: `${HUB_CALENDAR_MARKER}: Advoware Termine of ${kuerzel}`, timeZone: 'Europe/Berlin' } },
        options,
      ),
    );
    if (!created.id) throw new Error(`Google created calendar ${summary} without an id`);
    return { id: created.id, kuerzel, summary };
  }

  async deleteCalendar(calendarId: string): Promise<void> {
    try {
      await this.send('DELETE', `calendars/${calendarId}`, (options) => this.calendar.calendars.delete({ calendarId }, options));
    } catch (err) {
      if (!isStatus(err, 404) && !isStatus(err, 410)) throw err;
    }
  }

  /**
   * The whole calendar (with deleted events, so tags of vanished events are seen) or, with `syncToken`, what
   * changed since. Throws SyncTokenExpired on 410 fullSyncRequired.
   */
  async listEvents(calendarId: string, syncToken?: string): Promise<EventList> {
    const events: HubEvent[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    for (;;) {
      pages += 1;
      const page = await this.send('GET', `calendars/${calendarId}/events`, (options) =>
        this.calendar.events.list(
          {
            calendarId,
            maxResults: EVENTS_PAGE_SIZE,
            singleEvents: false,
            showDeleted: true,
            ...(syncToken !== undefined ? { syncToken } : {}),
            ...(pageToken !== undefined ? { pageToken } : {}),
          },
          options,
        ),
      );
      events.push(...((page.items ?? []) as HubEvent[]));
      if (page.nextPageToken) {
        pageToken = page.nextPageToken;
        continue;
      }
      if (!page.nextSyncToken) throw new Error(`events.list of ${calendarId} ended without a nextSyncToken`);
      return { events, nextSyncToken: page.nextSyncToken, pages };
    }
  }

  /**
   * Insert with a client-chosen id: a retry after a lost answer finds its own event (409) instead of making a
   * second one.
   */
  async insertEvent(calendarId: string, eventId: string, event: HubEvent): Promise<HubEvent> {
    try {
      return await this.send('POST', `calendars/${calendarId}/events`, (options) =>
        this.calendar.events.insert({ calendarId, requestBody: { ...event, id: eventId } }, options),
      );
    } catch (err) {
      if (!isStatus(err, 409)) throw err;
      return this.send('GET', `calendars/${calendarId}/events/${eventId}`, (options) => this.calendar.events.get({ calendarId, eventId }, options));
    }
  }

  async patchEvent(calendarId: string, eventId: string, patch: HubEvent): Promise<HubEvent> {
    return this.send('PATCH', `calendars/${calendarId}/events/${eventId}`, (options) =>
      this.calendar.events.patch({ calendarId, eventId, requestBody: patch }, options),
    );
  }

  /** Deleting what is already gone (410, 404) counts as done, so a retried delete is harmless. */
  async deleteEvent(calendarId: string, eventId: string): Promise<void> {
    try {
      await this.send('DELETE', `calendars/${calendarId}/events/${eventId}`, (options) =>
        this.calendar.events.delete({ calendarId, eventId }, options),
      );
    } catch (err) {
      if (!isStatus(err, 404) && !isStatus(err, 410)) throw err;
    }
  }

  /**
   * One request under the shared limit. Google counts a call when it arrives, the limit when it is granted: a grant
   * the request could not use in time is given up (it stays counted) and a fresh one taken, so that the limit's
   * guard only has to cover the way from sending to Google.
   */
  private async send<T>(method: string, path: string, call: (options: RequestOptions) => Promise<{ data: T }>): Promise<T> {
    const scope = this.scope();
    const { signal } = scope;
    for (;;) {
      await this.limiter.acquire(scope);
      // gaxios drops a signal that is already aborted (and sends the request with its timeout alone): check first.
      if (signal?.aborted) throw abortReason(signal);
      const grantedAt = performance.now();
      const lifetimeMs = this.limiter.grantLifetimeMs ?? Number.POSITIVE_INFINITY;
      let stale = false;
      // Runs right before the request goes out, after googleapis prepared it (auth included).
      const adapter: RequestOptions['adapter'] = (options, sendNow) => {
        if (performance.now() - grantedAt <= lifetimeMs) return sendNow(options);
        stale = true;
        return Promise.reject(new Error('rate-limit grant expired before the request could be sent'));
      };
      try {
        return await this.sendGranted(method, path, () => call({ signal, adapter }), scope);
      } catch (err) {
        if (!stale || signal?.aborted) throw err;
      }
    }
  }

  private async sendGranted<T>(method: string, path: string, call: () => Promise<{ data: T }>, scope: CallScope): Promise<T> {
    const { signal } = scope;
    const stopHeartbeats = keepAlive(scope);
    try {
      // The race as well: should gaxios ever drop the signal, the caller still stops waiting at once.
      return (await untilAborted(call(), signal)).data;
    } catch (err) {
      // Cancelled: no classification and no back-off; nobody waits for this answer any more.
      if (signal?.aborted) throw abortReason(signal);
      const c = classifyGoogleError(err);
      if (c.rateLimited) {
        // Best effort: if Redis fails here, the rate limit must still reach Temporal as GoogleRateLimited (with its
        // Retry-After), not be replaced by a Redis error; the next acquire() reports Redis's state anyway.
        await this.limiter.backOff(c.retryAfterMs ?? this.rateLimitPauseMs).catch(() => undefined);
      }
      if (c.fullSyncRequired) throw new SyncTokenExpired(c.message);
      throw googleFailure(err, { method, path });
    } finally {
      stopHeartbeats();
    }
  }
}

function isStatus(err: unknown, status: number): boolean {
  return failureDetails(err)?.status === status;
}

/** The production wiring: the configured client, the Redis bucket shared by every worker process. */
export function createGoogleCalendarApi(
  config: GoogleConfig & Pick<CalendarSyncConfig, 'CALENDAR_SYNC_CALENDAR_PREFIX'>,
  redis: Redis,
  scope: CallScopeProvider = noCallScope,
): GoogleCalendarApi {
  const calendar = createCalendarClient({
    baseUrl: config.GOOGLE_CALENDAR_BASE_URL,
    accessToken: config.GOOGLE_CALENDAR_ACCESS_TOKEN,
    serviceAccountPath: config.GOOGLE_CALENDAR_SERVICE_ACCOUNT_PATH,
    subject: config.GOOGLE_CALENDAR_SUBJECT,
    timeoutMs: config.GOOGLE_CALENDAR_TIMEOUT_MS,
  });
  const limiter = new RedisTokenBucket(redis, {
    key: GOOGLE_RATE_LIMIT_KEY,
    ratePerMinute: config.GOOGLE_CALENDAR_RATE_PER_MINUTE,
    burst: config.GOOGLE_CALENDAR_BURST,
  });
  return new GoogleCalendarApi(calendar, limiter, config.CALENDAR_SYNC_CALENDAR_PREFIX, undefined, scope);
}
