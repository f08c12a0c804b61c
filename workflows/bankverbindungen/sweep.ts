import { workflowInfo } from '@temporalio/workflow';
import type { SweepResult } from '../../contracts/beteiligte';
import { countRun } from '../metrics';
import { espoListBankverbindungenSweepPage, requestBankverbindungSyncs } from './activities';

/**
 * `bankverbindungen-sync-sweep` (the Beteiligte sweep's interval, SPEC §5.1 applied to bank accounts): pages through
 * every bank account that needs a sync — pending, dirty, failed and due, stale, or permanently failed and due for
 * its reset — and signals each account's workflow, which decides.
 */
export async function bankverbindungenSweepWorkflow(): Promise<SweepResult> {
  // The schedule's start time, not the wall clock, so a late run still sweeps for its slot.
  const startedAt = Date.now();
  const nowIso = (workflowInfo().startTime ?? new Date()).toISOString();
  const result: SweepResult = { pages: 0, signalled: 0 };
  for (let afterId: string | undefined, first = true; first || afterId !== undefined; first = false) {
    const page = await espoListBankverbindungenSweepPage({ afterId, nowIso });
    result.pages++;
    if (page.ids.length > 0) result.signalled += await requestBankverbindungSyncs({ ids: page.ids, reason: 'sweep' });
    afterId = page.nextAfterId;
  }
  countRun('completed', Date.now() - startedAt);
  return result;
}
