import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SweepActivities } from '../../activities/sweep';
import type { SweepResult } from '../../contracts/beteiligte';
import { countRun } from '../metrics';

const { espoListSweepPage, requestBeteiligteSyncs } = proxyActivities<SweepActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

/**
 * `beteiligte-sync-sweep` (every 15 min, SPEC §5.1): pages through every Beteiligte that needs a
 * sync — pending, dirty, failed and due, stale, or permanently failed and due for its
 * reset — and signals each Beteiligte's workflow. The Beteiligte's workflow decides; the sweep only asks.
 */
export async function beteiligteSweepWorkflow(): Promise<SweepResult> {
  // The schedule's start time, not the wall clock, so a late run still sweeps for its slot.
  const startedAt = Date.now();
  const nowIso = (workflowInfo().startTime ?? new Date()).toISOString();
  let afterId: string | undefined;
  let pages = 0;
  let signalled = 0;
  do {
    const page = await espoListSweepPage({ afterId, nowIso });
    pages++;
    if (page.ids.length > 0) signalled += await requestBeteiligteSyncs({ ids: page.ids, reason: 'sweep' });
    afterId = page.nextAfterId;
  } while (afterId !== undefined);
  countRun('completed', Date.now() - startedAt);
  return { pages, signalled };
}
