import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Redis } from 'ioredis';
import { compileHub } from './compiled';
import type { BenchContext } from './context';
import { benchDataConverter } from './payload-keys';
import { startGateway, startWorker, type HubEnv } from './hub-processes';
import { parseOptions, USAGE } from './options';
import { PARTS } from './parts';
import { printMisses, printTable, row, type BenchRow } from './report';
import { SimProcess } from './sim-client';

/**
 * `npm run bench`: every figure of the performance issue in one run, side by side. The production worker and
 * gateway run as child processes against simulators in a third, on the Temporal dev server and Redis that
 * scripts/bench.sh started. Prints a table per part, the misses, and the JSON (also var/bench.json). Exits 0 when
 * targets are missed (it is a measurement); 1 only when a part could not be measured at all.
 */
async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const options = parseOptions(process.argv.slice(2));
  const logDir = resolve('var', 'bench-logs');
  mkdirSync(logDir, { recursive: true });
  const temporalAddress = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const results: Record<string, unknown> = {
    hub: options.compiled ? 'compiled' : 'source',
    date: new Date().toISOString(),
    node: process.version,
    cores: cpus().length,
    loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))),
    // The main dev server's SQLite (in memory) settings, as scripts/lib/private-services.ts passed them.
    temporalSqlitePragmas: process.env.HUB_TEMPORAL_SQLITE_PRAGMAS ?? '',
    options,
  };
  const allRows: (BenchRow & { part: string })[] = [];
  let crashed = false;

  let compiledDir: string | undefined;
  if (options.compiled) {
    const compiling = performance.now();
    // For repeated experiments on unchanged sources; a normal run always compiles afresh.
    const reuse = process.env.BENCH_REUSE_COMPILED === 'true' && existsSync(join('var', 'bench-dist', 'workflow-bundle.js'));
    compiledDir = reuse ? resolve('var', 'bench-dist') : await compileHub(join('var', 'bench-dist'));
    console.log(`bench: compiled the hub into ${compiledDir} (${Math.round((performance.now() - compiling) / 1000)} s)`);
  }
  const sim = await SimProcess.start();
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const connection = await Connection.connect({ address: temporalAddress });
  // Before the hub's processes start: they inherit the key.
  const dataConverter = benchDataConverter();
  const env: HubEnv = {
    simulators: sim.ready.hubEnv,
    temporalAddress,
    redisUrl,
    taskQueue: `bench-${randomUUID()}`,
    ...(compiledDir ? { compiledDir } : {}),
    ...(options.workerNodeOptions ? { workerNodeOptions: options.workerNodeOptions } : {}),
    ...(options.gatewayNodeOptions ? { gatewayNodeOptions: options.gatewayNodeOptions } : {}),
  };
  const started = await Promise.allSettled([
    startWorker('worker', env, join(logDir, 'worker.log')),
    startGateway('gateway', env, join(logDir, 'gateway.log')),
  ]);
  try {
    const [worker, gateway] = started.map((s) => {
      if (s.status === 'rejected') throw s.reason;
      return s.value;
    });
    if (!worker || !gateway || !('url' in gateway)) throw new Error('worker or gateway missing');
    const ctx: BenchContext = { sim, env, worker, gateway, client: new Client({ connection, dataConverter }), redis, logDir };
    console.log(
      `bench: hub ${compiledDir ? 'compiled' : 'from source (tsx)'}; worker pid ${worker.pid}, gateway pid ${gateway.pid} (${gateway.url}), simulators pid ${sim.pid}; logs in ${logDir}`,
    );

    for (const name of options.parts) {
      const part = PARTS[name];
      const started = performance.now();
      try {
        const { rows, json } = await part.run(ctx, options);
        const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
        printTable(`${part.title} (${seconds} s)`, rows);
        results[name] = { ...json, seconds };
        allRows.push(...rows.map((r) => ({ ...r, part: name })));
      } catch (err) {
        crashed = true;
        const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
        console.error(`\nbench part ${name} failed: ${message}`);
        results[name] = { error: message };
        allRows.push({ ...row(`${name}: could not be measured`, Number.NaN, '', { text: 'measured', test: () => false }), part: name });
      }
    }
  } finally {
    await Promise.allSettled(started.flatMap((s) => (s.status === 'fulfilled' ? [s.value.stop()] : [])));
    await Promise.allSettled([sim.stop(), connection.close()]);
    redis.disconnect();
  }

  const misses = allRows.filter((r) => r.met === false);
  results.rows = allRows;
  results.misses = misses.map((m) => `${m.part}: ${m.figure}`);
  mkdirSync('var', { recursive: true });
  writeFileSync('var/bench.json', `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${JSON.stringify(results, null, 2)}`);
  printMisses(misses);
  return crashed ? 1 : 0;
}

// A signal sent to the bench alone (not its process group): exit, so the exit handlers stop the children.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
