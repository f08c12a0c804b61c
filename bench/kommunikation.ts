import { randomUUID } from 'node:crypto';
import { latestRun } from './beteiligte';
import type { BenchContext } from './context';
import { nowMs, summarize, type Summary } from './stats';
import { postWebhookOk } from './webhooks';

export interface KommunikationFigures {
  /** A user adds a phone number in EspoCRM: webhook → the number in Advoware and EspoCRM clean with the new hashes. */
  numberAdded: Summary;
  /** API calls of each number-added run, as the simulators saw them (token excluded). */
  numberAddedCalls: number[];
  /** Nothing changed (a Beteiligte with e-mail and phone numbers): webhook → run closed. */
  noChange: Summary;
  noChangeCalls: number[];
  /** What the Kommunikation step did in the last number-added run. */
  lastActions: string[];
}

/**
 * The Kommunikation step (SPEC §5.3) through the gateway, Temporal and the worker process: a phone number added in
 * EspoCRM (Stammdaten unchanged) and a run that finds nothing to do, each counted at the simulators.
 */
export async function measureKommunikation(ctx: BenchContext, samples: number): Promise<KommunikationFigures> {
  const url = ctx.gateway.url;
  const espoId = await ctx.sim.call('createBeteiligteWithKommunikation', `Kommunikation ${randomUUID().slice(0, 6)}`);
  await postWebhookOk(url, 'create', [{ id: espoId }]);
  const created = await latestRun(ctx.client, espoId);
  if (created.result.runs[0]?.decision !== 'create') throw new Error(`create run decided ${JSON.stringify(created.result.runs)}`);

  const raw = { numberAdded: [] as number[], noChange: [] as number[] };
  const calls = { numberAdded: [] as number[], noChange: [] as number[] };
  const counted = async (): Promise<number> => {
    const seen = await ctx.sim.call('apiCalls');
    return seen.advoware + seen.espocrm;
  };
  let lastActions: string[] = [];
  const warmUp = 2;
  for (let i = -warmUp; i < samples; i++) {
    const phoneNumber = `+49 170 ${String(5_000_000 + i + warmUp)}`;
    const item = await ctx.sim.call('addEspoPhone', espoId, phoneNumber);
    const synced = ctx.sim.call('waitPhoneSynced', espoId, phoneNumber, 60_000);
    await ctx.sim.call('resetCalls');
    const sent = nowMs();
    await postWebhookOk(url, 'update', [item as { id: string }]);
    const done = await synced;
    const added = await latestRun(ctx.client, espoId);
    const addedCalls = await counted();
    const kommunikation = added.result.runs[0]?.kommunikation;
    if (!kommunikation?.actions.some((a) => a.case === 'Var1')) throw new Error(`number-added run did ${JSON.stringify(added.result.runs)}`);

    await ctx.sim.call('resetCalls');
    const noChangeSent = Date.now();
    await postWebhookOk(url, 'update', [{ id: espoId }]);
    const unchanged = await latestRun(ctx.client, espoId);
    const noChangeCalls = await counted();
    if (unchanged.result.runs[0]?.kommunikation?.actions.length !== 0) throw new Error(`no-change run did ${JSON.stringify(unchanged.result.runs)}`);

    if (i < 0) continue;
    raw.numberAdded.push(done - sent);
    raw.noChange.push(unchanged.closedAt - noChangeSent);
    calls.numberAdded.push(addedCalls);
    calls.noChange.push(noChangeCalls);
    lastActions = kommunikation.actions.map((a) => `${a.case} ${a.action}`);
  }
  return {
    numberAdded: summarize(raw.numberAdded),
    numberAddedCalls: calls.numberAdded,
    noChange: summarize(raw.noChange),
    noChangeCalls: calls.noChange,
    lastActions,
  };
}
