/**
 * `npm start`: the whole hub in one terminal.
 *
 * Sandbox mode (no Advoware credentials configured): a Temporal dev server with Web UI
 * (state in a SQLite file), Redis, the simulators with demo data, the worker and the
 * gateway, all from source. Production mode: only the worker and the gateway, compiled (dist/).
 *
 * Ctrl-C stops everything this script started before it exits. Every child is recorded under
 * <state dir>/run/, so when this script is killed outright, the next start stops the leftovers first.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gatewayConfigSchema, gatewayEnv, loadDotEnv, parseEnv, sandboxEnv, workerConfigSchema, type SandboxConfig } from '../config/env';
import { SANDBOX_HUB_API_KEY } from '../simulators/sandbox-credentials';
import { startSandboxSimulators, type Sandbox } from '../simulators/sandbox';
import { DIST_ENTRIES, ensureBuilt } from './lib/build-freshness';
import { redisAnswers, sqlitePragmasFromEnv, startRedis, startTemporalDev } from './lib/local-services';
import { forgetProcess, recordProcess, runningRecord, stopLeftovers } from './lib/process-record';
import { sandboxSecrets } from './lib/sandbox-secrets';
import { Supervisor } from './lib/supervisor';
import { ensureLocalTools } from './lib/tools';
import { httpOk, waitUntil } from './lib/wait';

const SANDBOX_SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'];

// With `npm start | tee log`, Ctrl-C kills tee first: a write to the closed pipe must not kill us
// halfway through stopping the children (EPIPE would be an uncaught 'error' event).
let outputClosed = false;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', () => {
    outputClosed = true;
    // The reader is gone (`npm start | head`): as SIGPIPE would, but orderly.
    void shutdown(1);
  });
}

function print(stream: NodeJS.WriteStream, text: string): void {
  if (outputClosed) return;
  try {
    stream.write(text);
  } catch {
    outputClosed = true;
  }
}

const log = (message: string) => print(process.stdout, `[start] ${message}\n`);

let supervisor: Supervisor | undefined;
/** This script's own record: a second `npm start` on the same state dir must not take the first one's children. */
let ownRecord: string | undefined;
let exitCode: number | undefined;
let stopped: Promise<never> | undefined;

/** Stops everything (once; later calls wait for the same stop), then exits with the first reason's code. */
function shutdown(code: number): Promise<never> {
  exitCode ??= code;
  stopped ??= (async () => {
    await supervisor?.stopAll();
    if (ownRecord) forgetProcess(ownRecord);
    process.exit(exitCode);
  })();
  return stopped;
}

function onUnexpectedExit(name: string, code: number | null): void {
  if (stopped) return;
  log(`${name} keeps exiting (code ${code}); see its log. Stopping everything.`);
  void shutdown(1);
}

/**
 * A crashed child (Temporal dev server, Redis, worker, gateway) comes back instead of taking the sandbox down with it:
 * Temporal keeps its state in its SQLite file and Redis in its append-only file, the worker and the gateway reconnect.
 * Five crashes without a minute of running in between is a loop, and stops everything.
 */
const RESTART_POLICY = { delaysMs: [1_000, 2_000, 4_000, 8_000, 16_000], healthyAfterMs: 60_000 };

function isSandbox(config: SandboxConfig): boolean {
  if (config.SANDBOX !== 'auto') return config.SANDBOX === 'true';
  return !process.env.ADVOWARE_API_BASE_URL;
}

function startHubProcess(hub: Supervisor, name: 'worker' | 'gateway', env: NodeJS.ProcessEnv, logDir: string, compiled: boolean): void {
  const source = name === 'worker' ? 'workers/main.ts' : 'api/main.ts';
  const args = compiled ? [DIST_ENTRIES[name]] : ['--import', 'tsx', source];
  hub.spawn(name, process.execPath, args, { env, logFile: join(logDir, `${name}.log`), stopTimeoutMs: 30_000 });
}

