import { randomUUID } from 'node:crypto';
import { measureCallBudgets, measureLatency, type LatencyFigures } from './beteiligte';
import { GOOGLE_QUOTA_PER_MINUTE, measureCalendar } from './calendar';
import type { BenchContext, PartResult } from './context';
import { measureDrain } from './drain';
import { measureIngest } from './ingest';
import { measureAdressen } from './adressen';
import { measureBankverbindungen } from './bankverbindungen';
import { measureKommunikation } from './kommunikation';
import { measureLeads } from './leads';
import type { BenchOptions, PartName } from './options';
import { measureProduction } from './production';
import { measureProxy } from './proxy';
import { measureSdkFloor } from './sdk-floor';
import { measureHttpFloor, measureRebuild, measureScreenPop, measureYContext } from './threecx';
import { atLeast, atMost, exactly, row, type BenchRow } from './report';

export interface Part {
  title: string;
  run: (ctx: BenchContext, options: BenchOptions) => Promise<PartResult>;
}

const ms = (v: number): string => `${v.toLocaleString('en', { maximumFractionDigits: 1 })} ms`;

function latencyRows(f: LatencyFigures, label: string, targets: { editP50?: number; noChangeP50?: number; ratio?: number }): BenchRow[] {
  const bare = `bare ${ms(f.bareEdit.p50)}`;
  return [
    row(
      `${label}: EspoCRM edit → both sides consistent, p50`,
      f.edit.p50,
      'ms',
      targets.editP50 !== undefined ? atMost(targets.editP50) : undefined,
      targets.editP50 !== undefined ? `was 441 ms; ${bare}` : bare,
    ),
    row(`${label}: EspoCRM edit → both sides consistent, p95`, f.edit.p95, 'ms', undefined, `webhook acknowledged after ${ms(f.editAck.p50)} (p50)`),
    row(
      `${label}: edit, ratio Temporal / bare (p50)`,
      f.ratioEditP50,
      'x',
      targets.ratio !== undefined ? atMost(targets.ratio, '×') : undefined,
      `bare = the same 4 API calls from the hub's clients`,
    ),
    row(
      `${label}: no-change run (webhook → run closed), p50`,
      f.noChange.p50,
      'ms',
      targets.noChangeP50 !== undefined ? atMost(targets.noChangeP50) : undefined,
      `run alone ${ms(f.noChangeRun.p50)}; bare ${ms(f.bareNoChange.p50)}`,
    ),
    row(`${label}: no-change, ratio Temporal / bare (p50)`, f.ratioNoChangeP50, 'x'),
  ];
}

