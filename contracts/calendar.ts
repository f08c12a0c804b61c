import { workflowRef } from './workflow-ref';

/** What a calendar run can do to one appointment; the result counts them. */
export const CALENDAR_ACTION_KINDS = [
  'createEvent',
  'updateEvent',
  'deleteEvent',
  'recreateEvent',
  'createTermin',
  'updateTermin',
  'deleteTermin',
  'tagEvent',
] as const;
export type CalendarActionKind = (typeof CALENDAR_ACTION_KINDS)[number];

/** Actions of one run by kind, how many lost detail in Advoware (`lossy`), and events left alone (`skipped`). */
export type PlanSummary = Record<CalendarActionKind, number> & { total: number; lossy: number; skipped: number };

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
