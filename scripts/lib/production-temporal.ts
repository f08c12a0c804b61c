/**
 * A production-like Temporal for tests: the real `temporal-server` (the version of temporal-docker/docker-compose.yml)
 * on PostgreSQL, configured from the module's own config/development-postgres12.yaml with free ports, the production
 * dynamic config (temporal-docker/dynamicconfig), the namespace and the hub's search attributes registered by the
 * compose file's script (temporal-docker/register-search-attributes.sh). The databases live under a prefix of the
 * server's own and are dropped by `destroy()`; `stop()` and `start()` restart the server on the same databases.
 *
 * The database side is scripts/production-temporal.sh (PG_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { portFree, waitUntil } from './wait';

const run = promisify(execFile);
const root = resolve(__dirname, '../..');
const script = join(root, 'scripts/production-temporal.sh');

/** The compose file's namespace default (`${TEMPORAL_NAMESPACE:-default}`) and retention (DEFAULT_NAMESPACE_RETENTION). */
export const PRODUCTION_NAMESPACE = 'default';
export const PRODUCTION_RETENTION = '168h';
/** The dynamic config the compose file mounts into the server. */
export const PRODUCTION_DYNAMIC_CONFIG = join(root, 'temporal-docker/dynamicconfig/development-sql.yaml');
export const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** What the compose file's temporal-admin-tools mounts and runs to register the search attributes. */
export const SEARCH_ATTRIBUTES_FILE = join(root, 'config/search-attributes.json');
export const REGISTER_SEARCH_ATTRIBUTES_SCRIPT = join(root, 'temporal-docker/register-search-attributes.sh');
/** The server's database plugin (the compose file's `DB`). */
export const PRODUCTION_DB_PLUGIN = 'postgres12';

/** The variables that point the hub's processes at this server (the compose file sets the same for hub-worker and hub-gateway). */
export function hubTemporalEnv(server: { address: string; namespace: string }): Record<string, string> {
  return { TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: server.namespace };
}

/**
 * Why the production tests cannot run here (no PostgreSQL, no psql), or undefined when they can. Checked once, at
 * import, so a test file can pass it as `skip`.
 */
export const productionSkipReason: string | undefined = (() => {
  try {
    execFileSync('bash', [script, 'check'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PG_URL } });
    return undefined;
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr
      ?.toString()
      .replace(/^\[setup\] /gm, '')
      .replace(/\s+/g, ' ')
      .trim();
    return `no PostgreSQL for the production-like Temporal (${stderr || 'scripts/production-temporal.sh check failed'}); set PG_URL to run these tests`;
  }
})();

