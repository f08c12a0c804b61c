/**
 * `npm start`: the whole hub in one terminal.
 *
 * Sandbox mode (no Advoware credentials configured): a Temporal dev server with Web UI
 * (state in a SQLite file), Redis, the simulators with demo data, the worker and the
 * gateway. Production mode: only the worker and the gateway, against `.env`.
 * Ctrl-C stops everything this script started.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  gatewayConfigSchema,
  loadDotEnv,
  parseEnv,
  sandboxEnv,
  workerConfigSchema,
  type SandboxConfig,
} from '../config/env';
import { SANDBOX_HUB_API_KEY } from '../simulators/sandbox-credentials';
import { startSandboxSimulators, type Sandbox } from '../simulators/sandbox';
import { redisAnswers, startOwnRedis, startTemporalDev } from './lib/local-services';
import { ManagedProcess } from './lib/managed-process';
import { ensureLocalTools } from './lib/tools';
import { httpOk, waitUntil } from './lib/wait';

const log = (message: string) => console.log(`[start] ${message}`);

/** Everything started so far, stopped in reverse order. */
const stoppers: { name: string; stop: () => Promise<void> }[] = [];
let shuttingDown = false;

async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    for (const { name, stop } of stoppers.reverse()) {
      log(`stopping ${name}`);
      await stop().catch((err: unknown) => log(`${name}: ${err instanceof Error ? err.message : String(err)}`));
    }
  }
  process.exit(code);
}

function onUnexpectedExit(name: string, code: number | null): void {
  if (shuttingDown) return;
  log(`${name} exited unexpectedly (code ${code}); see its log. Stopping everything.`);
  void shutdown(1);
}

function isSandbox(config: SandboxConfig): boolean {
  if (config.SANDBOX !== 'auto') return config.SANDBOX === 'true';
  return !process.env.ADVOWARE_API_BASE_URL;
}

function startHubProcess(name: 'worker' | 'gateway', env: NodeJS.ProcessEnv, logDir: string): void {
  const entry = name === 'worker' ? 'workers/main.ts' : 'api/main.ts';
  const child = new ManagedProcess(name, process.execPath, ['--import', 'tsx', entry], {
    env,
    logFile: join(logDir, `${name}.log`),
    stopTimeoutMs: 30_000,
  });
  child.start(onUnexpectedExit);
  stoppers.push({ name, stop: () => child.stop() });
}

