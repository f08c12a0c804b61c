import { ApplicationFailure, log } from '@temporalio/workflow';
import { isFailure } from '../../contracts/failures';
import { summarizePlan } from '../../domain/calendar/actions';
import { planCalendarSync } from '../../domain/calendar/plan';
import { indexAfterList, type CalendarIndex } from '../../domain/calendar/sync-index';
import { calendarLoadState, calendarSaveState, externalCalls } from './activities';
import type { CalendarSyncResult } from '../../contracts/calendar';
import type { CalendarSettings, CalendarSyncState, GoogleEventList } from '../../domain/calendar/run-state';
import { executeAction, settleWithLimit, type CallCount } from './execute';

/** One run: its result, and the planned changes that did not land (none when the run is complete). */
export interface CalendarRun {
  result: CalendarSyncResult;
  failures: unknown[];
}

/**
 * One run of one employee's calendar (SPEC §6). Lists both sides (Advoware always in full, Google incrementally
 * with the sync token of the last run), lets the pure planner decide, performs its actions and saves the cursor
 * for the next run. Advoware is the master; the planner holds the rules. A failed list or lost cursor throws; a
 * change that did not land is returned in `failures`, the others are kept.
 */
export async function runCalendarSync(kuerzel: string, fullContent: boolean, settings: CalendarSettings): Promise<CalendarRun> {
  const calls = externalCalls(settings.callTimeoutMs);
  const count: CallCount = { google: 0, advoware: 0 };

  let state = await calendarLoadState(kuerzel);
  let calendarCreated = false;
  async function ensureCalendar(): Promise<string> {
    const ensured = await calls.googleEnsureCalendar(kuerzel);
    count.google += ensured.calls;
    calendarCreated = ensured.created;
    return ensured.calendarId;
  }
  let calendarId = state?.calendarId ?? (await ensureCalendar());

  const fullDue = !state?.syncToken || Date.now() - state.fullListedAt >= settings.fullResyncMs;
  const listGoogle = async (syncToken: string | null): Promise<GoogleEventList> => {
    const listed = await calls.googleListEvents(calendarId, syncToken);
    count.google += listed.expired ? 1 : listed.pages;
    return listed;
  };
  count.advoware += 1;
  const [termine, firstList] = await Promise.all([
    calls.advowareListTermine(kuerzel, settings.window),
    listGoogle(fullDue ? null : (state?.syncToken ?? null)).catch(async (err: unknown) => {
      // The calendar was deleted behind the hub's back (an operator, a reset): make a new one and start over.
      if (!state || !isFailure(err, 'Google', 'NotFound')) throw err;
      log.warn('calendar of the saved state is gone; creating it again', { kuerzel, calendarId });
      state = null;
      calendarId = await ensureCalendar();
      return listGoogle(null);
    }),
  ]);
  let listed = firstList;
  const syncTokenExpired = listed.expired;
  if (listed.expired) {
    log.info('sync token expired (410); listing the whole calendar', { kuerzel });
    listed = await listGoogle(null);
  }
  if (listed.expired) throw ApplicationFailure.nonRetryable('Google answered a list without sync token with 410', 'GoogleListFailed');
  const mode = fullDue || syncTokenExpired || !state ? 'full' : 'incremental';
  const previousIndex: CalendarIndex | undefined = state?.index;

  const plan =
    mode === 'incremental' && previousIndex
      ? planCalendarSync({ mode, kuerzel, termine, events: listed.events, fullContent, window: settings.window, index: previousIndex })
      : planCalendarSync({ mode: 'full', kuerzel, termine, events: listed.events, fullContent, window: settings.window, index: previousIndex });
  const summary = summarizePlan(plan);
  if (plan.actions.length > 0) log.info('calendar changes planned', { kuerzel, mode, ...summary });

  let index = indexAfterList(previousIndex ?? {}, listed.events, mode);
  const settled = await settleWithLimit(
    plan.actions.map((action) => () => executeAction(action, { calendarId, fullContent, calls, count })),
    settings.writeConcurrency,
  );
  const failures: unknown[] = [];
  for (const result of settled) {
    if (result.status === 'fulfilled') index = result.value(index);
    else failures.push(result.reason);
  }

  // With failures the token stays where it was, so the next run sees the same Google changes again.
  const complete = failures.length === 0;
  const nextState: CalendarSyncState = {
    calendarId,
    syncToken: complete ? listed.nextSyncToken : mode === 'full' ? null : (state?.syncToken ?? null),
    index,
    fullListedAt: mode === 'full' && complete ? Date.now() : (state?.fullListedAt ?? 0),
    syncedAt: complete ? Date.now() : (state?.syncedAt ?? 0),
    fullContent,
  };
  await calendarSaveState(kuerzel, nextState);

  return {
    result: { kuerzel, mode, syncTokenExpired, calendarCreated, actions: summary, googleCalls: count.google, advowareCalls: count.advoware },
    failures,
  };
}
