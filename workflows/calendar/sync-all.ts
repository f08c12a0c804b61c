import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ChildWorkflowFailure,
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  patched,
  setCurrentDetails,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { rootCauseOf } from '../../contracts/failures';
import { HubEmployee, HubEntityId, HubEntityType, HubOutcome } from '../../contracts/search-attributes';
import { calendarEmployeesOldestFirst, calendarSettings } from './activities';
import {
  calendarSyncRequested,
  calendarSyncSummary,
  calendarSyncWorkflowId,
  type CalendarSyncAllInput,
  type CalendarSyncAllResult,
  type CalendarSyncInput,
  type EmployeeOutcome,
} from '../../contracts/calendar';
import { describeReason } from '../../domain/hub-status';
import { countRun } from '../metrics';
import { settleWithLimit } from './execute';
import { RunReports, summarizeOutcomes } from './run-reports';
import { calendarSyncWorkflow } from './sync';

/** `patched` marker: runs from before it neither woke an open employee's workflow nor set `HubOutcome`. */
const REPORTS_FAILURES = 'calendar-sync-all-reports-failures';

/**
 * How long to wait for the report of an employee whose workflow was already open (a manual run, or a failing one
 * waiting for its retry): long enough for a run whose calls are retried for minutes.
 */
const REPORT_WAIT_MS = 10 * 60_000;

/**
 * `calendar-sync-all`: every active employee's calendar, the longest unsynced first, a few at a time. Each one
 * is its own child workflow, so one employee's failure is recorded and the others go on; the shared Redis
 * bucket paces Google for all of them together. A failing employee's workflow stays open: it reports its failed
 * run by signal, and the next `calendar-sync-all` wakes it and waits for its report.
 */
export async function calendarSyncAllWorkflow(input: CalendarSyncAllInput = {}): Promise<CalendarSyncAllResult> {
  const startedAt = Date.now();
  const reports = new RunReports();
  const settings = await calendarSettings();
  const employees = await calendarEmployeesOldestFirst();
  const settled = await settleWithLimit(
    employees.map((kuerzel) => () => syncEmployee(kuerzel, input.fullContent, reports)),
    settings.concurrency,
  );
  const outcomes = settled.map((s): EmployeeOutcome => {
    if (s.status === 'fulfilled') return s.value;
    // syncEmployee turns every expected failure into an outcome; anything else is a bug worth failing on.
    throw s.reason;
  });
  const result = summarizeOutcomes(outcomes);
  if (result.failed > 0) log.warn('calendar sync finished with failed employees', { failed: result.failed, of: outcomes.length });
  if (patched(REPORTS_FAILURES)) upsertSearchAttributes([{ key: HubOutcome, value: result.outcome }]);
  setCurrentDetails(describeResult(result));
  countRun(result.outcome, Date.now() - startedAt);
  return result;
}

async function syncEmployee(kuerzel: string, fullContent: boolean | undefined, reports: RunReports): Promise<EmployeeOutcome> {
  const childInput: CalendarSyncInput = { kuerzel, ...(fullContent !== undefined && { fullContent }) };
  let child;
  try {
    child = await startChild(calendarSyncWorkflow, {
      workflowId: calendarSyncWorkflowId(kuerzel),
      args: [childInput],
      // A manual run of one employee is not cut short because this run was cancelled.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      staticSummary: calendarSyncSummary(kuerzel),
      typedSearchAttributes: [
        { key: HubEntityType, value: 'Calendar' },
        { key: HubEntityId, value: kuerzel },
        { key: HubEmployee, value: kuerzel },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    if (!patched(REPORTS_FAILURES)) return { kuerzel, status: 'already_running' };
    return askOpenWorkflow(kuerzel, fullContent, reports);
  }
  // A child that fails stays open: its first run's report is all this run gets.
  const completed = child.result().then(
    (result): EmployeeOutcome => ({ kuerzel, status: 'synced', result }),
    (err: unknown): EmployeeOutcome => {
      if (err instanceof ChildWorkflowFailure) return { kuerzel, status: 'failed', reason: rootCauseOf(err) };
      throw err;
    },
  );
  return Promise.race([completed, reports.next(kuerzel)]);
}

/** The employee's workflow is open (failing and waiting, or a manual run): one more run, reported back here. */
async function askOpenWorkflow(kuerzel: string, fullContent: boolean | undefined, reports: RunReports): Promise<EmployeeOutcome> {
  reports.forget(kuerzel);
  try {
    await getExternalWorkflowHandle(calendarSyncWorkflowId(kuerzel)).signal(calendarSyncRequested, {
      ...(fullContent !== undefined && { fullContent }),
      reportTo: workflowInfo().workflowId,
    });
  } catch (err) {
    // It completed in between: that run synced the employee just now.
    log.info('employee workflow closed before it could be asked for a run', { kuerzel, error: String(err) });
    return { kuerzel, status: 'already_running' };
  }
  return (await reports.next(kuerzel, REPORT_WAIT_MS)) ?? { kuerzel, status: 'already_running' };
}

/** One line for the Web UI: `1 of 3 employees failed: ABC (GoogleServerError in googleListEvents, HTTP 500: …)`. */
function describeResult(result: CalendarSyncAllResult): string {
  const failed = result.employees.flatMap((o) => {
    return o.status === 'failed' ? [`${o.kuerzel} (${describeReason(o.reason)})`] : [];
  });
  const of = result.employees.length;
  return failed.length > 0 ? `${failed.length} of ${of} employees failed: ${failed.join(', ')}` : `${result.synced} of ${of} employees synced`;
}
