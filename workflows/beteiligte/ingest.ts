import { proxyLocalActivities } from '@temporalio/workflow';
import type { SweepActivities } from '../../activities/sweep';
import type { SyncReason } from '../../contracts/beteiligte';
import type { BeteiligteIngestInput, BeteiligteIngestResult } from '../../contracts/ingest';

/** Items per fan-out call: each call stays short, and a group of 500 costs five markers in the history. */
const CHUNK_SIZE = 100;

const { requestBeteiligteSyncs } = proxyLocalActivities<Pick<SweepActivities, 'requestBeteiligteSyncs'>>({
  startToCloseTimeout: '30 seconds',
  // The gateway already answered 2xx for these items (SPEC §2): never give up on them. No maximumAttempts
  // and no scheduleToCloseTimeout, so an outage of Temporal's frontend is waited out, however long.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * `beteiligte-ingest/<hash>`: hands a group of webhook items over to the Beteiligte workflows with
 * signal-with-start (the same fan-out as the sweep). A local activity, because the fan-out is one cheap
 * round trip per Beteiligte and a retry only signals again, which the Beteiligte's workflow folds into one run.
 */
export async function beteiligteIngestWorkflow(input: BeteiligteIngestInput): Promise<BeteiligteIngestResult> {
  const byReason = new Map<SyncReason, string[]>();
  for (const { espoId, reason } of input.items) {
    const ids = byReason.get(reason) ?? [];
    ids.push(espoId);
    byReason.set(reason, ids);
  }
  const calls: Promise<number>[] = [];
  for (const [reason, ids] of byReason) {
    for (let i = 0; i < ids.length; i += CHUNK_SIZE) calls.push(requestBeteiligteSyncs({ ids: ids.slice(i, i + CHUNK_SIZE), reason }));
  }
  const counts = await Promise.all(calls);
  return { requested: counts.reduce((sum, n) => sum + n, 0) };
}
