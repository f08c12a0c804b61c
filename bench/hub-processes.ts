import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import { freePort } from '../scripts/lib/wait';
import { procStatusMb } from './memory';

export const BENCH_API_KEY = 'bench-hub-key';

/** A production entry point (`workers/main.ts`, `api/main.ts`) running in a child process of its own. */
export interface HubProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Resident set right after start-up, before any load (MB). */
  readyRssMb: number;
  stop(): Promise<void>;
}

export interface GatewayProcess extends HubProcess {
  url: string;
}

/** The environment the hub's processes share: the simulators, Temporal, Redis, the task queue. */
export interface HubEnv {
  simulators: Record<string, string>;
  temporalAddress: string;
  redisUrl: string;
  taskQueue: string;
  /** The compiled hub (bench/compiled.ts) to run, as production does; from source with tsx when absent. */
  compiledDir?: string;
  workerNodeOptions?: string;
  gatewayNodeOptions?: string;
}

function baseEnv(env: HubEnv): Record<string, string> {
  return {
    ...env.simulators,
    TEMPORAL_ADDRESS: env.temporalAddress,
    REDIS_URL: env.redisUrl,
    TEMPORAL_TASK_QUEUE: env.taskQueue,
    // Production's default level: logging is part of what the processes cost.
    LOG_LEVEL: 'info',
  };
}

/** Children still running: killed when the bench exits however it exits, so no worker outlives a run. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

type HubService = 'hub-worker' | 'hub-gateway';

/**
 * How production starts the service (temporal-docker/docker-compose.yml): the node flags of its `command` (the heap
 * limits) and its allocator setting (`MALLOC_ARENA_MAX`, unless the bench's own environment sets one, to try others), so
 * the bench's memory figures are production's.
 */
function productionProcess(service: HubService): { flags: string[]; env: Record<string, string> } {
  const compose = parse(readFileSync(join(__dirname, '..', 'temporal-docker', 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, { command?: string[]; environment?: Record<string, string> }>;
  };
  const spec = compose.services[service];
  const arenas = spec?.environment?.MALLOC_ARENA_MAX;
  // ["node", ...flags, entry]; test/deploy/compose.test.ts checks that shape.
  return { flags: (spec?.command ?? []).slice(1, -1), env: arenas === undefined ? {} : { MALLOC_ARENA_MAX: arenas } };
}

/** `entry` without its extension, e.g. `workers/main`; compiled from `hub.compiledDir` when given, else with tsx. */
function startProcess(entry: string, hub: HubEnv, env: Record<string, string>, logFile: string): { child: ChildProcess; log: () => string } {
  const script = hub.compiledDir ? [join(hub.compiledDir, `${entry}.js`)] : ['--import', 'tsx', `${entry}.ts`];
  return spawnAs(entry === 'workers/main' ? 'hub-worker' : 'hub-gateway', script, env, logFile);
}

/** Started as production starts `service`: its node flags and its allocator setting. */
function spawnAs(service: HubService, script: string[], env: Record<string, string>, logFile: string): { child: ChildProcess; log: () => string } {
  mkdirSync(dirname(logFile), { recursive: true });
  // Straight into a file: piping it through the bench would put the bench's own CPU into the measurement.
  const fd = openSync(logFile, 'w');
  // --worker-node-options / --gateway-node-options (NODE_OPTIONS) replace production's flags, to try others.
  const production = productionProcess(service);
  const flags = env.NODE_OPTIONS ? [] : production.flags;
  const child = spawn(process.execPath, [...flags, ...script], { env: { ...production.env, ...process.env, ...env }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  running.add(child);
  child.once('exit', () => running.delete(child));
  return { child, log: () => readFileSync(logFile, 'utf8') };
}

async function waitReady(name: string, child: ChildProcess, ready: () => Promise<boolean>, log: () => string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited before it was ready:\n${log().slice(-3000)}`);
    if (await ready().catch(() => false)) return;
    await sleep(200);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} not ready after ${timeoutMs} ms:\n${log().slice(-3000)}`);
}

/** SIGTERM (graceful), SIGKILL when it does not stop within `graceMs`. */
async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** A started process once it is ready: its memory now, before any load, and how to stop it (SIGKILL after `graceMs`). */
function readyProcess(name: string, child: ChildProcess, logFile: string, graceMs: number): HubProcess {
  const pid = child.pid ?? -1;
  return { name, pid, logFile, readyRssMb: procStatusMb(pid, 'VmRSS'), stop: () => stopChild(child, graceMs) };
}

export async function startWorker(name: string, env: HubEnv, logFile: string, extra: Record<string, string> = {}): Promise<HubProcess> {
  const { child, log } = startProcess(
    'workers/main',
    env,
    {
      ...baseEnv(env),
      // Two workers on one machine must not fight over the metrics port.
      WORKER_METRICS_PORT: String(await freePort()),
      // The schedules would start sweeps and calendar runs in the middle of a measurement: once a day instead.
      BETEILIGTE_SYNC_SWEEP_INTERVAL_SECONDS: '86400',
      CALENDAR_SYNC_INTERVAL_SECONDS: '86400',
      ...(env.workerNodeOptions ? { NODE_OPTIONS: env.workerNodeOptions } : {}),
      ...extra,
    },
    logFile,
  );
  await waitReady(name, child, () => Promise.resolve(log().includes('worker running')), log);
  return readyProcess(name, child, logFile, 25_000);
}

export async function startGateway(name: string, env: HubEnv, logFile: string, extra: Record<string, string> = {}): Promise<GatewayProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { child, log } = startProcess(
    'api/main',
    env,
    {
      ...baseEnv(env),
      PORT: String(port),
      HUB_API_KEYS: BENCH_API_KEY,
      ...(env.gatewayNodeOptions ? { NODE_OPTIONS: env.gatewayNodeOptions } : {}),
      ...extra,
    },
    logFile,
  );
  await waitReady(name, child, async () => (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) })).ok, log);
  return { ...readyProcess(name, child, logFile, 15_000), url };
}

/**
 * A worker with no hub code (bench/sdk-floor/worker.ts, compiled to `script`), started as production starts the
 * hub's worker, for the figures of what Temporal itself costs here.
 */
export async function startFloorWorker(script: string, env: Record<string, string>, logFile: string): Promise<HubProcess> {
  const { child, log } = spawnAs('hub-worker', [script], env, logFile);
  await waitReady('floor worker', child, () => Promise.resolve(log().includes('floor worker running')), log);
  return readyProcess('floor worker', child, logFile, 25_000);
}
