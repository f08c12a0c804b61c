import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import {
  calendarSyncAllRef,
  calendarSyncRef,
  calendarSyncRequested,
  calendarSyncWorkflowId,
  CALENDAR_SYNC_ALL_WORKFLOW_ID,
  type CalendarSyncAllResult,
  type CalendarSyncAllWorkflow,
  type CalendarSyncResult,
  type CalendarSyncWorkflow,
} from '../../../contracts/calendar';
import { HubOutcome } from '../../../contracts/search-attributes';
import type { RecordingEnv, Scenario } from './scenario';

/** The employees the Advoware simulator is seeded with for the calendar scenarios; OLD is inactive. */
export const MITARBEITER = [
  { kuerzel: 'ABC', name: 'Becker', vorname: 'Anna', email: null, aktiv: true },
  { kuerzel: 'DEF', name: 'Fischer', vorname: 'Daniel', email: null, aktiv: true },
  { kuerzel: 'OLD', name: 'Alt', vorname: 'Otto', email: null, aktiv: false },
];

/** The worker's default calendar prefix (CALENDAR_SYNC_CALENDAR_PREFIX). */
const PREFIX = 'AW-';

/** A date `days` from today, as Advoware writes dates. */
function day(days: number): string {
  return `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)}T00:00:00`;
}

const addAllDay = (env: RecordingEnv, kuerzel: string, days: number) => env.advoware.addTermin({ kuerzel, datum: day(days), dauertermin: true });

/**
 * The run lists Advoware and Google in parallel: holding Google's list back a little makes Advoware's answer
 * arrive first every time, so a re-recording has the same events in the same order.
 */
function orderParallelLists(env: RecordingEnv): void {
  env.google.faults.add({ method: 'GET', path: '/events$', latencyMs: 300 });
}

function calendarIdOf(env: RecordingEnv, kuerzel: string): string {
  const found = env.google.listCalendars().filter((c) => c.summary === `${PREFIX}${kuerzel}`);
  assert.equal(found.length, 1, `one calendar for ${kuerzel}`);
  return found[0]!.id;
}

async function syncEmployee(env: RecordingEnv, kuerzel: string): Promise<{ handle: WorkflowHandle; result: CalendarSyncResult }> {
  const handle = await env.hub.client.workflow.start<CalendarSyncWorkflow>(calendarSyncRef.workflowType, {
    taskQueue: env.hub.taskQueue,
    workflowId: calendarSyncWorkflowId(kuerzel),
    args: [{ kuerzel }],
  });
  return { handle, result: await env.hub.run(() => handle.result()) };
}

async function syncAll(env: RecordingEnv): Promise<{ handle: WorkflowHandle; result: CalendarSyncAllResult }> {
  const handle = await env.hub.client.workflow.start<CalendarSyncAllWorkflow>(calendarSyncAllRef.workflowType, {
    taskQueue: env.hub.taskQueue,
    workflowId: `${CALENDAR_SYNC_ALL_WORKFLOW_ID}-replay-${Date.now()}`,
    args: [{}],
  });
  return { handle, result: await env.hub.run(() => handle.result()) };
}

const oneEmployee = (path: string, run: (env: RecordingEnv) => Promise<WorkflowHandle>): Scenario => ({
  workflowType: calendarSyncRef.workflowType,
  path,
  run,
});
const allEmployees = (path: string, run: (env: RecordingEnv) => Promise<WorkflowHandle>): Scenario => ({
  workflowType: calendarSyncAllRef.workflowType,
  path,
  run,
});

export const calendarScenarios: Scenario[] = [
  oneEmployee('full_new_calendar', async (env) => {
    addAllDay(env, 'ABC', 3);
    orderParallelLists(env);
    const { handle, result } = await syncEmployee(env, 'ABC');
    assert.deepEqual(
      [result.mode, result.calendarCreated, result.actions.createEvent, result.actions.total],
      ['full', true, 1, 1],
      'calendar-sync full',
    );
    return handle;
  }),

  oneEmployee('incremental_advoware_change', async (env) => {
    const termin = addAllDay(env, 'ABC', 3);
    await syncEmployee(env, 'ABC');
    env.advoware.editTermin(termin.frNr, { datum: day(4) });
    orderParallelLists(env);
    const { handle, result } = await syncEmployee(env, 'ABC');
    assert.deepEqual([result.mode, result.actions.updateEvent, result.actions.total], ['incremental', 1, 1], 'calendar-sync incremental');
    return handle;
  }),

  // 410 Gone on the saved sync token: the run lists the whole calendar a second time.
  oneEmployee('sync_token_expired', async (env) => {
    addAllDay(env, 'ABC', 3);
    await syncEmployee(env, 'ABC');
    env.google.invalidateSyncTokens();
    orderParallelLists(env);
    const { handle, result } = await syncEmployee(env, 'ABC');
    assert.deepEqual([result.mode, result.syncTokenExpired, result.actions.total], ['full', true, 0], 'calendar-sync 410');
    return handle;
  }),

  // A failed run leaves the workflow open with HubOutcome failed; the next request's run succeeds and completes it.
  oneEmployee('failed_then_recovered', async (env) => {
    addAllDay(env, 'ABC', 3);
    // Forbidden is not retried; the latency lets Advoware's list answer first, as in orderParallelLists.
    env.google.faults.add({ method: 'GET', path: '/events$', status: 403, latencyMs: 300 });
    const handle = await env.hub.client.workflow.start<CalendarSyncWorkflow>(calendarSyncRef.workflowType, {
      taskQueue: env.hub.taskQueue,
      workflowId: calendarSyncWorkflowId('ABC'),
      args: [{ kuerzel: 'ABC' }],
    });
    for (let waited = 0; (await handle.describe()).typedSearchAttributes.get(HubOutcome) !== 'failed'; waited += 100) {
      assert.ok(waited < 15_000, 'calendar-sync records the failed run');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    env.google.faults.clear();
    orderParallelLists(env);
    await handle.signal(calendarSyncRequested, {});
    const result: CalendarSyncResult = await env.hub.run(() => handle.result());
    assert.deepEqual([result.mode, result.actions.createEvent], ['full', 1], 'calendar-sync recovered');
    return handle;
  }),

  allEmployees('all_synced', async (env) => {
    addAllDay(env, 'ABC', 2);
    addAllDay(env, 'DEF', 2);
    orderParallelLists(env);
    const { handle, result } = await syncAll(env);
    assert.deepEqual([result.synced, result.failed], [2, 0], 'calendar-sync-all');
    return handle;
  }),

  // A non-retryable Google answer fails one employee's child workflow; the other is synced.
  allEmployees('one_employee_failed', async (env) => {
    addAllDay(env, 'ABC', 2);
    addAllDay(env, 'DEF', 2);
    await syncAll(env);
    const calendarPath = calendarIdOf(env, 'ABC').split('@')[0]!;
    env.google.faults.add({ method: 'GET', path: `/calendars/${calendarPath}[^/]*/events$`, status: 400 });
    orderParallelLists(env);
    const { handle, result } = await syncAll(env);
    assert.deepEqual(
      result.employees.map((o) => `${o.kuerzel}:${o.status}`),
      // Oldest first: ABC and DEF were synced in this order, so ABC is the older.
      ['ABC:failed', 'DEF:synced'],
      'calendar-sync-all with one failure',
    );
    return handle;
  }),
];
