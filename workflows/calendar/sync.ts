import { ActivityFailure, ApplicationFailure, continueAsNew, isCancellation, patched, workflowInfo } from '@temporalio/workflow';
import { failureMessage, rootCauseOf, type RootCause } from '../../contracts/failures';
import type { CalendarSyncInput, CalendarSyncResult } from '../../contracts/calendar';
import type { CalendarSettings } from '../../domain/calendar/run-state';
import { recordRun } from '../outcome';
import { calendarSettings } from './activities';
import { CalendarSyncRequests, reportRun, type ReportTarget } from './requests';
import { runCalendarSync } from './run';

/** `patched` marker: runs from before it ended Failed on a failed run instead of waiting for the retry. */
const FAILING_STAYS_OPEN = 'calendar-failing-stays-open';

/**
 * Pause before a failing employee's next run on its own, for runs recorded before the settings carried the schedule's
 * interval. `calendar-sync-all` (every interval) and the manual trigger wake the workflow earlier.
 */
const RETRY_MS = 15 * 60_000;

type Attempt =
  | { status: 'synced'; result: CalendarSyncResult }
  /** `legacy`: what a run from before FAILING_STAYS_OPEN ended with. */
  | { status: 'failed'; reason: RootCause; legacy: unknown; incomplete: boolean };

/**
 * `calendar-sync/<kuerzel>`: one employee's calendar sync (SPEC §6). A run that succeeds completes the workflow with
 * its result (after one more run if requests came in meanwhile). A failed run records `failed` with its root cause
 * and the workflow stays open, waiting for the retry or the next request, so a failing employee is exactly one
 * running workflow with `HubOutcome = failed`, and a recovered one is completed.
 */
export async function calendarSyncWorkflow(input: CalendarSyncInput): Promise<CalendarSyncResult> {
  const { kuerzel } = input;
  const requests = new CalendarSyncRequests();
  let failing = input.failing;
  // Continued as new while failing: go on waiting. The parent heard of the first failure already.
  if (failing) await requests.next(Date.parse(failing.nextRetryAt) - Date.now());
  const parent = failing ? undefined : workflowInfo().parent;

  for (let first = true; ; first = false) {
    const asked = requests.take();
    const settings = await calendarSettings();
    const startedAt = Date.now();
    const attempt = await attemptRun(kuerzel, asked.fullContent ?? input.fullContent ?? settings.fullContent, settings);
    const record = { entityType: 'Calendar', entityId: kuerzel, name: kuerzel, startedAt };
    // A parent waits for the result; when the workflow does not complete now, it hears of this run by signal.
    const reportTo: ReportTarget[] = [...asked.reportTo];
    if (first && parent && (attempt.status === 'failed' || requests.waiting)) reportTo.push(parent);

    if (attempt.status === 'synced') {
      const { result } = attempt;
      recordRun({ ...record, outcome: result.actions.total > 0 ? 'changed' : 'no_change' });
      await reportRun(reportTo, { kuerzel, status: 'synced', result });
      failing = undefined;
      if (!requests.waiting) return result;
      continue;
    }

    if (!patched(FAILING_STAYS_OPEN)) {
      if (attempt.incomplete) recordRun({ ...record, outcome: 'failed' });
      throw attempt.legacy;
    }
    failing = { attempts: (failing?.attempts ?? 0) + 1, nextRetryAt: new Date(Date.now() + (settings.retryMs ?? RETRY_MS)).toISOString() };
    recordRun({ ...record, outcome: 'failed', failure: { reason: attempt.reason, ...failing } });
    await reportRun(reportTo, { kuerzel, status: 'failed', reason: attempt.reason, ...failing });
    if (!requests.waiting && workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof calendarSyncWorkflow>({
        kuerzel,
        ...(input.fullContent !== undefined && { fullContent: input.fullContent }),
        failing,
      });
    }
    await requests.next(settings.retryMs ?? RETRY_MS);
  }
}

/** One run, its failure turned into the root cause an operator reads (which system, which call, which answer). */
async function attemptRun(kuerzel: string, fullContent: boolean, settings: CalendarSettings): Promise<Attempt> {
  try {
    const { result, failures } = await runCalendarSync(kuerzel, fullContent, settings);
    if (failures.length === 0) return { status: 'synced', result };
    const summary = `${failures.length} of ${result.actions.total} calendar changes failed; the next run tries them again`;
    const first = rootCauseOf(failures[0]);
    return {
      status: 'failed',
      reason: { ...first, message: `${summary}. First: ${first.message}` },
      legacy: ApplicationFailure.nonRetryable(`${summary}. First: ${failureMessage(failures[0])}`, 'CalendarSyncIncomplete'),
      incomplete: true,
    };
  } catch (err) {
    // Only an activity's failure or the run's own verdict is the employee's failure; anything else is a bug.
    if (isCancellation(err) || !(err instanceof ActivityFailure || err instanceof ApplicationFailure)) throw err;
    return { status: 'failed', reason: rootCauseOf(err), legacy: err, incomplete: false };
  }
}
