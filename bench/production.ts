import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { hubTemporalEnv, productionSkipReason, startProductionTemporal } from '../scripts/lib/production-temporal';
import type { BenchContext } from './context';
import { measureDrain, type DrainFigures } from './drain';
import { startGateway, startWorker, type HubEnv, type HubProcess } from './hub-processes';
import { batchOf, closedLoop, NO_WORKER_QUEUE } from './ingest';
import { benchDataConverter } from './payload-keys';
import { round, summarize, type Summary } from './stats';
import { postWebhook } from './webhooks';

export interface ProductionFigures {
  workers: number;
  drain: DrainFigures;
}

export interface ProductionIngestFigures {
  itemsPerSecond: number;
  latency: Summary;
  failed: number;
}

/**
 * The hub on what `temporal-docker/` deploys: the real `temporal-server` 1.29.1 on PostgreSQL (scripts/lib/
 * production-temporal.ts, the production suite's server), with one and then two worker processes: the drain of
 * `parties` pending Beteiligte, and webhook ingest (batches of 20, `concurrency` at once, acknowledgement alone).
 */
export async function measureProduction(
  ctx: BenchContext,
  parties: number,
  ingest: { requests: number; concurrency: number; batchSize: number },
): Promise<{ setupSeconds: number; runs: ProductionFigures[]; ingest: ProductionIngestFigures }> {
  if (productionSkipReason) throw new Error(`production: ${productionSkipReason}`);
  const server = await startProductionTemporal('bench');
  const temporalEnv = hubTemporalEnv(server);
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace, dataConverter: benchDataConverter() });
  try {
    const runs: ProductionFigures[] = [];
    for (const workers of [1, 2]) {
      const env: HubEnv = { ...ctx.env, temporalAddress: server.address, taskQueue: `bench-production-${randomUUID()}` };
      const started: HubProcess[] = [];
      try {
        for (let i = 0; i < workers; i++) {
          started.push(await startWorker(`production-worker-${i}`, env, join(ctx.logDir, `production-${workers}w-worker-${i}.log`), temporalEnv));
        }
        const gateway = await startGateway('production-gateway', env, join(ctx.logDir, `production-${workers}w-gateway.log`), temporalEnv);
        started.push(gateway);
        const worker = started[0] as HubProcess;
        runs.push({ workers, drain: await measureDrain({ ...ctx, env, worker, gateway, client }, parties) });
      } finally {
        await Promise.all(started.map((p) => p.stop()));
      }
    }

    // Acknowledgement alone, as the dev-server ingest part measures it: no worker polls this queue.
    const gateway = await startGateway(
      'production-ingest-gateway',
      { ...ctx.env, temporalAddress: server.address, taskQueue: NO_WORKER_QUEUE },
      join(ctx.logDir, 'production-ingest-gateway.log'),
      temporalEnv,
    );
    try {
      const batch = async () => (await postWebhook(gateway.url, 'update', batchOf(ingest.batchSize))) === 200;
      await closedLoop(ingest.concurrency, ingest.concurrency, batch);
      const measured = await closedLoop(ingest.requests, ingest.concurrency, batch);
      const acknowledged = (ingest.requests - measured.failed) * ingest.batchSize;
      return {
        setupSeconds: server.setupSeconds,
        runs,
        ingest: { itemsPerSecond: round(acknowledged / measured.seconds, 0), latency: summarize(measured.latencies), failed: measured.failed },
      };
    } finally {
      await gateway.stop();
    }
  } finally {
    await connection.close();
    await server.destroy();
  }
}
