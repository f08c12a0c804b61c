import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { BETEILIGTE_SWEEP_SCHEDULE_ID } from '../workflows/beteiligte/definitions';

/**
 * Creates the hub's schedules, or brings existing ones up to date: every worker runs this at
 * start-up, so it must be idempotent and safe to race.
 */
export async function ensureSchedules(client: Client, taskQueue: string, sweepIntervalSeconds: number): Promise<void> {
  const sweep: ScheduleOptions = {
    scheduleId: BETEILIGTE_SWEEP_SCHEDULE_ID,
    spec: { intervals: [{ every: `${sweepIntervalSeconds} seconds` }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'beteiligteSweepWorkflow',
      workflowId: 'beteiligte-sync-sweep-run',
      taskQueue,
    },
    // A sweep still paging when the next is due makes the next one pointless.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
  };
  try {
    await client.schedule.create(sweep);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(sweep.scheduleId).update((previous) => ({
      ...previous,
      spec: sweep.spec,
      action: sweep.action,
      policies: { ...previous.policies, ...sweep.policies },
    }));
  }
}
