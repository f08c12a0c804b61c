import type { Express, Router } from 'express';
import { Simulator, type FaultInjector, type FaultRule } from '../core/simulator';
import { CalendarStore } from './calendar-store';
import { deleteEvent, getEvent, insertEvent, patchEvent } from './event-store';
import { GoogleFaultInjector, rateLimitFault, type RateLimitSpec } from './faults';
import type { StoreEnv } from './model';
import { registerGoogleAdminRoutes } from './routes/admin';
import { registerCalendarRoutes } from './routes/calendars';
import type { GoogleContext } from './routes/context';
import { registerErrorHandling } from './routes/errors';
import { registerEventRoutes } from './routes/events';
import type { Calendar, CalendarEvent, CalendarInput, DeletedEventShape, EventInput, EventPatch } from './types';

export type * from './types';
export type { RateLimitKind, RateLimitSpec } from './faults';
export { GoogleApiError, type GoogleErrorBody } from './errors';

export interface GoogleCalendarSimulatorOptions {
  /** When set, only `Authorization: Bearer <accessToken>` is accepted (401 otherwise); any non-empty token when absent. */
  accessToken?: string;
  /** The user the token stands for: id of the primary calendar. */
  userEmail?: string;
  /** Zone of calendars created without one. `UTC` when absent. */
  defaultTimeZone?: string;
  /** Deleted events in lists: full data (`full`, default) or only id/status (`idOnly`, all Google guarantees). */
  deletedEvents?: DeletedEventShape;
  /** Source of `created`/`updated`; the system clock when absent. */
  clock?: () => Date;
}

export const DEFAULT_GOOGLE_USER = 'hub-calendar@bitbylaw.example';

/**
 * Google Calendar API v3 under `/calendar/v3`, speaking the contract the real
 * `googleapis` client uses: bearer auth, Google's error envelope, page and sync
 * tokens (410 fullSyncRequired once invalidated), deleted events kept as
 * `cancelled`, RRULE series returned as masters, rate-limit faults on demand.
 *
 * The `user…` methods act like a person editing in Google Calendar: they bypass
 * HTTP (not counted, never faulted) but change `updated`, etags and sync tokens.
 */
export class GoogleCalendarSimulator extends Simulator {
  override readonly faults: FaultInjector = new GoogleFaultInjector();
  private readonly env: StoreEnv;
  private readonly accessToken: string | undefined;
  private readonly deletedEvents: DeletedEventShape;
  private store: CalendarStore;

  constructor(options: GoogleCalendarSimulatorOptions = {}) {
    super('google');
    const clock = options.clock ?? (() => new Date());
    this.env = {
      clock,
      userEmail: options.userEmail ?? DEFAULT_GOOGLE_USER,
      defaultTimeZone: options.defaultTimeZone ?? 'UTC',
    };
    this.accessToken = options.accessToken;
    this.deletedEvents = options.deletedEvents ?? 'full';
    this.store = new CalendarStore(this.env);
  }

  protected registerRoutes(app: Express): void {
    // Express's automatic weak ETag would answer 304s Google never sends; events carry their own etag.
    app.set('etag', false);
    const ctx = this.context();
    registerCalendarRoutes(app, ctx);
    registerEventRoutes(app, ctx);
    registerErrorHandling(app);
  }

  protected override registerAdminRoutes(admin: Router): void {
    registerGoogleAdminRoutes(admin, this.context(), () => this.faults);
  }

  /** Only the primary calendar, empty. */
  protected resetData(): void {
    this.store = new CalendarStore(this.env);
  }

  // --- faults and tokens ------------------------------------------------------

  /** Matching API calls answer 403 usageLimits/rateLimitExceeded (or 429) until `times` is used up. */
  injectRateLimit(spec: RateLimitSpec): FaultRule {
    return this.faults.add(rateLimitFault(spec));
  }

  /** Every sync token issued so far (for one calendar or all) gets 410 fullSyncRequired on its next use. */
  invalidateSyncTokens(calendarId?: string): void {
    this.store.invalidateSyncTokens(calendarId);
  }

  // --- calendars --------------------------------------------------------------

  listCalendars(): Calendar[] {
    return this.store.list().map((c) => structuredClone(c.resource));
  }

  /** Calendars grouped by title; more than one per title means a duplicate was created. */
  calendarsBySummary(): Record<string, Calendar[]> {
    const groups: Record<string, Calendar[]> = {};
    for (const calendar of this.listCalendars()) (groups[calendar.summary] ??= []).push(calendar);
    return groups;
  }

  userCreateCalendar(input: CalendarInput): Calendar {
    return structuredClone(this.store.insert(input).resource);
  }

  userDeleteCalendar(calendarId: string): void {
    this.store.delete(calendarId);
  }

  // --- events -----------------------------------------------------------------

  /** Events as the API would return them; deleted (`cancelled`) ones only with `includeDeleted`. */
  listEvents(calendarId: string, options: { includeDeleted?: boolean } = {}): CalendarEvent[] {
    return [...this.store.resolve(calendarId).events.values()]
      .filter((e) => options.includeDeleted === true || e.resource.status !== 'cancelled')
      .map((e) => structuredClone(e.resource));
  }

  /** Also returns deleted events (status `cancelled`). Throws a 404 GoogleApiError when unknown. */
  getEvent(calendarId: string, eventId: string): CalendarEvent {
    return structuredClone(getEvent(this.store.resolve(calendarId), eventId));
  }

  userCreateEvent(calendarId: string, input: EventInput): CalendarEvent {
    return structuredClone(insertEvent(this.store.resolve(calendarId), input, this.env));
  }

  /** Patch semantics, like an edit in the Google UI: listed fields change, the rest stays. */
  userEditEvent(calendarId: string, eventId: string, patch: EventPatch): CalendarEvent {
    return structuredClone(patchEvent(this.store.resolve(calendarId), eventId, patch, this.env));
  }

  userDeleteEvent(calendarId: string, eventId: string): void {
    deleteEvent(this.store.resolve(calendarId), eventId, this.env);
  }

  /** Handlers read the store through this at request time, because routes are registered inside super(). */
  private context(): GoogleContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const sim = this;
    return {
      get store() {
        return sim.store;
      },
      get env() {
        return sim.env;
      },
      get accessToken() {
        return sim.accessToken;
      },
      get deletedEvents() {
        return sim.deletedEvents;
      },
    };
  }
}
