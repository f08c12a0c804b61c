import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client, type WorkflowHandle } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import ts from 'typescript';
import { workerEnv } from '../config/env';
import type { BenchContext } from './context';
import { startFloorWorker } from './hub-processes';
import { RssSampler } from './memory';
import { floorActivities } from './sdk-floor/activities';
import { floorCreate, floorEdit, floorNoChange, floorRequested } from './sdk-floor/workflows';
import { round, summarize, type Summary } from './stats';

export interface SdkFloorFigures {
  /** `options.workflows` floorCreate workflows, signalled-with-start as the sweep does, until the last one closed. */
  create: { workflows: number; seconds: number };
  noChange: Summary;
  edit: Summary;
  /** The edit's five waits awaited one after another in the bench's process. */
  bareEdit: Summary;
  ratioEditP50: number;
  workerRssMb: { ready: number; peak: number };
}

const SOURCES = join(__dirname, 'sdk-floor');
/** As the sweep hands parties to Temporal: a page at once, the next page once the page's requests are in. */
const PAGE = 200;

/**
 * The party run's shapes on a worker with no hub code, against the bench's Temporal dev server: what the SDK and the
 * server alone cost on this machine, to read the hub's figures against (bench/sdk-floor/workflows.ts).
 */
export async function measureSdkFloor(
  ctx: BenchContext,
  options: { workflows: number; samples: number; latency: { espocrmMs: number; advowareMs: number } },
): Promise<SdkFloorFigures> {
  const dir = resolve('var', 'bench-floor');
  const script = compileFloorWorker(dir);
  const { code } = await bundleWorkflowCode({ workflowsPath: join(SOURCES, 'workflows.ts'), logger: new DefaultLogger('WARN') });
  writeFileSync(join(dir, 'workflow-bundle.js'), code);
  const taskQueue = `bench-floor-${randomUUID()}`;
  const worker = await startFloorWorker(
    script,
    {
      FLOOR_TEMPORAL_ADDRESS: ctx.env.temporalAddress,
      FLOOR_TASK_QUEUE: taskQueue,
      FLOOR_BUNDLE: join(dir, 'workflow-bundle.js'),
      // The hub's worker runs with its default (the bench sets none).
      FLOOR_MAX_CACHED_WORKFLOWS: String(workerEnv.shape.WORKER_MAX_CACHED_WORKFLOWS.parse(undefined)),
    },
    join(ctx.logDir, 'floor-worker.log'),
  );
  // The SDK's own data converter: no payload encryption, that is hub code.
  const client = new Client({ connection: ctx.client.connection });
  /** Signal-with-start, as the gateway and the sweep ask for a party's run; resolves once it has started. */
  const start = async (workflow: Workflow, args: unknown[]): Promise<WorkflowHandle> =>
    client.workflow.signalWithStart<Workflow, []>(workflow.name, {
      workflowId: `floor-${randomUUID()}`,
      taskQueue,
      args,
      signal: floorRequested,
      signalArgs: [],
    });
  const run = async (workflow: Workflow, args: unknown[]): Promise<number> => {
    const began = performance.now();
    await (await start(workflow, args)).result();
    return performance.now() - began;
  };
  try {
    const sampler = new RssSampler({ worker: worker.pid });
    const createStart = performance.now();
    const closed: Promise<unknown>[] = [];
    for (let started = 0; started < options.workflows; started += PAGE) {
      const page = Math.min(PAGE, options.workflows - started);
      const handles = await Promise.all(Array.from({ length: page }, () => start(floorCreate, [])));
      closed.push(...handles.map((handle) => handle.result()));
    }
    await Promise.all(closed);
    const createSeconds = (performance.now() - createStart) / 1000;
    // stop() samples once more, so the peak includes the end of the load.
    const peak = sampler.stop().worker ?? Number.NaN;

    const noChange: number[] = [];
    const edit: number[] = [];
    const bareEdit: number[] = [];
    const waits = [0, options.latency.espocrmMs, options.latency.advowareMs, options.latency.advowareMs, options.latency.espocrmMs];
    for (let i = 0; i < options.samples; i++) {
      noChange.push(await run(floorNoChange, []));
      edit.push(await run(floorEdit, [options.latency]));
      const bareStart = performance.now();
      for (const ms of waits) await floorActivities.apiCall(ms);
      bareEdit.push(performance.now() - bareStart);
    }
    const editSummary = summarize(edit);
    const bareSummary = summarize(bareEdit);
    return {
      create: { workflows: options.workflows, seconds: round(createSeconds, 2) },
      noChange: summarize(noChange),
      edit: editSummary,
      bareEdit: bareSummary,
      ratioEditP50: round(editSummary.p50 / bareSummary.p50, 2),
      workerRssMb: { ready: round(worker.readyRssMb, 0), peak: round(peak, 0) },
    };
  } finally {
    await worker.stop();
  }
}

/** The floor's worker as plain JavaScript (types stripped), so its memory is the SDK's and not a TypeScript loader's. */
function compileFloorWorker(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const name of ['worker', 'activities']) {
    const source = readFileSync(join(SOURCES, `${name}.ts`), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    writeFileSync(join(dir, `${name}.js`), outputText);
  }
  return join(dir, 'worker.js');
}