async function startSandbox(hub: Supervisor, config: SandboxConfig, stateDir: string): Promise<void> {
  const logDir = join(stateDir, 'log');
  mkdirSync(logDir, { recursive: true });
  // Written again once everything answers; until then a script must not find the last run's addresses.
  rmSync(join(stateDir, 'sandbox.json'), { force: true });

  log('checking the Temporal CLI and redis-server (the first run builds the CLI: a few minutes)');
  const tools = ensureLocalTools();

  // Client data is encrypted in the dev server's history too; the key is the sandbox's own, kept in the state dir.
  const secrets = sandboxSecrets(stateDir);
  const gatewayPort = gatewayEnv.shape.PORT.parse(process.env.PORT || undefined);
  const codecUiToken = process.env.HUB_CODEC_UI_TOKEN || secrets.codecUiToken;

  log('starting the Temporal dev server');
  const temporal = await startTemporalDev(hub, {
    cli: tools.temporalCli,
    port: config.SANDBOX_TEMPORAL_PORT,
    uiPort: config.SANDBOX_TEMPORAL_UI_PORT,
    // The browser fetches it: the gateway as the operator's browser reaches it.
    uiCodecEndpoint: `http://127.0.0.1:${gatewayPort}/codec/ui/${codecUiToken}`,
    dbFile: join(stateDir, 'temporal.db'),
    // Measured by `npm run bench` (ingest): WAL takes webhooks faster than SQLite's default journal. Synchronous
    // NORMAL can lose the last commits on a power cut, never on a crash: fine for a sandbox (production: PostgreSQL).
    sqlitePragmas: sqlitePragmasFromEnv(process.env, SANDBOX_SQLITE_PRAGMAS),
    logFile: join(logDir, 'temporal.log'),
    portAdvice: 'stop it or set SANDBOX_TEMPORAL_PORT',
  });
  const uiUrl = temporal.uiUrl ?? '';

  let redisUrl = process.env.REDIS_URL;
  if (redisUrl && (await redisAnswers(redisUrl))) {
    log(`using the Redis at REDIS_URL`);
  } else {
    if (redisUrl) log('REDIS_URL does not answer; starting a Redis of our own');
    const redis = await startRedis(hub, {
      bin: tools.redisServer,
      port: config.SANDBOX_REDIS_PORT,
      dir: join(stateDir, 'redis'),
      persist: true,
      portAdvice: 'set REDIS_URL to use it or SANDBOX_REDIS_PORT to move',
    });
    redisUrl = redis.url;
  }

  log('starting the simulators');
  const sandbox: Sandbox = await startSandboxSimulators({
    advoware: config.SANDBOX_ADVOWARE_PORT,
    espocrm: config.SANDBOX_ESPOCRM_PORT,
    google: config.SANDBOX_GOOGLE_PORT,
    threecx: config.SANDBOX_THREECX_PORT,
  });
  hub.add('simulators', () => sandbox.stop());

  const apiKeys = process.env.HUB_API_KEYS || SANDBOX_HUB_API_KEY;
  const payloadKeys = process.env.HUB_PAYLOAD_KEYS || secrets.payloadKeys;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...sandbox.hubEnv,
    TEMPORAL_ADDRESS: temporal.address,
    REDIS_URL: redisUrl,
    HUB_API_KEYS: apiKeys,
    HUB_PAYLOAD_KEYS: payloadKeys,
    HUB_CODEC_UI_TOKEN: codecUiToken,
    // The UI answers on both names of the loopback; the browser's origin is whichever the operator typed.
    HUB_CODEC_CORS_ORIGINS:
      process.env.HUB_CODEC_CORS_ORIGINS || `http://127.0.0.1:${config.SANDBOX_TEMPORAL_UI_PORT},http://localhost:${config.SANDBOX_TEMPORAL_UI_PORT}`,
  };
  // Validate before spawning, so a bad value is reported here and not as two crashed children.
  const gatewayConfig = parseEnv(gatewayConfigSchema, env);
  parseEnv(workerConfigSchema, env);

  log('starting the worker and the gateway');
  startHubProcess(hub, 'worker', env, logDir, false);
  startHubProcess(hub, 'gateway', env, logDir, false);
  const gatewayUrl = `http://127.0.0.1:${gatewayConfig.PORT}`;
  await waitUntil(() => httpOk(`${gatewayUrl}/health`), 60_000, `the gateway did not become healthy; see ${join(logDir, 'gateway.log')}`);

  // EspoCRM's webhooks point at the gateway, as an administrator would register them in the CRM.
  for (const event of ['create', 'update', 'delete']) {
    sandbox.espocrm.registerWebhook(`CBeteiligte.${event}`, `${gatewayUrl}/vmh/webhook/beteiligte/${event}`);
    sandbox.espocrm.registerWebhook(`CBankverbindungen.${event}`, `${gatewayUrl}/vmh/webhook/bankverbindungen/${event}`);
  }
  // 3CX's call events, as an administrator would set the PBX's webhook.
  sandbox.threecx.setWebhookUrl(`${gatewayUrl}/3cx/webhook`);

  const firstKey = apiKeys.split(',')[0]?.trim() ?? '';
  const description = {
    mode: 'sandbox',
    gateway: { url: gatewayUrl, apiKey: firstKey },
    temporal: { address: temporal.address, uiUrl, namespace: gatewayConfig.TEMPORAL_NAMESPACE },
    // For `temporal ... --codec-endpoint <codec.endpoint> --codec-auth 'Bearer <gateway.apiKey>'`.
    codec: { endpoint: `${gatewayUrl}/codec` },
    redis: { url: redisUrl },
    simulators: sandbox.running,
    // What the worker runs with, so commands (calendar:audit, calendar:reset, hub:failures) reach the same simulators
    // and Temporal and read the workflows' encrypted payloads.
    hubEnv: {
      ...sandbox.hubEnv,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: gatewayConfig.TEMPORAL_NAMESPACE,
      REDIS_URL: redisUrl,
      HUB_PAYLOAD_KEYS: payloadKeys,
    },
    logs: logDir,
  };
  writeFileSync(join(stateDir, 'sandbox.json'), `${JSON.stringify(description, null, 2)}\n`);

  print(
    process.stdout,
    `
bitbylaw hub is running in sandbox mode (simulated Advoware and EspoCRM).

  Gateway       ${gatewayUrl}
  API key       ${firstKey}            (header X-API-Key)
  Temporal UI   ${uiUrl}
  Temporal      ${temporal.address}
  Codec         ${gatewayUrl}/codec   (temporal CLI: --codec-endpoint ${gatewayUrl}/codec --codec-auth 'Bearer ${firstKey}')
${Object.entries(sandbox.running)
  .map(([name, sim]) => `  ${name.padEnd(13)} ${sim.url}`)
  .join('\n')}

  Try: curl -H 'X-API-Key: ${firstKey}' '${gatewayUrl}/advoware/proxy?path=api/v1/advonet/Mitarbeiter'
  Everything above is also in ${join(stateDir, 'sandbox.json')}; logs in ${logDir}.
  Ctrl-C stops it all.

`,
  );
}

