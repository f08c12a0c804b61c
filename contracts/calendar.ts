import type { CalendarIndex } from '../domain/calendar/sync-index';
import type { PlanSummary } from '../domain/calendar/actions';
import type { DateWindow } from '../domain/calendar/span';
import type { HubEvent } from '../domain/calendar/types';
import { workflowRef } from './workflow-ref';

export const CALENDAR_SYNC_ALL_WORKFLOW_ID = 'calendar-sync-all';
export const CALENDAR_SYNC_SCHEDULE_ID = 'calendar-sync-schedule';

/** One workflow ID per employee: a second trigger joins the running sync instead of starting another. */
export function calendarSyncWorkflowId(kuerzel: string): string {
  return `calendar-sync/${kuerzel}`;
}

export interface CalendarSyncInput {
  kuerzel: string;
  /** Subject, place and notes in Google; the configured default when absent. */
  fullContent?: boolean;
}

export interface CalendarSyncAllInput {
  fullContent?: boolean;
}

export interface CalendarSyncResult {
  kuerzel: string;
  /** `full` on the first run, after `410 Gone`, a lost state or the periodic resync; else `incremental`. */
  mode: 'full' | 'incremental';
  /** The sync token was rejected (410) and the run fell back to a full list. */
  syncTokenExpired: boolean;
  calendarCreated: boolean;
  actions: PlanSummary;
  googleCalls: number;
  advowareCalls: number;
}

export type EmployeeOutcome =
  | { kuerzel: string; status: 'synced'; result: CalendarSyncResult }
  /** A manual trigger was already syncing this employee; that run covers this request. */
  | { kuerzel: string; status: 'already_running' }
  | { kuerzel: string; status: 'failed'; error: string };

export interface CalendarSyncAllResult {
  employees: EmployeeOutcome[];
  synced: number;
  failed: number;
}

export type CalendarSyncWorkflow = (input: CalendarSyncInput) => Promise<CalendarSyncResult>;
export type CalendarSyncAllWorkflow = (input?: CalendarSyncAllInput) => Promise<CalendarSyncAllResult>;
export const calendarSyncRef = workflowRef<CalendarSyncWorkflow>('calendarSyncWorkflow');
export const calendarSyncAllRef = workflowRef<CalendarSyncAllWorkflow>('calendarSyncAllWorkflow');

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