export const PARTS: Record<PartName, Part> = {
  proxy: {
    title: 'Advoware proxy (gateway process vs. direct client call)',
    async run(ctx, o) {
      const f = await measureProxy(ctx, o.proxyIterations);
      return { json: { ...f }, rows: [row('proxy overhead p50', f.overheadP50Ms, 'ms', atMost(10), `${ms(f.proxyP50Ms)} vs ${ms(f.directP50Ms)}`)] };
    },
  },
  beteiligte: {
    title: 'Beteiligte sync: signed webhook → gateway process → Temporal → worker process → both sides consistent',
    async run(ctx, o) {
      const [espoId] = await ctx.sim.call('createBeteiligte', 1, `Latency ${randomUUID().slice(0, 6)}`);
      if (!espoId) throw new Error('no Beteiligte created');
      const budgets = await measureCallBudgets(ctx, espoId);
      const plain = await measureLatency(ctx, espoId, o.samples, { advowareMs: 0, espocrmMs: 0 });
      const latency = { advowareMs: o.advowareLatencyMs, espocrmMs: o.espocrmLatencyMs };
      const realistic = await measureLatency(ctx, espoId, o.latencySamples, latency);
      const realisticLabel = `latency ${latency.advowareMs}/${latency.espocrmMs} ms`;
      const reported = `runs counted ${budgets.reported.join(' / ')}`;
      return {
        json: { budgets, devServer: plain, realisticLatency: realistic },
        rows: [
          ...latencyRows(plain, 'dev server', { editP50: 100, noChangeP50: 40 }),
          row(
            'dev server: no-change run, workflow tasks (most in any sample)',
            Math.max(...plain.noChangeWorkflowTasks),
            'tasks',
            exactly(1),
            `edit run: ${Math.max(...plain.editWorkflowTasks)}`,
          ),
          ...latencyRows(realistic, realisticLabel, { ratio: 1.3 }),
          row('API calls: create', budgets.create, 'calls', atMost(3), 'original 5'),
          row('API calls: EspoCRM → Advoware', budgets.espoToAdvoware, 'calls', atMost(4), 'original 5'),
          row('API calls: Advoware → EspoCRM', budgets.advowareToEspo, 'calls', atMost(3), 'original 4'),
          row('API calls: no change', budgets.noChange, 'calls', atMost(2), `original 4; ${reported}`),
        ],
      };
    },
  },
  kommunikation: {
    title: 'Kommunikation sync: a phone number added in EspoCRM, and nothing changed (gateway → Temporal → worker process)',
    async run(ctx, o) {
      const f = await measureKommunikation(ctx, o.samples);
      return {
        json: { ...f },
        rows: [
          row('number added in EspoCRM → in Advoware and clean, p50', f.numberAdded.p50, 'ms', undefined, `p95 ${ms(f.numberAdded.p95)}`),
          row('API calls: number added', Math.max(...f.numberAddedCalls), 'calls', atMost(4), `most in any sample; did ${f.lastActions.join(', ')}`),
          row('no change (e-mail and phone numbers), webhook → run closed, p50', f.noChange.p50, 'ms', undefined, `p95 ${ms(f.noChange.p95)}`),
          row('API calls: no change', Math.max(...f.noChangeCalls), 'calls', atMost(2), 'most in any sample'),
        ],
      };
    },
  },
  adressen: {
    title: 'Adressen sync: the billing street changed in EspoCRM (gateway → Temporal → worker process)',
    async run(ctx, o) {
      const f = await measureAdressen(ctx, o.samples);
      return {
        json: { ...f },
        rows: [
          row('street changed in EspoCRM → in Advoware and clean, p50', f.streetChanged.p50, 'ms', undefined, `p95 ${ms(f.streetChanged.p95)}`),
          row(
            'API calls: address updated',
            Math.max(...f.streetChangedCalls),
            'calls',
            atMost(6),
            `most in any sample; did ${f.lastActions.join(', ')}; a fresh read before the PUT`,
          ),
        ],
      };
    },
  },
  bankverbindungen: {
    title: 'Bankverbindungen sync: a new bank account, and the same account unchanged (gateway → Temporal → worker process)',
    async run(ctx, o) {
      const f = await measureBankverbindungen(ctx, o.samples);
      return {
        json: { ...f },
        rows: [
          row('bank account created, webhook → run closed, p50', f.created.p50, 'ms', undefined, `p95 ${ms(f.created.p95)}`),
          row('API calls: bank account created', Math.max(...f.createdCalls), 'calls', atMost(5), 'GETs account, party, Advoware; POST; EspoCRM PUT'),
          row('bank account unchanged, webhook → run closed, p50', f.unchanged.p50, 'ms', undefined, `p95 ${ms(f.unchanged.p95)}`),
          row('API calls: bank account unchanged', Math.max(...f.unchangedCalls), 'calls', atMost(2), 'GET EspoCRM, GET Advoware'),
        ],
      };
    },
  },
  drain: {
    title: 'Drain and memory (worker, gateway and simulators in separate processes)',
    async run(ctx, o) {
      const f = await measureDrain(ctx, o.drainBeteiligte);
      return {
        json: { ...f },
        rows: [
          row(`drain ${o.drainBeteiligte} pending Beteiligte via one sweep`, f.seconds, 's', atMost(15), 'was 44 s'),
          row(
            'worker peak RSS during the drain',
            f.peakRssMb.worker,
            'MB',
            atMost(200),
            `${f.readyRssMb.worker} MB after start-up; VmHWM ${f.hwmMb.worker} MB`,
          ),
          row(
            'gateway peak RSS during the drain',
            f.peakRssMb.gateway,
            'MB',
            atMost(100),
            `${f.readyRssMb.gateway} MB after start-up; VmHWM ${f.hwmMb.gateway} MB`,
          ),
          row('simulators peak RSS during the drain', f.peakRssMb.simulators, 'MB', undefined, 'own process, not the hub'),
        ],
      };
    },
  },
  floor: {
    title: "Temporal alone: the party run's shapes on a worker with no hub code (bench/sdk-floor/), same dev server",
    async run(ctx, o) {
      const latency = { espocrmMs: o.espocrmLatencyMs, advowareMs: o.advowareLatencyMs };
      const f = await measureSdkFloor(ctx, { workflows: o.drainBeteiligte, samples: o.samples, latency });
      const n = f.create.workflows.toLocaleString('en');
      return {
        json: { ...f },
        rows: [
          row(
            `${n} per-party workflows at their least (signal-with-start, one activity)`,
            f.create.seconds,
            's',
            undefined,
            'pages of 200 as the sweep; to the last close',
          ),
          row('no-change shape (3 local activities), signal-with-start → closed, p50', f.noChange.p50, 'ms', undefined, `p95 ${ms(f.noChange.p95)}`),
          row(
            `edit shape with latency ${latency.advowareMs}/${latency.espocrmMs} ms (4 local, 1 regular activity), p50`,
            f.edit.p50,
            'ms',
            undefined,
            `its waits bare ${ms(f.bareEdit.p50)}`,
          ),
          row('edit shape: ratio to its waits bare (p50)', f.ratioEditP50, 'x'),
          row(
            `worker peak RSS during the ${n} workflows`,
            f.workerRssMb.peak,
            'MB',
            undefined,
            `${f.workerRssMb.ready} MB after start-up; production's flags and allocator`,
          ),
        ],
      };
    },
  },
  ingest: {
    title: 'Webhook ingest: signed webhooks to the gateway process, a fresh dev server per storage variant, no worker',
    async run(ctx, o) {
      const figures = await measureIngest(
        ctx.env,
        ctx.logDir,
        {
          batchRequests: o.ingestBatchRequests,
          batchSize: o.ingestBatchSize,
          concurrency: o.ingestConcurrency,
          singleParallel: o.ingestSingleParallel,
          singleWaves: o.ingestSingleWaves,
        },
        o.ingestVariants,
      );
      const rows = figures.flatMap((f) => [
        row(
          `[${f.variant}] batches of ${o.ingestBatchSize}, ${o.ingestConcurrency} in parallel: items acknowledged`,
          f.batch.itemsPerSecond,
          'items/s',
          atLeast(1000),
          `${f.batch.items} items in ${f.batch.seconds} s; ${f.batch.failed} not 200`,
        ),
        row(`[${f.variant}] batches: p99`, f.batch.latency.p99, 'ms', atMost(150), `p50 ${ms(f.batch.latency.p50)}`),
        row(
          `[${f.variant}] single items, ${o.ingestSingleParallel} in parallel: p99`,
          f.single.latency.p99,
          'ms',
          atMost(300),
          `p50 ${ms(f.single.latency.p50)}; ${f.single.failed} of ${f.single.requests} not 200`,
        ),
        row(`[${f.variant}] gateway VmHWM under ingest`, f.gatewayHwmMb, 'MB', atMost(100)),
      ]);
      return { json: { variants: figures }, rows };
    },
  },
  calendar: {
    title: 'Calendar sync, two worker processes sharing the Google limit',
    async run(ctx, o) {
      const f = await measureCalendar(ctx, o.employees, o.appointments);
      const n = `${f.employees} × ${f.appointmentsPerEmployee}`;
      return {
        json: { ...f },
        rows: [
          row(
            `initial sync ${n} appointments`,
            f.initialSeconds,
            's',
            undefined,
            `${f.initialGoogleCalls} Google, ${f.initialAdvowareCalls} Advoware calls; rate-bound`,
          ),
          row(
            'Google call arrivals in the busiest 60 s',
            f.maxGoogleCallsPer60s,
            'calls',
            atMost(GOOGLE_QUOTA_PER_MINUTE),
            `busiest 1 s: ${f.maxGoogleCallsPer1s}; ${f.googleCallsPerMinute}/min past the burst`,
          ),
          row(`steady state (no changes), ${f.employees} employees`, f.steadySeconds, 's', undefined, 'original 2–3 min'),
          row(
            'steady state: API calls per employee',
            f.steadyCallsPerEmployee,
            'calls',
            atMost(2),
            `+ ${f.steadyEmployeeListCalls} employee list per run`,
          ),
        ],
      };
    },
  },
  threecx: {
    title: '3CX screen pop and caller index, AI context (gateway process, caller index in Redis, worker process)',
    async run(ctx, o) {
      const parties = await ctx.sim.call('createCallerParties', o.callerParties, `Caller ${randomUUID().slice(0, 6)}`);
      const rebuild = await measureRebuild(ctx, o.callerParties);
      const [profileOf] = parties.ids;
      if (!profileOf) throw new Error('no caller party created');
      // Before the screen pops: the call workflows they start write to EspoCRM, which the cold count would include.
      const y = await measureYContext(ctx, profileOf, o.yContextSamples);
      const pop = await measureScreenPop(ctx, parties.numbers, o.screenPopConcurrency, o.screenPopWaves);
      const floor = await measureHttpFloor(o.screenPopConcurrency, o.screenPopWaves);
      const popNote = `${pop.calls} calls; ${pop.correct} answered correctly, ${pop.notOk} not 2xx; ${o.callerParties.toLocaleString('en')} parties indexed`;
      return {
        json: { rebuild, screenPop: pop, httpFloor: floor, yContext: y },
        rows: [
          row(`screen pop, ${pop.concurrency} calls ringing at once: p99`, pop.latency.p99, 'ms', atMost(100), popNote),
          row('screen pop: p50', pop.latency.p50, 'ms', atMost(20), 'call.started → answer, durable hand-off included'),
          row(
            `HTTP floor: the same waves to a bare Node server, p50`,
            floor.p50,
            'ms',
            undefined,
            `p99 ${floor.p99} ms; no hub behind it: what the machine's HTTP path costs`,
          ),
          row(
            `caller index rebuild, ${rebuild.parties.toLocaleString('en')} parties`,
            rebuild.seconds,
            's',
            undefined,
            `npm run phone-index:rebuild`,
          ),
          row('rebuild: EspoCRM calls per 100 parties', rebuild.callsPer100, 'calls', undefined, `${rebuild.espocrmCalls} calls in all`),
          row('GET /y/context warm: p95', y.warm.p95, 'ms', atMost(150), `p50 ${ms(y.warm.p50)}`),
          row('GET /y/context cold: API calls', y.coldCalls, 'calls', undefined, `${ms(y.coldMs)}`),
        ],
      };
    },
  },
  leads: {
    title: 'Vermieterhelden leads: signed intake at the gateway process, lead workflows on the worker process',
    async run(ctx, o) {
      const f = await measureLeads(ctx, o.leads);
      return {
        json: { ...f },
        rows: [
          row(`intake, ${f.leads} leads in parallel: p99`, f.intake.p99, 'ms', undefined, `p50 ${ms(f.intake.p50)}; ${f.notOk} not 200`),
          row(
            'calls per lead until its follow-up is recorded',
            f.callsPerLead,
            'calls',
            undefined,
            `EspoCRM + 3CX; every follow-up recorded ${f.followedUpSeconds} s after the first POST`,
          ),
        ],
      };
    },
  },
  production: {
    title: 'Production-like Temporal: temporal-server 1.29.1 on PostgreSQL, one and two worker processes',
    async run(ctx, o) {
      const f = await measureProduction(ctx, o.drainBeteiligte, {
        requests: o.ingestBatchRequests,
        concurrency: o.ingestConcurrency,
        batchSize: o.ingestBatchSize,
      });
      const rows = f.runs.flatMap(({ workers, drain }) => [
        row(
          `[PostgreSQL, ${workers} worker${workers > 1 ? 's' : ''}] drain ${drain.beteiligte} pending Beteiligte via one sweep`,
          drain.seconds,
          's',
          undefined,
          `worker peak RSS ${drain.peakRssMb.worker} MB (the first worker)`,
        ),
      ]);
      rows.push(
        row(
          `[PostgreSQL] ingest, batches of ${o.ingestBatchSize}, ${o.ingestConcurrency} in parallel: items acknowledged`,
          f.ingest.itemsPerSecond,
          'items/s',
          undefined,
          `p50 ${ms(f.ingest.latency.p50)}, p99 ${ms(f.ingest.latency.p99)}; ${f.ingest.failed} not 200`,
        ),
        row('[PostgreSQL] server set-up (databases, schemas, namespace, search attributes)', f.setupSeconds, 's'),
      );
      return { json: { ...f }, rows };
    },
  },
};
