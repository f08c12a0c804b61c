import assert from 'node:assert/strict';
import { beteiligteSyncWorkflowId } from '../../../contracts/beteiligte';
import { beteiligteIngestRef, type BeteiligteIngestInput, type BeteiligteIngestWorkflow } from '../../../contracts/ingest';
import type { Scenario } from './scenario';

export const ingestScenarios: Scenario[] = [
  {
    workflowType: beteiligteIngestRef.workflowType,
    // One reason only: each reason is its own fan-out call, and parallel calls would finish in a racing order.
    path: 'hands_over_group',
    async run(env) {
      const ids = ['Ingest A GmbH', 'Ingest B GmbH'].map((firmenname) => env.espocrm.userCreate('CBeteiligte', { firmenname }).id);
      const input: BeteiligteIngestInput = { items: ids.sort().map((espoId) => ({ espoId, reason: 'create' })) };
      const handle = await env.hub.client.workflow.start<BeteiligteIngestWorkflow>(beteiligteIngestRef.workflowType, {
        taskQueue: env.hub.taskQueue,
        workflowId: `replay-ingest-${Date.now()}`,
        args: [input],
      });
      assert.deepEqual(await env.hub.run(() => handle.result()), { requested: ids.length }, 'beteiligte-ingest');
      // The Beteiligte syncs run on after the hand-over: let them finish before the simulators are reset.
      for (const id of ids) await env.hub.run(() => env.hub.client.workflow.getHandle(beteiligteSyncWorkflowId(id)).result());
      return handle;
    },
  },
];