async function startProduction(hub: Supervisor, stateDir: string): Promise<void> {
  // Fails with the names of missing or invalid variables before anything starts.
  const gatewayConfig = parseEnv(gatewayConfigSchema);
  parseEnv(workerConfigSchema);
  const logDir = join(stateDir, 'log');
  mkdirSync(logDir, { recursive: true });
  ensureBuilt(process.cwd(), log);
  startHubProcess(hub, 'worker', process.env, logDir, true);
  startHubProcess(hub, 'gateway', process.env, logDir, true);
  const gatewayUrl = `http://127.0.0.1:${gatewayConfig.PORT}`;
  await waitUntil(() => httpOk(`${gatewayUrl}/health`), 60_000, `the gateway did not become healthy; see ${join(logDir, 'gateway.log')}`);
  log(`hub running against ${gatewayConfig.TEMPORAL_ADDRESS}; gateway ${gatewayUrl}; logs in ${logDir}`);
}

async function main(): Promise<void> {
  // npm relays Ctrl-C as a second SIGINT: shutdown() is idempotent, so it cannot cut the first stop short.
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGHUP', () => void shutdown(0));
  process.on('uncaughtException', (err) => {
    print(process.stderr, `[start] ${err.stack ?? err.message}\n`);
    void shutdown(1);
  });
  process.on('unhandledRejection', (reason) => {
    print(process.stderr, `[start] ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
    void shutdown(1);
  });

  loadDotEnv();
  const config = parseEnv(sandboxEnv);
  const stateDir = resolve(config.SANDBOX_STATE_DIR);
  const recordDir = join(stateDir, 'run');
  const startRecord = join(stateDir, 'start.json');
  const running = runningRecord(startRecord);
  if (running) throw new Error(`npm start is already running with ${stateDir} (pid ${running.pid}); stop it first (Ctrl-C in its terminal)`);
  recordProcess(startRecord, 'start', process.pid, process.argv);
  ownRecord = startRecord;
  // Whatever an earlier start left running (it was killed, crashed, or lost its terminal) goes first.
  await stopLeftovers(recordDir, log);
  if (stopped) return;
  const hub = new Supervisor({ log, onUnexpectedExit, recordDir, restart: RESTART_POLICY });
  supervisor = hub;
  if (isSandbox(config)) await startSandbox(hub, config, stateDir);
  else await startProduction(hub, stateDir);
}

main().catch(async (err: unknown) => {
  // An error caused by the stop itself (a start-up step interrupted) is not news.
  if (!stopped) print(process.stderr, `[start] ${err instanceof Error ? err.message : String(err)}\n`);
  await shutdown(1);
});
