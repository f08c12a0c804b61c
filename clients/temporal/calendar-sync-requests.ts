import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import {
  CALENDAR_SYNC_ALL_WORKFLOW_ID,
  calendarSyncAllRef,
  calendarSyncRef,
  calendarSyncWorkflowId,
  type CalendarSyncAllInput,
  type CalendarSyncAllWorkflow,
  type CalendarSyncInput,
  type CalendarSyncWorkflow,
} from '../../contracts/calendar';
import { HubEmployee, HubEntityId, HubEntityType } from '../../contracts/search-attributes';

/**
 * Starts calendar syncs on request (the manual trigger). USE_EXISTING makes the workflow ID the lock: a request
 * for an employee, or for everyone, that is already syncing joins that run instead of starting a second one.
 */
export class CalendarSyncRequester {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly deadlineMs = 5_000,
  ) {}

  async requestEmployee(kuerzel: string, fullContent: boolean | undefined): Promise<string> {
    const input: CalendarSyncInput = { kuerzel, ...(fullContent !== undefined && { fullContent }) };
    const workflowId = calendarSyncWorkflowId(kuerzel);
    await this.client.workflow.withDeadline(Date.now() + this.deadlineMs, () =>
      this.client.workflow.start<CalendarSyncWorkflow>(calendarSyncRef.workflowType, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
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
      }),
    );
    return CALENDAR_SYNC_ALL_WORKFLOW_ID;
  }
}
