import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { createAdvowareClient } from '../clients/advoware/client';
import { activityConfigSchema, parseEnv } from '../config/env';
import { beteiligteSyncWorkflowId, type BeteiligteSyncResult } from '../contracts/beteiligte';
import { decideStammdaten } from '../domain/beteiligte/decision';
import { espoToAdvoware, mergeForPut } from '../domain/beteiligte/mapping';
import { syncedPatch } from '../domain/beteiligte/status';
import { composeActivities } from '../workers/activities';
import type { BenchContext } from './context';
import { nowMs, round, summarize, type Summary } from './stats';
import { postWebhookOk } from './webhooks';

export interface Latency {
  advowareMs: number;
  espocrmMs: number;
}

/** One run of a Beteiligte's workflow as its history tells it. */
export interface RunFacts {
  result: BeteiligteSyncResult;
  workflowTasks: number;
  /** Each event's type (without `EVENT_TYPE_`) and server time (epoch ms). */
  events: { type: string; at: number }[];
  /** Server time (epoch ms) of the first and the closing event. */
  startedAt: number;
  closedAt: number;
}

type Timestamp = { seconds?: { toNumber(): number } | number | null; nanos?: number | null } | null | undefined;
const tsMs = (ts: Timestamp): number => {
  if (!ts) return Number.NaN;
  const seconds = typeof ts.seconds === 'number' ? ts.seconds : (ts.seconds?.toNumber() ?? 0);
  return seconds * 1000 + (ts.nanos ?? 0) / 1e6;
};

/** The latest run of the Beteiligte's workflow, once it has finished. */
export async function latestRun(client: Client, espoId: string): Promise<RunFacts> {
  const handle = client.workflow.getHandle<(input: { espoId: string }) => Promise<BeteiligteSyncResult>>(beteiligteSyncWorkflowId(espoId));
  const result = await handle.result();
  const events = (await handle.fetchHistory()).events ?? [];
  return {
    result,
    workflowTasks: events.filter((e) => e.workflowTaskCompletedEventAttributes).length,
    events: events.map((e) => ({
      type: (temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? '?').replace('EVENT_TYPE_', ''),
      at: tsMs(e.eventTime),
    })),
    startedAt: tsMs(events[0]?.eventTime),
    closedAt: tsMs(events[events.length - 1]?.eventTime),
  };
}

/** The same API calls a sync makes, straight from the hub's clients in the bench process: no Temporal, no gateway. */
function bareSync(ctx: BenchContext) {
  const tokenKey = `bench:bare-token:${randomUUID()}`;
  const config = parseEnv(activityConfigSchema, ctx.env.simulators);
  // The worker's own wiring; only the Advoware token is the bench's own, so the worker's cache is not touched.
  const acts = composeActivities(
    config,
    { redis: ctx.redis, client: ctx.client, taskQueue: ctx.env.taskQueue },
    { advoware: createAdvowareClient(config, ctx.redis, tokenKey) },
  );
  const load = async (espoId: string) => {
    const loaded = await acts.espoGetBeteiligte(espoId);
    const betNr = loaded?.entity.betnr;
    if (!loaded || typeof betNr !== 'number') throw new Error(`bare sync: ${espoId} is not linked to Advoware`);
    const advo = await acts.advowareGetBeteiligte(betNr);
    if (!advo) throw new Error(`bare sync: Advoware has no ${betNr}`);
    return {
      ...loaded,
      betNr,
      advo,
      decision: decideStammdaten({ entity: loaded.entity, currentHash: loaded.currentHash, advowareRowId: advo.rowId }),
    };
  };
  return {
    /** EspoCRM edit → Advoware: GET, GET, PUT, PUT, as `syncStammdaten` does for `espocrm_newer`. */
    async edit(espoId: string): Promise<void> {
      const { entity, currentHash, betNr, advo, decision } = await load(espoId);
      if (decision.kind !== 'espocrm_newer') throw new Error(`bare sync: expected espocrm_newer, decided ${decision.kind}`);
      const { rowId } = await acts.advowareUpdateBeteiligte(betNr, mergeForPut(advo, espoToAdvoware(entity)));
      await acts.espoUpdateBeteiligte(espoId, syncedPatch({ now: new Date(), rowId, stammdatenHash: currentHash }));
    },
    /** Nothing changed: GET, GET, decide. */
    async noChange(espoId: string): Promise<void> {
      const { decision } = await load(espoId);
      if (decision.kind !== 'no_change') throw new Error(`bare sync: expected no_change, decided ${decision.kind}`);
    },
  };
}

