import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startRedis, startTemporalDev } from '../../scripts/lib/local-services';
import { Supervisor } from '../../scripts/lib/supervisor';
import { freePort } from '../../scripts/lib/wait';
import { cliCodecFlags } from '../support/services';
import { workflowBundleOptions } from '../../workers/workflow-bundle';
import { startSandboxSimulators, type Sandbox } from '../../simulators/sandbox';

const run = promisify(execFile);

/**
 * What production runs (the Dockerfile, production `npm start`): `npm run build`'s JavaScript and its
 * prebuilt workflow bundle, with node and no tsx. Temporal, Redis and the simulators are the test's own,
 * so the worker's schedules and calendar cursors do not meet other tests'.
 */
describe('the compiled hub (npm run build)', () => {
  // Inside the repository, so that the compiled files find node_modules; var/ is not part of the build.
  mkdirSync(resolve('var'), { recursive: true });
  const outDir = mkdtempSync(resolve('var', 'build-test-'));
  const services = new Supervisor({ log: () => undefined, onUnexpectedExit: () => undefined });
  let sandbox: Sandbox | undefined;
  let gatewayUrl = '';
  let temporalAddress = '';
  const workerLog = join(outDir, 'worker.log');

  before(async () => {
    await run(process.execPath, ['--import', 'tsx', 'scripts/build-dist.ts', '--out', outDir], { maxBuffer: 16 * 1024 * 1024 });
    const temporal = await startTemporalDev(services, {
      cli: process.env.TEMPORAL_CLI ?? 'temporal',
      port: await freePort(),
      logFile: join(outDir, 'temporal.log'),
    });
    temporalAddress = temporal.address;
    const redis = await startRedis(services, {
      bin: process.env.REDIS_SERVER ?? '',
      port: await freePort(),
      dir: join(outDir, 'redis'),
      persist: false,
    });
    // Port 0: the simulators listen in this process, so the OS picks their ports without a race with other tests.
    sandbox = await startSandboxSimulators({ advoware: 0, espocrm: 0, google: 0, threecx: 0 });
    const port = await freePort();
    gatewayUrl = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...sandbox.hubEnv,
      TEMPORAL_ADDRESS: temporal.address,
      REDIS_URL: redis.url,
      HUB_API_KEYS: 'compiled-test-key',
      PORT: String(port),
      WORKER_METRICS_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
    };
    services.spawn('worker', process.execPath, [join(outDir, 'workers/main.js')], { env, logFile: workerLog });
    services.spawn('gateway', process.execPath, [join(outDir, 'api/main.js')], { env, logFile: join(outDir, 'gateway.log') });
    const deadline = Date.now() + 60_000;
    while (!(existsSync(workerLog) && readFileSync(workerLog, 'utf8').includes('worker running'))) {
      if (Date.now() > deadline) assert.fail(`the compiled worker did not start:\n${existsSync(workerLog) ? readFileSync(workerLog, 'utf8') : ''}`);
      await sleep(250);
    }
  });

  after(async () => {
    await services.stopAll();
    await sandbox?.stop();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('emits the entry points and the workflow bundle', () => {
    for (const file of ['workers/main.js', 'api/main.js', 'workflow-bundle.js']) assert.ok(existsSync(join(outDir, file)), `${file} is missing`);
    assert.ok(!existsSync(join(outDir, 'test')), 'tests are not part of the build');
    assert.ok(!existsSync(join(outDir, 'bench')), 'benchmarks are not part of the build');
  });

  it('the bundle loads the shared libraries once, before any workflow (workers/workflow-bundle.ts)', () => {
    const code = readFileSync(join(outDir, 'workflow-bundle.js'), 'utf8');
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(code)?.[1] ?? '';
    // webpack drops a bare require of a package marked side-effect free: each must still be required here.
    const required = [...preload.matchAll(/__webpack_require__\([^)]*?"\.\/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].map((m) => m[1]);
    const packages = workflowBundleOptions.preloadModules.map((name) => name.split('/')[0]);
    assert.deepEqual(required, packages);
  });

  it('the worker loads the prebuilt bundle instead of bundling at start', () => {
    // With workflowsPath the SDK runs webpack and logs "Workflow bundle created" at info level.
    assert.doesNotMatch(readFileSync(workerLog, 'utf8'), /Workflow bundle created|webpack/i);
  });

  it('runs a workflow end to end: the compiled gateway starts it, the compiled worker completes it', async () => {
    let health = 0;
    for (let attempt = 0; attempt < 120 && health !== 200; attempt++) {
      health = await fetch(`${gatewayUrl}/health`).then(
        (res) => res.status,
        () => 0,
      );
      if (health !== 200) await sleep(250);
    }
    assert.equal(health, 200, 'the compiled gateway is healthy');
    const res = await fetch(`${gatewayUrl}/advoware/calendar/sync`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': 'compiled-test-key' },
      body: JSON.stringify({ kuerzel: 'ALL' }),
    });
    assert.equal(res.status, 202);
    const cli = process.env.TEMPORAL_CLI ?? 'temporal';
    const { stdout } = await run(cli, [
      'workflow',
      'result',
      '--workflow-id',
      'calendar-sync-all',
      '--address',
      temporalAddress,
      '--output',
      'json',
      ...cliCodecFlags(gatewayUrl, 'compiled-test-key'),
    ]);
    assert.match(stdout, /"status":\s*"COMPLETED"/, stdout);
    assert.match(stdout, /"synced":\s*3/, `three active employees synced: ${stdout}`);
  });
});
