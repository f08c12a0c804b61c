/**
 * The one way this project starts a Temporal dev server and a redis-server of its own: for `npm start`
 * (fixed ports, state kept in files) and for the tests and benchmarks (free ports, thrown away).
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
// Imported rather than read via a path, so it is found from dist/ as well as from source.
import searchAttributes from '../../config/search-attributes.json';
import type { Supervisor } from './supervisor';
import { httpOk, waitUntil } from './wait';

const run = promisify(execFile);

/** `--search-attribute Name=Type` flags for every custom search attribute the hub uses. */
function searchAttributeFlags(): string[] {
  return Object.entries(searchAttributes as Record<string, string>).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}

/**
 * SQLite pragmas for the dev server from HUB_TEMPORAL_SQLITE_PRAGMAS, e.g. "journal_mode=wal,synchronous=normal"
 * (the CLI's `--sqlite-pragma PRAGMA=VALUE`). Validated here, because the dev server's own error is obscure.
 */
export function sqlitePragmasFromEnv(env: NodeJS.ProcessEnv = process.env, whenUnset: readonly string[] = []): string[] {
  const raw = env.HUB_TEMPORAL_SQLITE_PRAGMAS?.trim();
  if (!raw) return [...whenUnset];
  return raw.split(',').map((item) => {
    const pragma = item.trim();
    if (!/^[a-z_]+=[A-Za-z0-9_-]+$/.test(pragma)) {
      throw new Error(`HUB_TEMPORAL_SQLITE_PRAGMAS: "${pragma}" is not PRAGMA=VALUE (e.g. journal_mode=wal,synchronous=normal)`);
    }
    return pragma;
  });
}

export interface TemporalDevOptions {
  cli: string;
  port: number;
  /** Web UI port; no UI (headless) when omitted. */
  uiPort?: number;
  /** The Web UI's remote codec (the gateway's `/codec/ui/<token>`), called from the browser to show payloads decoded. */
  uiCodecEndpoint?: string;
  /** Workflows survive a restart because their state is kept in this SQLite file; in memory when omitted. */
  dbFile?: string;
  logFile: string;
  /** `PRAGMA=VALUE` items for SQLite; from HUB_TEMPORAL_SQLITE_PRAGMAS when omitted. */
  sqlitePragmas?: string[];
  /** What to tell the user when the port is taken. */
  portAdvice?: string;
}

export interface TemporalDev {
  address: string;
  /** Only when started with a UI. */
  uiUrl?: string;
}

export async function startTemporalDev(supervisor: Supervisor, options: TemporalDevOptions): Promise<TemporalDev> {
  const address = `127.0.0.1:${options.port}`;
  if (await temporalHealthy(options.cli, address)) {
    throw new Error(`something already serves Temporal on ${address}${options.portAdvice ? `; ${options.portAdvice}` : ''}`);
  }
  const uiUrl = options.uiPort === undefined ? undefined : `http://127.0.0.1:${options.uiPort}`;
  const pragmas = options.sqlitePragmas ?? sqlitePragmasFromEnv();
  // Flag and value on one line each.
  // prettier-ignore
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    ...(options.uiPort === undefined ? ['--headless'] : ['--ui-port', String(options.uiPort)]),
    ...(options.uiPort !== undefined && options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
    ...pragmas.flatMap((pragma) => ['--sqlite-pragma', pragma]),
    '--log-level', 'warn',
    ...searchAttributeFlags(),
    // As in production (temporal-docker/dynamicconfig): an activity scheduled by a workflow task comes back in
    // that task's answer instead of a separate dispatch, which saves a round trip per activity.
    '--dynamic-config-value', 'system.enableActivityEagerExecution=true',
  ];
  const server = supervisor.spawn('temporal', options.cli, args, { logFile: options.logFile });
  const failed = `Temporal did not start on ${address}; see ${options.logFile}`;
  await waitUntil(
    () => temporalHealthy(options.cli, address),
    60_000,
    failed,
    () => server.hasExited,
  );
  if (uiUrl)
    await waitUntil(
      () => httpOk(uiUrl),
      30_000,
      `Temporal Web UI did not answer on ${uiUrl}; see ${options.logFile}`,
      () => server.hasExited,
    );
  return { address, uiUrl };
}

async function temporalHealthy(cli: string, address: string): Promise<boolean> {
  try {
    await run(cli, ['operator', 'cluster', 'health', '--address', address], { timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

export async function redisAnswers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export interface RedisServerOptions {
  /** Path of redis-server; empty when it could not be found or installed. */
  bin: string;
  port: number;
  /** Working directory, and its data when `persist` is set. */
  dir: string;
  /** Keep the data in an append-only file (the sandbox keeps the cached token across restarts). */
  persist: boolean;
  portAdvice?: string;
}

export async function startRedis(supervisor: Supervisor, options: RedisServerOptions): Promise<{ url: string }> {
  if (!options.bin) {
    throw new Error(
      'redis-server is not installed and could not be installed: install the Debian package "redis-server" (apt-get install redis-server) or set REDIS_URL',
    );
  }
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  const url = `redis://127.0.0.1:${options.port}`;
  if (await redisAnswers(url)) throw new Error(`something already answers on ${url}${options.portAdvice ? `; ${options.portAdvice}` : ''}`);
  const logFile = join(dir, 'redis.log');
  const server = supervisor.spawn(
    'redis',
    options.bin,
    ['--port', String(options.port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', options.persist ? 'yes' : 'no', '--save', ''],
    { logFile },
  );
  await waitUntil(
    () => redisAnswers(url),
    15_000,
    `redis-server did not start on ${url}; see ${logFile}`,
    () => server.hasExited,
  );
  return { url };
}