export interface LatencyFigures {
  latency: Latency;
  /** Webhook POST received … both sides consistent, through the gateway, Temporal and the worker. */
  edit: Summary;
  /** Webhook POST … the webhook's 200. */
  editAck: Summary;
  /** Webhook POST … the no-change run closed (the server's close time). */
  noChange: Summary;
  /** First event … close of the no-change run. */
  noChangeRun: Summary;
  bareEdit: Summary;
  bareNoChange: Summary;
  editWorkflowTasks: number[];
  noChangeWorkflowTasks: number[];
  ratioEditP50: number;
  ratioNoChangeP50: number;
  /** Where the time of the last edit sample went: ms after the webhook was sent, by the server's clock. */
  lastEditTimeline: { event: string; ms: number }[];
  samples: { edit: number[]; noChange: number[]; bareEdit: number[]; bareNoChange: number[] };
}

/**
 * EspoCRM edit → both sides consistent, and a run that finds nothing to do, each through the real gateway,
 * Temporal and the worker process and as bare client calls, interleaved so drift of the machine hits both alike.
 */
export async function measureLatency(ctx: BenchContext, espoId: string, samples: number, latency: Latency): Promise<LatencyFigures> {
  const bare = bareSync(ctx);
  const url = ctx.gateway.url;
  await ctx.sim.call('setLatency', latency);
  const raw = {
    edit: [] as number[],
    editAck: [] as number[],
    noChange: [] as number[],
    noChangeRun: [] as number[],
    bareEdit: [] as number[],
    bareNoChange: [] as number[],
  };
  const editTasks: number[] = [];
  const noChangeTasks: number[] = [];
  const tag = randomUUID().slice(0, 6);
  let lastEditTimeline: { event: string; ms: number }[] = [];
  const warmUp = 2;
  try {
    for (let i = -warmUp; i < samples; i++) {
      const keep = i >= 0;
      // Through the hub: the user edits, EspoCRM's webhook reaches the gateway.
      const lastName = `Temporal ${tag} ${i}`;
      await ctx.sim.call('editEspo', espoId, { lastName });
      const consistentAt = ctx.sim.call('waitConsistent', espoId, lastName, 60_000);
      const sent = nowMs();
      await postWebhookOk(url, 'update', [{ id: espoId, lastName }]);
      const acked = nowMs();
      const done = await consistentAt;
      const editRun = await latestRun(ctx.client, espoId);
      if (editRun.result.runs[0]?.decision !== 'espocrm_newer') throw new Error(`edit run decided ${JSON.stringify(editRun.result.runs)}`);

      // Nothing changed: EspoCRM reports an update whose attributes do not touch the synced content.
      const noChangeSent = Date.now();
      await postWebhookOk(url, 'update', [{ id: espoId }]);
      const noChangeRun = await latestRun(ctx.client, espoId);
      if (noChangeRun.result.runs[0]?.decision !== 'no_change') throw new Error(`no-change run decided ${JSON.stringify(noChangeRun.result.runs)}`);

      const bareName = `Bare ${tag} ${i}`;
      await ctx.sim.call('editEspo', espoId, { lastName: bareName });
      const bareEditStart = nowMs();
      await bare.edit(espoId);
      const bareEditMs = nowMs() - bareEditStart;
      await ctx.sim.call('waitConsistent', espoId, bareName, 1_000);
      const bareNoChangeStart = nowMs();
      await bare.noChange(espoId);
      const bareNoChangeMs = nowMs() - bareNoChangeStart;

      if (!keep) continue;
      // performance-based times are wall-clock within a millisecond; the server's are epoch ms.
      lastEditTimeline = [
        { event: 'webhook acknowledged', ms: round(acked - sent) },
        ...editRun.events.map((e) => ({ event: e.type, ms: round(e.at - sent) })),
        { event: 'both sides consistent', ms: round(done - sent) },
      ].sort((a, b) => a.ms - b.ms);
      raw.edit.push(done - sent);
      raw.editAck.push(acked - sent);
      raw.noChange.push(noChangeRun.closedAt - noChangeSent);
      raw.noChangeRun.push(noChangeRun.closedAt - noChangeRun.startedAt);
      raw.bareEdit.push(bareEditMs);
      raw.bareNoChange.push(bareNoChangeMs);
      editTasks.push(editRun.workflowTasks);
      noChangeTasks.push(noChangeRun.workflowTasks);
    }
  } finally {
    await ctx.sim.call('setLatency', { advowareMs: 0, espocrmMs: 0 });
  }
  const edit = summarize(raw.edit);
  const noChange = summarize(raw.noChange);
  const bareEdit = summarize(raw.bareEdit);
  const bareNoChange = summarize(raw.bareNoChange);
  return {
    latency,
    edit,
    editAck: summarize(raw.editAck),
    noChange,
    noChangeRun: summarize(raw.noChangeRun),
    bareEdit,
    bareNoChange,
    editWorkflowTasks: editTasks,
    noChangeWorkflowTasks: noChangeTasks,
    ratioEditP50: round(edit.p50 / bareEdit.p50),
    ratioNoChangeP50: round(noChange.p50 / bareNoChange.p50),
    lastEditTimeline,
    samples: {
      edit: raw.edit.map((v) => round(v)),
      noChange: raw.noChange.map((v) => round(v)),
      bareEdit: raw.bareEdit.map((v) => round(v)),
      bareNoChange: raw.bareNoChange.map((v) => round(v)),
    },
  };
}

