import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import {
  CALENDAR_SYNC_ALL_WORKFLOW_ID,
  calendarSyncWorkflowId,
  type CalendarSyncAllInput,
  type CalendarSyncInput,
} from '../../workflows/calendar/definitions';
import { HubEmployee, HubEntityId, HubEntityType } from '../../workflows/search-attributes';

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
      this.client.workflow.start('calendarSyncWorkflow', {
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
      this.client.workflow.start('calendarSyncAllWorkflow', {
        workflowId: CALENDAR_SYNC_ALL_WORKFLOW_ID,
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      }),
    );
    return CALENDAR_SYNC_ALL_WORKFLOW_ID;
  }
}
