import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { BANKVERBINDUNGEN_SWEEP_SCHEDULE_ID, BANKVERBINDUNGEN_SWEEP_WORKFLOW_ID, bankverbindungenSweepRef } from '../contracts/bankverbindungen';
import { BETEILIGTE_SWEEP_SCHEDULE_ID, BETEILIGTE_SWEEP_WORKFLOW_ID, beteiligteSweepRef } from '../contracts/beteiligte';
import { CALENDAR_SYNC_ALL_WORKFLOW_ID, CALENDAR_SYNC_SCHEDULE_ID, calendarSyncAllRef } from '../contracts/calendar';

export interface ScheduleIntervals {
  sweepIntervalSeconds: number;
  calendarIntervalSeconds: number;
}

/**
 * Creates the hub's schedules, or brings existing ones up to date: every worker runs this at
 * start-up, so it must be idempotent and safe to race.
 */
export async function ensureSchedules(client: Client, taskQueue: string, intervals: ScheduleIntervals): Promise<void> {
  const sweep: ScheduleOptions = {
    scheduleId: BETEILIGTE_SWEEP_SCHEDULE_ID,
    spec: { intervals: [{ every: `${intervals.sweepIntervalSeconds} seconds` }] },
    action: {
      type: 'startWorkflow',
      workflowType: beteiligteSweepRef.workflowType,
      workflowId: BETEILIGTE_SWEEP_WORKFLOW_ID,
      taskQueue,
    },
    // A sweep still paging when the next is due makes the next one pointless.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
  };
  const calendar: ScheduleOptions = {
    scheduleId: CALENDAR_SYNC_SCHEDULE_ID,
    spec: { intervals: [{ every: `${intervals.calendarIntervalSeconds} seconds` }] },
    action: {
      type: 'startWorkflow',
      workflowType: calendarSyncAllRef.workflowType,
      workflowId: CALENDAR_SYNC_ALL_WORKFLOW_ID,
      taskQueue,
      args: [{}],
    },
    // A run still going when the next is due (a big initial sync) makes the next one pointless.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
  };
  // Bank accounts carry the same status fields: the same filter, on the same interval (SPEC §5.1, §5.5).
  const bankSweep: ScheduleOptions = {
    ...sweep,
    scheduleId: BANKVERBINDUNGEN_SWEEP_SCHEDULE_ID,
    action: { ...sweep.action, workflowType: bankverbindungenSweepRef.workflowType, workflowId: BANKVERBINDUNGEN_SWEEP_WORKFLOW_ID },
  };
  await Promise.all([upsertSchedule(client, sweep), upsertSchedule(client, bankSweep), upsertSchedule(client, calendar)]);
}

async function upsertSchedule(client: Client, options: ScheduleOptions): Promise<void> {
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(options.scheduleId).update((previous) => ({
      ...previous,
      spec: options.spec,
      action: options.action,
      policies: { ...previous.policies, ...options.policies },
    }));
  }
}