export interface CallBudgets {
  create: number;
  espoToAdvoware: number;
  advowareToEspo: number;
  noChange: number;
  /** What the runs themselves counted, for comparison. */
  reported: number[];
}

/**
 * API calls per kind of run, as the simulators saw them (the Advoware token excluded): create, EspoCRM edit,
 * Advoware edit, nothing changed. Leaves `espoId` linked and clean.
 */
export async function measureCallBudgets(ctx: BenchContext, espoId: string): Promise<CallBudgets> {
  const url = ctx.gateway.url;
  const counted = async (send: () => Promise<void>): Promise<[number, number]> => {
    await ctx.sim.call('resetCalls');
    await send();
    const run = await latestRun(ctx.client, espoId);
    const seen = await ctx.sim.call('apiCalls');
    return [seen.advoware + seen.espocrm, run.result.runs.reduce((sum, r) => sum + r.apiCalls, 0)];
  };
  const create = await counted(() => postWebhookOk(url, 'create', [{ id: espoId, firstName: 'Bench', lastName: 'Budget' }]));
  await ctx.sim.call('editEspo', espoId, { lastName: 'Budget edited' });
  const espoToAdvoware = await counted(() => postWebhookOk(url, 'update', [{ id: espoId, lastName: 'Budget edited' }]));
  const record = await ctx.sim.call('espoRecord', espoId);
  await ctx.sim.call('editAdvoware', Number(record?.betnr), { name: 'Advoware edit' });
  // Advoware sends no webhooks; an EspoCRM update without synced content (or the sweep) starts the run.
  const advowareToEspo = await counted(() => postWebhookOk(url, 'update', [{ id: espoId }]));
  const noChange = await counted(() => postWebhookOk(url, 'update', [{ id: espoId }]));
  return {
    create: create[0],
    espoToAdvoware: espoToAdvoware[0],
    advowareToEspo: advowareToEspo[0],
    noChange: noChange[0],
    reported: [create[1], espoToAdvoware[1], advowareToEspo[1], noChange[1]],
  };
}
