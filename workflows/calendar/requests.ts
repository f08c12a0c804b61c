import { condition, getExternalWorkflowHandle, isCancellation, log, setHandler } from '@temporalio/workflow';
import { calendarRunReported, calendarSyncRequested, type CalendarSyncRequest, type EmployeeOutcome } from '../../contracts/calendar';

/** A `calendar-sync-all` waiting for an employee's run: its parent (with the run ID) or one that found it open. */
export interface ReportTarget {
  workflowId: string;
  runId?: string;
}

/** The requests one run takes: the last `fullContent` asked for, and who wants to hear the outcome. */
export interface TakenRequests {
  fullContent?: boolean;
  reportTo: ReportTarget[];
}

/**
 * The requests an employee's sync folds into runs: however many arrive during a run, they make one more run.
 * Construct it first thing in the workflow, so a signal-with-start's signal finds its handler.
 */
export class CalendarSyncRequests {
  private pending: CalendarSyncRequest[] = [];

  constructor() {
    setHandler(calendarSyncRequested, (request) => void this.pending.push(request));
  }

  get waiting(): boolean {
    return this.pending.length > 0;
  }

  /** Everything asked for so far; requests arriving from now on make the next run. */
  take(): TakenRequests {
    const taken = this.pending;
    this.pending = [];
    let fullContent: boolean | undefined;
    for (const request of taken) fullContent = request.fullContent ?? fullContent;
    const reportTo = [...new Set(taken.flatMap((r) => (r.reportTo ? [r.reportTo] : [])))].map((workflowId) => ({ workflowId }));
    return { ...(fullContent !== undefined && { fullContent }), reportTo };
  }

  /** Until the next request, or `ms` (the retry) at the latest. */
  async next(ms: number): Promise<void> {
    await condition(() => this.waiting, Math.max(ms, 1));
  }
}

/** Tells every waiting `calendar-sync-all` how the run went; one that has finished meanwhile is skipped. */
export async function reportRun(targets: readonly ReportTarget[], outcome: EmployeeOutcome): Promise<void> {
  await Promise.all(
    targets.map(async ({ workflowId, runId }) => {
      try {
        await getExternalWorkflowHandle(workflowId, runId).signal(calendarRunReported, outcome);
      } catch (err) {
        if (isCancellation(err)) throw err;
        log.warn('could not report the calendar run', { workflowId, kuerzel: outcome.kuerzel, error: String(err) });
      }
    }),
  );
}
