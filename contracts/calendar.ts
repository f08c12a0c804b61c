import { defineSignal } from '@temporalio/workflow';
import type { RootCause } from './failures';
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

/** What the Web UI's workflow list shows for an employee's sync and for `calendar-sync-all`. */
export const calendarSyncSummary = (kuerzel: string): string => `Calendar of ${kuerzel}`;
export const CALENDAR_SYNC_ALL_SUMMARY = "All employees' calendars";

export interface CalendarSyncInput {
  kuerzel: string;
  /** Subject, place and notes in Google; the configured default when absent. */
  fullContent?: boolean;
  /** Set by the workflow itself when it continues as new while failing: it goes on waiting for the retry. */
  failing?: { attempts: number; nextRetryAt: string };
}

/**
 * One more run of an employee's sync (the manual trigger's signal-with-start, or `calendar-sync-all` finding the
 * employee's workflow open). Requests arriving during a run make one more run; a failing employee waiting for its
 * retry runs at once.
 */
export interface CalendarSyncRequest {
  fullContent?: boolean;
  /** Workflow ID of a `calendar-sync-all` that cannot wait for the result: the run's outcome goes there by signal. */
  reportTo?: string;
}
export const calendarSyncRequested = defineSignal<[CalendarSyncRequest]>('calendarSyncRequested');

/** An employee's run reports its outcome to the `calendar-sync-all` that asked for it (its parent, or `reportTo`). */
export const calendarRunReported = defineSignal<[EmployeeOutcome]>('calendarRunReported');

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
  /** The employee's workflow was open and did not report a run in time; its running run covers this request. */
  | { kuerzel: string; status: 'already_running' }
  /** `reason`: which system, which call, which answer. The employee's workflow stays open until a run succeeds. */
  | { kuerzel: string; status: 'failed'; reason: RootCause; attempts?: number; nextRetryAt?: string };

/**
 * How a `calendar-sync-all` run went, as its result and its `HubOutcome` show it. Deliberately not `failed`: the
 * run is no entity, and the operators' failure query lists the failing employees themselves.
 */
export type CalendarSyncAllOutcome = 'all_synced' | 'partial_failure' | 'none_synced';

export interface CalendarSyncAllResult {
  outcome: CalendarSyncAllOutcome;
  employees: EmployeeOutcome[];
  synced: number;
  failed: number;
}

export type CalendarSyncWorkflow = (input: CalendarSyncInput) => Promise<CalendarSyncResult>;
export type CalendarSyncAllWorkflow = (input?: CalendarSyncAllInput) => Promise<CalendarSyncAllResult>;
export const calendarSyncRef = workflowRef<CalendarSyncWorkflow>('calendarSyncWorkflow');
export const calendarSyncAllRef = workflowRef<CalendarSyncAllWorkflow>('calendarSyncAllWorkflow');
