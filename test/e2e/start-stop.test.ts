import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import {
  descendants,
  killAll,
  listeningPorts,
  sandboxEnvironment,
  signalGroup,
  startNpm,
  stillRunning,
  withTimeout,
  type NpmStart,
} from './npm-start';

const READY_MS = 90_000;
const STOP_MS = 90_000;

/** Waits until this start wrote sandbox.json (so it printed its URLs), and returns what it runs. */
async function ready(npm: NpmStart, stateDir: string): Promise<ReturnType<typeof descendants>> {
  const file = join(stateDir, 'sandbox.json');
  const deadline = Date.now() + READY_MS;
  while (!existsSync(file)) {
    if (npm.child.exitCode !== null || npm.child.signalCode !== null) assert.fail(`npm start exited before it was ready; output:\n${npm.output()}`);
    if (Date.now() > deadline) assert.fail(`no sandbox.json after ${READY_MS} ms; output:\n${npm.output()}`);
    await sleep(250);
  }
  const gatewayUrl = (JSON.parse(readFileSync(file, 'utf8')) as { gateway: { url: string } }).gateway.url;
  assert.equal((await fetch(`${gatewayUrl}/health`)).status, 200, 'the gateway is healthy');
  const started = descendants(npm.child.pid ?? -1);
  // npm, its shell and the start script, plus Temporal, Redis, the worker and the gateway.
  assert.ok(
    started.some((p) => p.command.includes('temporal') && p.command.includes('start-dev')),
    `Temporal among ${JSON.stringify(started)}`,
  );
  assert.ok(
    started.some((p) => p.command.includes('redis-server')),
    'redis-server is running',
  );
  assert.ok(
    started.some((p) => p.command.includes('workers/main')),
    'the worker is running',
  );
  assert.ok(
    started.some((p) => p.command.includes('api/main')),
    'the gateway is running',
  );
  return started;
}

async function assertNothingLeft(processes: ReturnType<typeof descendants>, ports: number[], npm: NpmStart): Promise<void> {
  const left = stillRunning(processes);
  assert.deepEqual(
    left.map((p) => `${p.pid} ${p.command}`),
    [],
    `still running after npm returned; output:\n${npm.output()}`,
  );
  assert.deepEqual(await listeningPorts(ports), [], 'a port of the sandbox still answers after npm returned');
}

describe('npm start stops everything it started', () => {
  const stateDirs: string[] = [];
  const seen: ReturnType<typeof descendants>[] = [];
  const npms: NpmStart[] = [];

  after(() => {
    for (const npm of npms) {
      if (npm.child.exitCode === null && npm.child.signalCode === null) signalGroup(npm, 'SIGKILL');
    }
    for (const processes of seen) killAll(processes);
    for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('Ctrl-C (SIGINT to its whole process group): when npm returns, nothing it started runs or listens', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'hub-start-stop-'));
    stateDirs.push(stateDir);
    const { env, ports } = await sandboxEnvironment(stateDir);
    const npm = startNpm(env);
    npms.push(npm);
    const started = await ready(npm, stateDir);
    seen.push(started);
    assert.ok((await listeningPorts(ports)).length >= 6, 'the sandbox listens on its ports before Ctrl-C');

    // A second start on the same state folder refuses, and leaves the running one alone.
    const second = startNpm(env);
    npms.push(second);
    await withTimeout(second.exited, 60_000, 'the second npm start to give up');
    assert.match(second.output(), /already running/);
    const services = started.filter((p) => /start-dev|redis-server|workers\/main|api\/main/.test(p.command));
    assert.deepEqual(stillRunning(services), services, 'the second start must not touch the first one');
    assert.equal((await fetch(`http://127.0.0.1:${env.PORT}/health`)).status, 200);

    signalGroup(npm, 'SIGINT');
    await withTimeout(npm.exited, STOP_MS, `npm to exit after Ctrl-C; output:\n${npm.output()}`);
    await assertNothingLeft(started, ports, npm);
    assert.match(npm.output(), /stopping temporal/);
  });

  it('after npm start was killed outright, the next npm start stops the leftovers, starts cleanly, and stops everything on Ctrl-C', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'hub-start-killed-'));
    stateDirs.push(stateDir);
    const { env, ports } = await sandboxEnvironment(stateDir);

    const first = startNpm(env);
    npms.push(first);
    const firstStarted = await ready(first, stateDir);
    seen.push(firstStarted);
    signalGroup(first, 'SIGKILL'); // npm, its shell and the start script; not the children in their own groups
    await withTimeout(first.exited, 10_000, 'npm to die of SIGKILL');
    rmSync(join(stateDir, 'sandbox.json'), { force: true });

    const second = startNpm(env);
    npms.push(second);
    const secondStarted = await ready(second, stateDir);
    seen.push(secondStarted);
    assert.doesNotMatch(second.output(), /something already/);

    signalGroup(second, 'SIGINT');
    await withTimeout(second.exited, STOP_MS, `the second npm to exit after Ctrl-C; output:\n${second.output()}`);
    await assertNothingLeft([...firstStarted, ...secondStarted], ports, second);
  });
});
