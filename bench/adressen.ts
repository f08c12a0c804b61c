import { randomUUID } from 'node:crypto';
import { latestRun } from './beteiligte';
import type { BenchContext } from './context';
import { nowMs, summarize, type Summary } from './stats';
import { postWebhookOk } from './webhooks';

export interface AdressenFigures {
  /** A user changes the street of the billing address in EspoCRM: webhook → the street in Advoware and EspoCRM clean. */
  streetChanged: Summary;
  /** API calls of each street-changed run, as the simulators saw them (token excluded). */
  streetChangedCalls: number[];
  /** What the Adressen step did in the last street-changed run. */
  lastActions: string[];
}

/**
 * The Adressen step (SPEC §5.4) through the gateway, Temporal and the worker process: the billing address's street
 * changed in EspoCRM (Stammdaten unchanged), each run counted at the simulators. The update reads Advoware's
 * addresses twice (to plan, and right before the PUT, the reihenfolgeIndex being unstable).
 */
export async function measureAdressen(ctx: BenchContext, samples: number): Promise<AdressenFigures> {
  const url = ctx.gateway.url;
  const espoId = await ctx.sim.call('createBeteiligteWithAddress', `Adressen ${randomUUID().slice(0, 6)}`);
  await postWebhookOk(url, 'create', [{ id: espoId }]);
  const created = await latestRun(ctx.client, espoId);
  if (created.result.runs[0]?.adressen?.actions[0]?.action !== 'create') throw new Error(`create run did ${JSON.stringify(created.result.runs)}`);

  const raw: number[] = [];
  const calls: number[] = [];
  let lastActions: string[] = [];
  const warmUp = 2;
  for (let i = -warmUp; i < samples; i++) {
    const street = `Benchstraße ${i + warmUp + 1}`;
    const item = await ctx.sim.call('editEspoAddressStreet', espoId, street);
    const synced = ctx.sim.call('waitAddressSynced', espoId, street, 60_000);
    await ctx.sim.call('resetCalls');
    const sent = nowMs();
    await postWebhookOk(url, 'update', [item as { id: string }]);
    const done = await synced;
    const run = await latestRun(ctx.client, espoId);
    const seen = await ctx.sim.call('apiCalls');
    const adressen = run.result.runs[0]?.adressen;
    if (!adressen?.actions.some((a) => a.action === 'update')) throw new Error(`street-changed run did ${JSON.stringify(run.result.runs)}`);
    if (i < 0) continue;
    raw.push(done - sent);
    calls.push(seen.advoware + seen.espocrm);
    lastActions = adressen.actions.map((a) => `${a.action} ${a.fields.join('+')}`);
  }
  return { streetChanged: summarize(raw), streetChangedCalls: calls, lastActions };
}
