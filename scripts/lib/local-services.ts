import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { ManagedProcess } from './managed-process';
import { httpOk, waitUntil } from './wait';

const run = promisify(execFile);

/** `--search-attribute Name=Type` flags for every custom search attribute the hub uses. */
function searchAttributeFlags(): string[] {
  const file = resolve(__dirname, '../../config/search-attributes.json');
  const attributes = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  return Object.entries(attributes).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}

export interface TemporalDevOptions {
  cli: string;
  port: number;
  uiPort: number;
  /** Workflows survive a restart because their state is kept in this SQLite file. */
  dbFile: string;
  logFile: string;
}

export async function startTemporalDev(options: TemporalDevOptions, onExit: (name: string, code: number | null) => void) {
  const address = `127.0.0.1:${options.port}`;
  const uiUrl = `http://127.0.0.1:${options.uiPort}`;
  if (await temporalHealthy(options.cli, address)) {
    throw new Error(`something already serves Temporal on ${address}; stop it or set SANDBOX_TEMPORAL_PORT`);
  }
  const server = new ManagedProcess(
    'temporal',
    options.cli,
    [
      'server', 'start-dev',
      '--ip', '127.0.0.1',
      '--port', String(options.port),
      '--ui-port', String(options.uiPort),
      '--db-filename', options.dbFile,
      '--log-level', 'warn',
      ...searchAttributeFlags(),
    ],
    { logFile: options.logFile },
  );
  server.start(onExit);
  await waitUntil(() => temporalHealthy(options.cli, address), 60_000, `Temporal did not start; see ${options.logFile}`);
  await waitUntil(() => httpOk(uiUrl), 30_000, `Temporal Web UI did not answer on ${uiUrl}; see ${options.logFile}`);
  return { server, address, uiUrl };
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

/** A redis-server of the sandbox's own, persisting into `dir` so a restart keeps the cached token. */
export async function startOwnRedis(bin: string, port: number, dir: string, onExit: (name: string, code: number | null) => void) {
  if (!bin) {
    throw new Error('redis-server is not installed and could not be installed: install the Debian package "redis-server" (apt-get install redis-server) or set REDIS_URL');
  }
  mkdirSync(dir, { recursive: true });
  const url = `redis://127.0.0.1:${port}`;
  if (await redisAnswers(url)) throw new Error(`something already answers on ${url}; set REDIS_URL to use it or SANDBOX_REDIS_PORT to move`);
  const server = new ManagedProcess(
    'redis',
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', resolve(dir), '--appendonly', 'yes', '--save', ''],
    { logFile: join(dir, 'redis.log') },
  );
  server.start(onExit);
  await waitUntil(() => redisAnswers(url), 15_000, `redis-server did not start on ${url}; see ${join(dir, 'redis.log')}`);
  return { server, url };
}
