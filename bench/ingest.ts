import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTemporalDev } from '../scripts/lib/local-services';
import { Supervisor } from '../scripts/lib/supervisor';
import { freePort } from '../scripts/lib/wait';
import { startGateway, type HubEnv } from './hub-processes';
import { procStatusMb } from './memory';
import { round, summarize, type Summary } from './stats';
import { postWebhook, randomEspoId } from './webhooks';

/** A dev server's storage: the tests' and this bench's in-memory SQLite, or a file as `npm start` keeps it. */
export interface StorageVariant {
  name: string;
  file: boolean;
  pragmas: string[];
}

export const STORAGE_VARIANTS: readonly StorageVariant[] = [
  { name: 'in-memory', file: false, pragmas: [] },
  { name: 'file', file: true, pragmas: [] },
  { name: 'file+wal', file: true, pragmas: ['journal_mode=wal', 'synchronous=normal'] },
];

export interface IngestOptions {
  /** Batch requests in the batch phase, sent by `concurrency` senders in a closed loop. */
  batchRequests: number;
  batchSize: number;
  concurrency: number;
  /** Single-item webhooks sent at once, per wave. */
  singleParallel: number;
  singleWaves: number;
}

export interface IngestFigures {
  variant: string;
  pragmas: string[];
  batch: { requests: number; items: number; seconds: number; itemsPerSecond: number; failed: number; latency: Summary };
  single: { requests: number; failed: number; latency: Summary };
  gatewayHwmMb: number;
}

export const NO_WORKER_QUEUE = 'bench-ingest-no-worker';

/** `requests` sends, at most `concurrency` at a time; each returns its latency in ms and whether it got 200. */
export async function closedLoop(
  requests: number,
  concurrency: number,
  send: () => Promise<boolean>,
): Promise<{ latencies: number[]; failed: number; seconds: number }> {
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  const start = performance.now();
  const sender = async () => {
    while (next < requests) {
      next++;
      const t0 = performance.now();
      const ok = await send().catch(() => false);
      latencies.push(performance.now() - t0);
      if (!ok) failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  return { latencies, failed, seconds: (performance.now() - start) / 1000 };
}

export const batchOf = (size: number) => Array.from({ length: size }, () => ({ id: randomEspoId(), lastName: 'Ingest' }));

/**
 * Webhook ingest against a fresh dev server of its own and the real gateway process: what the sender waits for.
 * No worker polls the queue, so the figure is the acknowledgement alone (the hand-over and the syncs it starts
 * would otherwise share the two cores with it).
 */
async function ingestOnce(variant: StorageVariant, base: HubEnv, logDir: string, options: IngestOptions): Promise<IngestFigures> {
  const dir = mkdtempSync(join(tmpdir(), `hub-bench-ingest-${variant.name}-`));
  const supervisor = new Supervisor({
    log: () => undefined,
    onUnexpectedExit: (name, code) => console.error(`bench: ${name} (${variant.name}) exited unexpectedly (${code})`),
  });
  try {
    const temporal = await startTemporalDev(supervisor, {
      cli: process.env.TEMPORAL_CLI ?? 'temporal',
      port: await freePort(),
      ...(variant.file ? { dbFile: join(dir, 'temporal.db') } : {}),
      sqlitePragmas: variant.pragmas,
      logFile: join(logDir, `temporal-${variant.name}.log`),
    });
    const gateway = await startGateway(
      `gateway-${variant.name}`,
      { ...base, temporalAddress: temporal.address, taskQueue: NO_WORKER_QUEUE },
      join(logDir, `gateway-ingest-${variant.name}.log`),
    );
    supervisor.add(gateway.name, () => gateway.stop());

    const batch = async () => (await postWebhook(gateway.url, 'update', batchOf(options.batchSize))) === 200;
    const single = async () => (await postWebhook(gateway.url, 'update', batchOf(1))) === 200;
    // Warm-up: JIT, keep-alive connections, the server's first workflow of a type.
    await closedLoop(options.concurrency, options.concurrency, batch);
    await closedLoop(options.singleParallel, options.singleParallel, single);

    const batched = await closedLoop(options.batchRequests, options.concurrency, batch);
    const singles = { latencies: [] as number[], failed: 0 };
    for (let wave = 0; wave < options.singleWaves; wave++) {
      const result = await closedLoop(options.singleParallel, options.singleParallel, single);
      singles.latencies.push(...result.latencies);
      singles.failed += result.failed;
    }
    const acknowledged = (options.batchRequests - batched.failed) * options.batchSize;
    return {
      variant: variant.name,
      pragmas: variant.pragmas,
      batch: {
        requests: options.batchRequests,
        items: acknowledged,
        seconds: round(batched.seconds, 2),
        itemsPerSecond: round(acknowledged / batched.seconds, 0),
        failed: batched.failed,
        latency: summarize(batched.latencies),
      },
      single: { requests: singles.latencies.length, failed: singles.failed, latency: summarize(singles.latencies) },
      gatewayHwmMb: round(procStatusMb(gateway.pid, 'VmHWM'), 0),
    };
  } finally {
    await supervisor.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureIngest(base: HubEnv, logDir: string, options: IngestOptions, variants = STORAGE_VARIANTS): Promise<IngestFigures[]> {
  const figures: IngestFigures[] = [];
  // One after the other: each has the machine to itself.
  for (const variant of variants) figures.push(await ingestOnce(variant, base, logDir, options));
  return figures;
}
