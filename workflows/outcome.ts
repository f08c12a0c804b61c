import { patched, setCurrentDetails, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { HubOutcome } from '../contracts/search-attributes';
import { FAILING_OUTCOMES, HUB_STATUS_MEMO, type HubStatus } from '../contracts/hub-status';
import { describeStatus } from '../domain/hub-status';
import { countConflict, countRun } from './metrics';

/** `patched` marker: runs from before it replay without the `hubStatus` memo. */
const HUB_STATUS_MEMO_STEP = 'hub-status-memo';

const FAILED: ReadonlySet<string> = new Set(FAILING_OUTCOMES);

export interface RunRecord {
  entityType: string;
  entityId: string;
  name?: string | null;
  /** The run's decision, as `HubOutcome` shows it. */
  outcome: string;
  /** Only for a failed run: why, how often in a row, when the next attempt comes on its own. */
  failure?: Pick<HubStatus, 'reason' | 'attempts' | 'nextRetryAt'>;
  conflict?: boolean;
  /** Workflow time (`Date.now()`) when the run began. */
  startedAt: number;
}

/**
 * Everything an operator sees of one finished run, in one place: `HubOutcome` for the Web UI's filter (and
 * {@link FAILING_NOW_QUERY}), the current details line on the workflow's page, the `hubStatus` memo that
 * `npm run hub:failures` lists, and the sync counters.
 */
export function recordRun(run: RunRecord): void {
  const previous = lastStatus();
  const failing = FAILED.has(run.outcome);
  const status: HubStatus = {
    entityType: run.entityType,
    entityId: run.entityId,
    ...(run.name && { name: run.name }),
    status: run.outcome,
    ...(failing && run.failure),
    // The streak's first failure; a recovered entity starts a new one.
    ...(failing && { since: previous && FAILED.has(previous.status) && previous.since ? previous.since : new Date().toISOString() }),
  };
  upsertSearchAttributes({ [HubOutcome.name]: [run.outcome] });
  setCurrentDetails(describeStatus(status));
  countRun(run.outcome, Date.now() - run.startedAt);
  if (run.conflict) countConflict();
  // A run that leaves the same status as the last one costs no extra command.
  if (!sameStatus(previous, status) && patched(HUB_STATUS_MEMO_STEP)) {
    upsertMemo({ [HUB_STATUS_MEMO]: status });
    recorded = status;
  }
}

/** What this execution recorded last (a continued run starts from the memo it carried over). */
let recorded: HubStatus | undefined;

function lastStatus(): HubStatus | undefined {
  return recorded ?? (workflowInfo().memo?.[HUB_STATUS_MEMO] as HubStatus | undefined);
}

function sameStatus(a: HubStatus | undefined, b: HubStatus): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}
