import { randomUUID } from 'node:crypto';
import { bankverbindungenSyncWorkflowId, type BankverbindungenSyncWorkflow } from '../contracts/bankverbindungen';
import type { BenchContext } from './context';
import { nowMs, summarize, type Summary } from './stats';
import { postWebhookOk } from './webhooks';

export interface BankverbindungenFigures {
  /** A bank account entered in EspoCRM: signed webhook → its workflow closed with the entry in Advoware and EspoCRM clean. */
  created: Summary;
  createdCalls: number[];
  /** The same account again, nothing changed: webhook → run closed. */
  unchanged: Summary;
  unchangedCalls: number[];
}

/**
 * The Bankverbindungen sync (SPEC §5.5) through the gateway, Temporal and the worker process: a new account of a
 * linked party, then a webhook for the unchanged account; each run's API calls counted at the simulators.
 */
export async function measureBankverbindungen(ctx: BenchContext, samples: number): Promise<BankverbindungenFigures> {
  const url = ctx.gateway.url;
  const partyId = await ctx.sim.call('createLinkedParty', `Konto ${randomUUID().slice(0, 6)}`);
  const counted = async (): Promise<number> => {
    const seen = await ctx.sim.call('apiCalls');
    return seen.advoware + seen.espocrm;
  };
  /** Posts the webhook and resolves once the account's latest workflow run closed, with its decision. */
  const syncVia = async (event: 'create' | 'update', id: string): Promise<string | undefined> => {
    await postWebhookOk(url, event, [{ id }], 'bankverbindungen');
    const result = await ctx.client.workflow.getHandle<BankverbindungenSyncWorkflow>(bankverbindungenSyncWorkflowId(id)).result();
    return result.runs.at(-1)?.decision;
  };

  const raw = { created: [] as number[], unchanged: [] as number[] };
  const calls = { created: [] as number[], unchanged: [] as number[] };
  const warmUp = 2;
  for (let i = -warmUp; i < samples; i++) {
    const id = await ctx.sim.call('createBankAccount', partyId, 'DE89370400440532013000');
    await ctx.sim.call('resetCalls');
    const sent = nowMs();
    const created = await syncVia('create', id);
    const createdMs = nowMs() - sent;
    if (created !== 'create') throw new Error(`create run decided ${String(created)}`);
    const createdCalls = await counted();

    await ctx.sim.call('resetCalls');
    const again = nowMs();
    const unchanged = await syncVia('update', id);
    const unchangedMs = nowMs() - again;
    if (unchanged !== 'no_change') throw new Error(`unchanged run decided ${String(unchanged)}`);
    const unchangedCalls = await counted();

    if (i < 0) continue;
    raw.created.push(createdMs);
    raw.unchanged.push(unchangedMs);
    calls.created.push(createdCalls);
    calls.unchanged.push(unchangedCalls);
  }
  return { created: summarize(raw.created), createdCalls: calls.created, unchanged: summarize(raw.unchanged), unchangedCalls: calls.unchanged };
}
