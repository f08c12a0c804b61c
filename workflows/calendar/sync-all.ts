import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ChildWorkflowFailure, log, ParentClosePolicy, startChild } from '@temporalio/workflow';
import { failureMessage } from '../../contracts/failures';
import { HubEmployee, HubEntityId, HubEntityType } from '../../contracts/search-attributes';
import { calendarEmployeesOldestFirst, calendarSettings } from './activities';
import {
  calendarSyncWorkflowId,
  type CalendarSyncAllInput,
  type CalendarSyncAllResult,
  type CalendarSyncInput,
  type EmployeeOutcome,
} from '../../contracts/calendar';
import { settleWithLimit } from './execute';
import { calendarSyncWorkflow } from './sync';

/**
 * `calendar-sync-all`: every active employee's calendar, the longest unsynced first, a few at a time. Each one
 * is its own child workflow, so one employee's failure is recorded and the others go on; the shared Redis
 * bucket paces Google for all of them together.
 */
export async function calendarSyncAllWorkflow(input: CalendarSyncAllInput = {}): Promise<CalendarSyncAllResult> {
  const settings = await calendarSettings();
  const employees = await calendarEmployeesOldestFirst();
  const settled = await settleWithLimit(
    employees.map((kuerzel) => () => syncEmployee(kuerzel, input.fullContent)),
    settings.concurrency,
  );
  const outcomes = settled.map((s): EmployeeOutcome => {
    if (s.status === 'fulfilled') return s.value;
    // syncEmployee turns every expected failure into an outcome; anything else is a bug worth failing on.
    throw s.reason;
  });
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  if (failed > 0) log.warn('calendar sync finished with failed employees', { failed, of: outcomes.length });
  return { employees: outcomes, synced: outcomes.filter((o) => o.status === 'synced').length, failed };
}

async function syncEmployee(kuerzel: string, fullContent: boolean | undefined): Promise<EmployeeOutcome> {
  const childInput: CalendarSyncInput = { kuerzel, ...(fullContent !== undefined && { fullContent }) };
  let child;
  try {
    child = await startChild(calendarSyncWorkflow, {
      workflowId: calendarSyncWorkflowId(kuerzel),
      args: [childInput],
      // A manual run of one employee is not cut short because this run was cancelled.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [
        { key: HubEntityType, value: 'Calendar' },
        { key: HubEntityId, value: kuerzel },
        { key: HubEmployee, value: kuerzel },
      ],
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { kuerzel, status: 'already_running' };
    throw err;
  }
  try {
    return { kuerzel, status: 'synced', result: await child.result() };
  } catch (err) {
    if (err instanceof ChildWorkflowFailure) return { kuerzel, status: 'failed', error: failureMessage(err) };
    throw err;
  }
}