async function startSandbox(config: SandboxConfig): Promise<void> {
  const stateDir = resolve(config.SANDBOX_STATE_DIR);
  const logDir = join(stateDir, 'log');
  mkdirSync(logDir, { recursive: true });

  log('checking the Temporal CLI and redis-server (the first run builds the CLI: a few minutes)');
  const tools = ensureLocalTools();

  log('starting the Temporal dev server');
  const temporal = await startTemporalDev(
    {
      cli: tools.temporalCli,
      port: config.SANDBOX_TEMPORAL_PORT,
      uiPort: config.SANDBOX_TEMPORAL_UI_PORT,
      dbFile: join(stateDir, 'temporal.db'),
      logFile: join(logDir, 'temporal.log'),
    },
    onUnexpectedExit,
  );
  stoppers.push({ name: 'temporal', stop: () => temporal.server.stop() });

  let redisUrl = process.env.REDIS_URL;
  if (redisUrl && (await redisAnswers(redisUrl))) {
    log(`using the Redis at REDIS_URL`);
  } else {
    if (redisUrl) log('REDIS_URL does not answer; starting a Redis of our own');
    const redis = await startOwnRedis(tools.redisServer, config.SANDBOX_REDIS_PORT, join(stateDir, 'redis'), onUnexpectedExit);
    stoppers.push({ name: 'redis', stop: () => redis.server.stop() });
    redisUrl = redis.url;
  }

  log('starting the simulators');
  const sandbox: Sandbox = await startSandboxSimulators({
    advoware: config.SANDBOX_ADVOWARE_PORT,
    espocrm: config.SANDBOX_ESPOCRM_PORT,
    google: config.SANDBOX_GOOGLE_PORT,
  });
  stoppers.push({ name: 'simulators', stop: () => sandbox.stop() });

  const apiKeys = process.env.HUB_API_KEYS || SANDBOX_HUB_API_KEY;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...sandbox.hubEnv,
    TEMPORAL_ADDRESS: temporal.address,
    REDIS_URL: redisUrl,
    HUB_API_KEYS: apiKeys,
  };
  // Validate before spawning, so a bad value is reported here and not as two crashed children.
  const gatewayConfig = parseEnv(gatewayConfigSchema, env);
  parseEnv(workerConfigSchema, env);

  log('starting the worker and the gateway');
  startHubProcess('worker', env, logDir);
  startHubProcess('gateway', env, logDir);
  const gatewayUrl = `http://127.0.0.1:${gatewayConfig.PORT}`;
  await waitUntil(() => httpOk(`${gatewayUrl}/health`), 60_000, `the gateway did not become healthy; see ${join(logDir, 'gateway.log')}`);

  // EspoCRM's webhooks point at the gateway, as an administrator would register them in the CRM.
  for (const event of ['create', 'update', 'delete']) {
    sandbox.espocrm.registerWebhook(`CBeteiligte.${event}`, `${gatewayUrl}/vmh/webhook/beteiligte/${event}`);
  }

  const firstKey = apiKeys.split(',')[0]?.trim() ?? '';
  const description = {
    mode: 'sandbox',
    gateway: { url: gatewayUrl, apiKey: firstKey },
    temporal: { address: temporal.address, uiUrl: temporal.uiUrl, namespace: gatewayConfig.TEMPORAL_NAMESPACE },
    redis: { url: redisUrl },
    simulators: sandbox.running,
    // What the worker runs with, so commands (calendar:audit, calendar:reset) reach the same simulators.
    hubEnv: { ...sandbox.hubEnv, REDIS_URL: redisUrl },
    logs: logDir,
  };
  writeFileSync(join(stateDir, 'sandbox.json'), `${JSON.stringify(description, null, 2)}\n`);

  console.log(`
bitbylaw hub is running in sandbox mode (simulated Advoware and EspoCRM).

  Gateway       ${gatewayUrl}
  API key       ${firstKey}            (header X-API-Key)
  Temporal UI   ${temporal.uiUrl}
  Temporal      ${temporal.address}
${Object.entries(sandbox.running)
  .map(([name, sim]) => `  ${name.padEnd(13)} ${sim.url}`)
  .join('\n')}

  Try: curl -H 'X-API-Key: ${firstKey}' '${gatewayUrl}/advoware/proxy?path=api/v1/advonet/Mitarbeiter'
  Everything above is also in ${join(stateDir, 'sandbox.json')}; logs in ${logDir}.
  Ctrl-C stops it all.
`);
}

async function startProduction(): Promise<void> {
  // Fails with the names of missing or invalid variables before anything starts.
  const gatewayConfig = parseEnv(gatewayConfigSchema);
  parseEnv(workerConfigSchema);
  const logDir = resolve('var/log');
  mkdirSync(logDir, { recursive: true });
  startHubProcess('worker', process.env, logDir);
  startHubProcess('gateway', process.env, logDir);
  const gatewayUrl = `http://127.0.0.1:${gatewayConfig.PORT}`;
  await waitUntil(() => httpOk(`${gatewayUrl}/health`), 60_000, `the gateway did not become healthy; see ${join(logDir, 'gateway.log')}`);
  log(`hub running against ${gatewayConfig.TEMPORAL_ADDRESS}; gateway ${gatewayUrl}; logs in ${logDir}`);
}

async function main(): Promise<void> {
  loadDotEnv();
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  const config = parseEnv(sandboxEnv);
  if (isSandbox(config)) await startSandbox(config);
  else await startProduction();
}

main().catch(async (err: unknown) => {
  console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
  await shutdown(1);
});
