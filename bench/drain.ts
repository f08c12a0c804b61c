import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { beteiligteSweepRef } from '../contracts/beteiligte';
import type { BenchContext } from './context';
import { procStatusMb, RssSampler } from './memory';
import { round } from './stats';

export interface DrainFigures {
  beteiligte: number;
  seconds: number;
  /** Sampled every 100 ms from the sweep's start until the last Beteiligte is clean. */
  peakRssMb: { worker: number; gateway: number; simulators: number };
  /** The kernel's high-water mark over each process's whole life, start-up included. */
  hwmMb: { worker: number; gateway: number };
  /** Right after start-up, before any load. */
  readyRssMb: { worker: number; gateway: number };
}

/** `count` pending Beteiligte (never synced, no webhooks) drained by one run of the sweep. */
export async function measureDrain(ctx: BenchContext, count: number): Promise<DrainFigures> {
  const ids = await ctx.sim.call('createBeteiligte', count, `Drain ${randomUUID().slice(0, 6)}`);
  const sampler = new RssSampler({ worker: ctx.worker.pid, gateway: ctx.gateway.pid, simulators: ctx.sim.pid });
  const start = performance.now();
  await ctx.client.workflow.execute(beteiligteSweepRef.workflowType, { taskQueue: ctx.env.taskQueue, workflowId: `bench-sweep-${randomUUID()}` });
  const deadline = Date.now() + 600_000;
  let left = count;
  while ((left = await ctx.sim.call('notClean', ids)) > 0) {
    if (Date.now() > deadline) throw new Error(`drain: ${left} of ${count} Beteiligte still not clean after 10 minutes`);
    await sleep(100);
  }
  const seconds = (performance.now() - start) / 1000;
  const peaks = sampler.stop();
  return {
    beteiligte: count,
    seconds: round(seconds, 2),
    peakRssMb: { worker: round(peaks.worker ?? NaN, 0), gateway: round(peaks.gateway ?? NaN, 0), simulators: round(peaks.simulators ?? NaN, 0) },
    hwmMb: { worker: round(procStatusMb(ctx.worker.pid, 'VmHWM'), 0), gateway: round(procStatusMb(ctx.gateway.pid, 'VmHWM'), 0) },
    readyRssMb: { worker: round(ctx.worker.readyRssMb, 0), gateway: round(ctx.gateway.readyRssMb, 0) },
  };
}
