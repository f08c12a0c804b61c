import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import {
  CALENDAR_SYNC_ALL_SUMMARY,
  CALENDAR_SYNC_ALL_WORKFLOW_ID,
  calendarSyncAllRef,
  calendarSyncRef,
  calendarSyncRequested,
  calendarSyncSummary,
  calendarSyncWorkflowId,
  type CalendarSyncAllInput,
  type CalendarSyncAllWorkflow,
  type CalendarSyncInput,
  type CalendarSyncRequest,
  type CalendarSyncWorkflow,
} from '../../contracts/calendar';
import { HubEmployee, HubEntityId, HubEntityType } from '../../contracts/search-attributes';

/**
 * Starts calendar syncs on request (the manual trigger). The workflow ID is the lock: a request for an employee
 * whose workflow is open (syncing, or failing and waiting for its retry) is signalled to it and makes one more run
 * at once; a request for everyone while `calendar-sync-all` runs joins that run (USE_EXISTING).
 */
export class CalendarSyncRequester {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly deadlineMs = 5_000,
  ) {}

  async requestEmployee(kuerzel: string, fullContent: boolean | undefined): Promise<string> {
    const input: CalendarSyncInput = { kuerzel, ...(fullContent !== undefined && { fullContent }) };
    const request: CalendarSyncRequest = fullContent !== undefined ? { fullContent } : {};
    const workflowId = calendarSyncWorkflowId(kuerzel);
    await this.client.workflow.withDeadline(Date.now() + this.deadlineMs, () =>
      this.client.workflow.signalWithStart<CalendarSyncWorkflow, [CalendarSyncRequest]>(calendarSyncRef.workflowType, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [input],
        signal: calendarSyncRequested,
        signalArgs: [request],
        staticSummary: calendarSyncSummary(kuerzel),
        typedSearchAttributes: new TypedSearchAttributes([
          { key: HubEntityType, value: 'Calendar' },
          { key: HubEntityId, value: kuerzel },
          { key: HubEmployee, value: kuerzel },
        ]),
      }),
    );
    return workflowId;
  }

  async requestAll(fullContent: boolean | undefined): Promise<string> {
    const input: CalendarSyncAllInput = fullContent !== undefined ? { fullContent } : {};
    await this.client.workflow.withDeadline(Date.now() + this.deadlineMs, () =>
      this.client.workflow.start<CalendarSyncAllWorkflow>(calendarSyncAllRef.workflowType, {
        workflowId: CALENDAR_SYNC_ALL_WORKFLOW_ID,
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        staticSummary: CALENDAR_SYNC_ALL_SUMMARY,
      }),
    );
    return CALENDAR_SYNC_ALL_WORKFLOW_ID;
  }
}