/** The directory with bin/server, bin/sql, schema/ and config/ (scripts/test.sh sets it; built here otherwise). */
function serverDir(): string {
  const fromEnv = process.env.HUB_TEMPORAL_SERVER_DIR;
  if (fromEnv && existsSync(join(fromEnv, 'bin/server'))) return fromEnv;
  return execFileSync('bash', [script, 'tools'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

function temporalCli(): string {
  const cli = process.env.TEMPORAL_CLI;
  if (!cli) throw new Error('TEMPORAL_CLI is not set: run the tests with "npm test" (scripts/test.sh finds or builds the CLI)');
  return cli;
}

export interface ServerPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
  metrics: number;
}

/**
 * Free ports below the kernel's ephemeral range: the server stores its membership ports in a PostgreSQL smallint
 * (at most 32767), and ports the OS hands out for port 0 are above it.
 */
async function choosePorts(): Promise<ServerPorts> {
  const taken = new Set<number>();
  const next = async (): Promise<number> => {
    for (;;) {
      const port = 20_000 + Math.floor(Math.random() * 12_000);
      if (!taken.has(port) && (await portFree(port))) {
        taken.add(port);
        return port;
      }
    }
  };
  return {
    frontend: await next(),
    frontendHttp: await next(),
    frontendMembership: await next(),
    history: await next(),
    historyMembership: await next(),
    matching: await next(),
    matchingMembership: await next(),
    worker: await next(),
    workerMembership: await next(),
    metrics: await next(),
  };
}

type Yaml = Record<string, unknown>;

function node(parent: Yaml, ...path: string[]): Yaml {
  let at = parent;
  for (const key of path) {
    const child = at[key];
    if (typeof child !== 'object' || child === null) throw new Error(`server config template: ${path.join('.')} is missing`);
    at = child as Yaml;
  }
  return at;
}

/**
 * The module's config/development-postgres12.yaml with what differs here: PostgreSQL's address and user, the
 * databases under `prefix`, free ports, the production dynamic config, logs at warn. Everything else (shards,
 * connection pools, membership, archival) is the template's.
 */
export function renderServerConfig(template: string, options: { prefix: string; ports: ServerPorts; pgUrl: string }): string {
  const config = parse(template) as Yaml;
  const pg = new URL(options.pgUrl);
  const stores = node(config, 'persistence', 'datastores');
  for (const [store, part] of [
    ['postgres-default', 'temporal'],
    ['postgres-visibility', 'visibility'],
  ] as const) {
    const sql = node(stores, store, 'sql');
    sql.pluginName = PRODUCTION_DB_PLUGIN;
    sql.databaseName = `${options.prefix}_${part}`;
    sql.connectAddr = `${pg.hostname}:${pg.port || '5432'}`;
    sql.user = decodeURIComponent(pg.username);
    sql.password = decodeURIComponent(pg.password);
  }
  const { ports } = options;
  const rpc = (service: string, grpc: number, membership: number) => {
    const at = node(config, 'services', service, 'rpc');
    at.grpcPort = grpc;
    at.membershipPort = membership;
  };
  rpc('frontend', ports.frontend, ports.frontendMembership);
  node(config, 'services', 'frontend', 'rpc').httpPort = ports.frontendHttp;
  rpc('history', ports.history, ports.historyMembership);
  rpc('matching', ports.matching, ports.matchingMembership);
  rpc('worker', ports.worker, ports.workerMembership);
  const global = node(config, 'global');
  // pprof is for debugging a live server; a fixed port would collide between parallel test files.
  delete global.pprof;
  node(global, 'metrics', 'prometheus').listenAddress = `127.0.0.1:${ports.metrics}`;
  node(config, 'clusterMetadata', 'clusterInformation', 'active').rpcAddress = `127.0.0.1:${ports.frontend}`;
  node(config, 'log').level = 'warn';
  node(config, 'dynamicConfigClient').filepath = PRODUCTION_DYNAMIC_CONFIG;
  return stringify(config);
}

export interface ProductionTemporal {
  /** host:port of the frontend. */
  address: string;
  namespace: string;
  /** Prefix of the two databases (`<prefix>_temporal`, `<prefix>_visibility`). */
  prefix: string;
  /** The server's log. */
  logFile: string;
  configFile: string;
  /** Seconds the first start took: schemas, server, namespace and search attributes. */
  setupSeconds: number;
  running(): boolean;
  /** SIGTERM, as an orchestrator stops a container; resolves when the process is gone. */
  stop(): Promise<void>;
  /** Starts the server again on the same databases and ports; resolves when the frontend serves. */
  start(): Promise<void>;
  /** pg_terminate_backend on every connection of this server's databases; answers how many were closed. */
  dropDatabaseConnections(): Promise<number>;
  /** Stops the server and drops its databases. */
  destroy(): Promise<void>;
}

/**
 * Where each server is recorded while it runs (owner pid, server pid, prefix): a test process killed outright
 * (SIGKILL, a time-out) leaves its server and databases behind, and the next start here removes them.
 */
const RECORD_DIR = join(tmpdir(), 'hub-production-temporal');

interface ServerRecord {
  owner: number;
  server?: number;
  prefix: string;
  work: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops the servers and drops the databases of test processes that are gone. */
async function removeLeftovers(env: NodeJS.ProcessEnv): Promise<void> {
  if (!existsSync(RECORD_DIR)) return;
  for (const name of readdirSync(RECORD_DIR)) {
    const file = join(RECORD_DIR, name);
    let record: ServerRecord;
    try {
      record = JSON.parse(readFileSync(file, 'utf8')) as ServerRecord;
    } catch {
      continue;
    }
    if (alive(record.owner)) continue;
    // Only the server this record names: its command line must still be the server's, with this run's directory.
    if (record.server && alive(record.server)) {
      const cmdline = existsSync(`/proc/${record.server}/cmdline`) ? readFileSync(`/proc/${record.server}/cmdline`, 'utf8') : '';
      if (cmdline.includes(record.work)) process.kill(record.server, 'SIGKILL');
    }
    await run('bash', [script, 'drop', record.prefix], { env }).catch(() => undefined);
    rmSync(record.work, { recursive: true, force: true });
    rmSync(file, { force: true });
  }
}

/** Servers still running when the test process exits however it exits: killed, their databases dropped. */
const live = new Set<{ kill: () => void; prefix: string }>();
process.once('exit', () => {
  for (const server of live) {
    server.kill();
    try {
      execFileSync('bash', [script, 'drop', server.prefix], { stdio: 'ignore', env: { ...process.env, PG_URL } });
    } catch {
      // Best effort at exit; the prefix names the run, so a leftover is recognisable.
    }
  }
});

async function cliOk(args: string[]): Promise<boolean> {
  try {
    await run(temporalCli(), args, { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** Creates the databases, writes the config, starts the server, creates the namespace, registers the search attributes. */
export async function startProductionTemporal(label: string): Promise<ProductionTemporal> {
  const started = Date.now();
  const dir = serverDir();
  const prefix = `hubprod_${label.replace(/[^a-z0-9]/g, '')}_${randomBytes(4).toString('hex')}`;
  const env = { ...process.env, PG_URL };
  await removeLeftovers(env);
  const work = mkdtempSync(join(tmpdir(), `hub-${prefix}-`));
  const logFile = join(work, 'temporal-server.log');
  mkdirSync(RECORD_DIR, { recursive: true });
  const recordFile = join(RECORD_DIR, `${prefix}.json`);
  const record = (server?: number) => writeFileSync(recordFile, JSON.stringify({ owner: process.pid, server, prefix, work } satisfies ServerRecord));
  record();
  try {
    await run('bash', [script, 'create', prefix], { env, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`creating the Temporal databases failed:\n${stderr.split('\n').slice(-20).join('\n')}`);
  }
  const ports = await choosePorts();
  const configFile = join(work, 'config', 'hub.yaml');
  mkdirSync(dirname(configFile), { recursive: true });
  writeFileSync(
    configFile,
    renderServerConfig(readFileSync(join(dir, 'config/development-postgres12.yaml'), 'utf8'), { prefix, ports, pgUrl: PG_URL }),
  );
  const address = `127.0.0.1:${ports.frontend}`;

  let child: ChildProcess | undefined;
  const tracked = { prefix, kill: () => child?.kill('SIGKILL') };
  live.add(tracked);
  const exited = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;

  const start = async (): Promise<void> => {
    if (child && !exited(child)) throw new Error('the Temporal server is already running');
    const fd = openSync(logFile, 'a');
    const server = spawn(join(dir, 'bin/server'), ['--root', work, '--config', 'config', '--env', 'hub', '--allow-no-auth', 'start'], {
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    child = server;
    record(server.pid);
    try {
      await waitUntil(
        () => cliOk(['operator', 'cluster', 'health', '--address', address]),
        90_000,
        `the Temporal server did not start on ${address}`,
        () => exited(server),
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; the end of ${logFile}:\n${tail(logFile, 5)}`);
    }
  };
  const stop = async (): Promise<void> => {
    const server = child;
    if (!server || exited(server)) return;
    const gone = once(server, 'exit');
    server.kill('SIGTERM');
    const timer = setTimeout(() => server.kill('SIGKILL'), 30_000);
    await gone;
    clearTimeout(timer);
  };

  try {
    await start();
    await run(temporalCli(), [
      'operator',
      'namespace',
      'create',
      '--namespace',
      PRODUCTION_NAMESPACE,
      '--retention',
      PRODUCTION_RETENTION,
      '--address',
      address,
    ]);
    // The compose file's own registration step, with the CLI the tests use.
    await run('sh', [REGISTER_SEARCH_ATTRIBUTES_SCRIPT], {
      env: {
        ...process.env,
        PATH: `${dirname(temporalCli())}:${process.env.PATH ?? ''}`,
        TEMPORAL_ADDRESS: address,
        TEMPORAL_NAMESPACE: PRODUCTION_NAMESPACE,
        SEARCH_ATTRIBUTES_FILE: SEARCH_ATTRIBUTES_FILE,
        WAIT_SECONDS: '60',
      },
    });
    // Every service learns of the namespace from its registry's refresh: wait until a workflow query is answered.
    await waitUntil(
      () => cliOk(['workflow', 'count', '--namespace', PRODUCTION_NAMESPACE, '--address', address, '--query', "HubEntityType = 'probe'"]),
      60_000,
      `namespace ${PRODUCTION_NAMESPACE} not usable on ${address}; see ${logFile}`,
    );
  } catch (err) {
    await stop();
    live.delete(tracked);
    await run('bash', [script, 'drop', prefix], { env }).catch(() => undefined);
    rmSync(recordFile, { force: true });
    throw err;
  }

  return {
    address,
    namespace: PRODUCTION_NAMESPACE,
    prefix,
    logFile,
    configFile,
    setupSeconds: (Date.now() - started) / 1000,
    running: () => child !== undefined && !exited(child),
    stop,
    start,
    async dropDatabaseConnections() {
      const { stdout } = await run('bash', [script, 'terminate', prefix], { env });
      return Number(stdout.trim());
    },
    async destroy() {
      await stop();
      live.delete(tracked);
      await run('bash', [script, 'drop', prefix], { env });
      rmSync(work, { recursive: true, force: true });
      rmSync(recordFile, { force: true });
    },
  };
}

function tail(file: string, lines = 30): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';
}
