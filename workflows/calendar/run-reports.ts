import { condition, setHandler } from '@temporalio/workflow';
import { calendarRunReported, type CalendarSyncAllResult, type EmployeeOutcome } from '../../contracts/calendar';

/** The runs employees' workflows reported to this `calendar-sync-all` by signal, the latest per employee. */
export class RunReports {
  private readonly reported = new Map<string, EmployeeOutcome>();

  /** Construct it before the first child starts: a report may arrive in the activation the child fails in. */
  constructor() {
    setHandler(calendarRunReported, (outcome) => void this.reported.set(outcome.kuerzel, outcome));
  }

  /** Drops an earlier report, before asking for a new run. */
  forget(kuerzel: string): void {
    this.reported.delete(kuerzel);
  }

  /** The employee's report once it arrives; `undefined` after `timeoutMs`. */
  next(kuerzel: string): Promise<EmployeeOutcome>;
  next(kuerzel: string, timeoutMs: number): Promise<EmployeeOutcome | undefined>;
  async next(kuerzel: string, timeoutMs?: number): Promise<EmployeeOutcome | undefined> {
    const arrived = () => this.reported.has(kuerzel);
    if (timeoutMs === undefined) await condition(arrived);
    else await condition(arrived, timeoutMs);
    return this.reported.get(kuerzel);
  }
}

/** Counts, and the run's outcome: partial when some employees failed, `none_synced` when every one did. */
export function summarizeOutcomes(employees: EmployeeOutcome[]): CalendarSyncAllResult {
  const synced = employees.filter((o) => o.status === 'synced').length;
  const failed = employees.filter((o) => o.status === 'failed').length;
  const outcome = failed === 0 ? 'all_synced' : failed === employees.length ? 'none_synced' : 'partial_failure';
  return { outcome, employees, synced, failed };
}
