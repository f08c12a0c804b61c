import type { CalendarIndex } from './sync-index';
import type { DateWindow } from './span';
import type { HubEvent } from './types';

/*
 * What the calendar workflow and its activities hand each other between runs and calls; recorded in history.
 */

/** The worker's calendar configuration and today's window, recorded in each run's history. */
export interface CalendarSettings {
  /** Default of `full_content` when a run is not told otherwise. */
  fullContent: boolean;
  /** Today's window in Berlin dates; read per run, so it moves with the calendar. */
  window: DateWindow;
  fullResyncMs: number;
  concurrency: number;
  writeConcurrency: number;
  callTimeoutMs: number;
  /** How long a failing employee's workflow waits for its next run when no schedule tick or trigger comes first. */
  retryMs?: number;
}

export type GoogleEventList = { expired: false; events: HubEvent[]; nextSyncToken: string; pages: number } | { expired: true };

export interface EnsuredCalendar {
  calendarId: string;
  created: boolean;
  /** Google calls it took. */
  calls: number;
}

/**
 * What one employee's calendar sync carries from run to run. It is a cursor, not a second source of truth:
 * the mapping lives on the events' tags (SPEC §6), so a lost state only costs one full list that rebuilds it.
 */
export interface CalendarSyncState {
  calendarId: string;
  /** null: the next run lists the whole calendar (first run, or a run whose changes did not all land). */
  syncToken: string | null;
  index: CalendarIndex;
  /** Epoch ms of the last full Google list (the periodic full resync heals drift). */
  fullListedAt: number;
  /** Epoch ms of the last successful run: `calendar-sync-all` serves the oldest first. */
  syncedAt: number;
  fullContent: boolean;
}
