import { asyncLocalStorage } from '@temporalio/activity';
import { Runtime } from '@temporalio/worker';
import type { AdvowareClient } from '../clients/advoware/client';
import { SyncTokenExpired, type GoogleCalendarApi } from '../clients/google/calendar-api';
import type { CalendarStateStore } from '../clients/redis/calendar-state';
import { isFailure } from '../contracts/failures';
import type { CalendarSettings, CalendarSyncState, EnsuredCalendar, GoogleEventList } from '../domain/calendar/run-state';
import type { CalendarSyncConfig } from '../config/env';
import { berlinToday } from '../domain/calendar/berlin';
import { activeKuerzels } from '../domain/calendar/employees';
import { syncWindow, type DateWindow } from '../domain/calendar/span';
import type { HubEvent, Termin, TerminWrite } from '../domain/calendar/types';

export interface CalendarActivityDeps {
  advoware: AdvowareClient;
  google: GoogleCalendarApi;
  calendarState: CalendarStateStore;
  calendarSync: CalendarSyncConfig;
}

/**
 * One activity per external call of the calendar sync (SPEC §6). Google calls pass the shared rate limit inside
 * GoogleCalendarApi; failures are the classified `Advoware<Kind>` / `Google<Kind>` ApplicationFailures, so the
 * retry policy next to each call in the workflow decides what is tried again.
 */
export function createCalendarActivities(deps: CalendarActivityDeps) {
  const { advoware, google, calendarState, calendarSync: config } = deps;
  const lastSynced = new LastSyncedGauge();
  return {
    async calendarSettings(): Promise<CalendarSettings> {
      const today = berlinToday(new Date());
      return {
        fullContent: config.CALENDAR_SYNC_FULL_CONTENT,
        window: syncWindow(today, config.CALENDAR_SYNC_DAYS_BACK, config.CALENDAR_SYNC_DAYS_AHEAD),
        fullResyncMs: config.CALENDAR_SYNC_FULL_RESYNC_SECONDS * 1000,
        concurrency: config.CALENDAR_SYNC_CONCURRENCY,
        writeConcurrency: config.CALENDAR_SYNC_WRITE_CONCURRENCY,
        callTimeoutMs: config.CALENDAR_SYNC_CALL_TIMEOUT_SECONDS * 1000,
        retryMs: config.CALENDAR_SYNC_INTERVAL_SECONDS * 1000,
      };
    },

    /** Active employees, the longest unsynced first, so a slow or failing run never starves the same people. */
    async calendarEmployeesOldestFirst(): Promise<string[]> {
      const active = activeKuerzels(await advoware.listMitarbeiter());
      const syncedAt = await calendarState.syncedAt(active);
      lastSynced.active(syncedAt);
      return active.sort((a, b) => (syncedAt.get(a) ?? 0) - (syncedAt.get(b) ?? 0) || a.localeCompare(b));
    },

    async calendarLoadState(kuerzel: string): Promise<CalendarSyncState | null> {
      return calendarState.load(kuerzel);
    },

    async calendarSaveState(kuerzel: string, state: CalendarSyncState): Promise<void> {
      await calendarState.save(kuerzel, state);
      lastSynced.synced(kuerzel, state.syncedAt);
    },

    /** The employee's hub calendar: found by name and marker, or created. */
    async googleEnsureCalendar(kuerzel: string): Promise<EnsuredCalendar> {
      const existing = (await google.listHubCalendars()).filter((c) => c.kuerzel === kuerzel);
      // Two calendars for one employee would split their appointments; the oldest id is kept deterministically.
      const found = existing.map((c) => c.id).sort()[0];
      if (found !== undefined) return { calendarId: found, created: false, calls: 1 };
      const created = await google.insertCalendar(kuerzel);
      return { calendarId: created.id, created: true, calls: 2 };
    },

    async googleListEvents(calendarId: string, syncToken: string | null): Promise<GoogleEventList> {
      try {
        const list = await google.listEvents(calendarId, syncToken ?? undefined);
        return { expired: false, ...list };
      } catch (err) {
        if (err instanceof SyncTokenExpired) return { expired: true };
        throw err;
      }
    },

    async googleInsertEvent(calendarId: string, eventId: string, event: HubEvent): Promise<HubEvent> {
      return google.insertEvent(calendarId, eventId, event);
    },

    async googlePatchEvent(calendarId: string, eventId: string, patch: HubEvent): Promise<HubEvent> {
      return google.patchEvent(calendarId, eventId, patch);
    },

    async googleDeleteEvent(calendarId: string, eventId: string): Promise<void> {
      await google.deleteEvent(calendarId, eventId);
    },

    async advowareListTermine(kuerzel: string, window: DateWindow): Promise<Termin[]> {
      return advoware.listTermine(kuerzel, window);
    },

    async advowareCreateTermin(termin: TerminWrite): Promise<Termin> {
      return advoware.createTermin(termin);
    },

    async advowareUpdateTermin(frNr: number, termin: TerminWrite): Promise<Termin> {
      return advoware.updateTermin(frNr, termin);
    },

    /** A Termin already gone counts as deleted: the retry of a delete whose answer was lost must not fail. */
    async advowareDeleteTermin(frNr: number): Promise<void> {
      try {
        await advoware.deleteTermin(frNr);
      } catch (err) {
        if (isFailure(err, 'Advoware', 'NotFound')) return;
        throw err;
      }
    },
  };
}

export type CalendarActivities = ReturnType<typeof createCalendarActivities>;

/**
 * `hub_calendar_last_synced_timestamp_seconds{kuerzel}`: when each employee's calendar last synced completely, for
 * the "not synced for 1 h" alert (temporal-docker/prometheus/alerts.yml). Set when a run saves its state and, for
 * every active employee, at each `calendar-sync-all` (so a restarted worker knows them before their next success).
 * An employee no longer active is set to NaN, which no alert takes for old. On the runtime's meter, not the
 * activity's: one series per employee, whichever activity set it.
 */
class LastSyncedGauge {
  private readonly reported = new Set<string>();

  synced(kuerzel: string, syncedAtMs: number): void {
    if (syncedAtMs <= 0) return;
    this.gauge()?.set(syncedAtMs / 1000, { kuerzel });
    this.reported.add(kuerzel);
  }

  /** The active employees and their last sync from Redis; never synced (0) stays without a value. */
  active(syncedAt: ReadonlyMap<string, number>): void {
    for (const [kuerzel, at] of syncedAt) this.synced(kuerzel, at);
    for (const gone of [...this.reported].filter((k) => !syncedAt.has(k))) {
      this.gauge()?.set(Number.NaN, { kuerzel: gone });
      this.reported.delete(gone);
    }
  }

  /** Only inside an activity, i.e. in a worker, whose runtime exports metrics (a CLI or test caller has none). */
  private gauge() {
    if (!asyncLocalStorage.getStore()) return undefined;
    return Runtime.instance().metricMeter.createGauge(
      'hub_calendar_last_synced_timestamp_seconds',
      'float',
      's',
      "Unix time of an employee's last complete calendar sync",
    );
  }
}
