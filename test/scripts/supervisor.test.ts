import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { Supervisor } from '../../scripts/lib/supervisor';

const dir = mkdtempSync(join(tmpdir(), 'hub-supervisor-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A child that exits with code 3 at once: a crash loop. */
const crashing = ['-e', 'process.exit(3)'];

function supervisor(delaysMs: number[], healthyAfterMs = 60_000) {
  const logs: string[] = [];
  const exits: { name: string; code: number | null }[] = [];
  const hub = new Supervisor({
    log: (message) => logs.push(message),
    onUnexpectedExit: (name, code) => exits.push({ name, code }),
    restart: { delaysMs, healthyAfterMs },
  });
  return { hub, logs, exits };
}

async function until(probe: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('Supervisor: restarting children that die on their own', () => {
  it('restarts a crashing child after each delay, then gives up and reports the exit once', async () => {
    const { hub, logs, exits } = supervisor([10, 20]);
    hub.spawn('crasher', process.execPath, crashing, { logFile: join(dir, 'crasher.log') });
    await until(() => exits.length > 0, 'the give-up');
    assert.deepEqual(exits, [{ name: 'crasher', code: 3 }]);
    assert.equal(logs.filter((line) => line.startsWith('crasher exited unexpectedly (code 3); restarting')).length, 2);
    assert.equal(logs.filter((line) => line.startsWith('crasher restarted')).length, 2);
    await hub.stopAll();
  });

  it('a child that stays up is not restarted; stopping cancels a pending restart', async () => {
    const { hub, logs, exits } = supervisor([300]);
    const steady = hub.spawn('steady', process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { logFile: join(dir, 'steady.log') });
    hub.spawn('crasher', process.execPath, crashing, { logFile: join(dir, 'crasher2.log') });
    await until(() => logs.some((line) => line.startsWith('crasher exited unexpectedly')), 'the first crash');
    await hub.stopAll();
    await sleep(400);
    assert.equal(logs.filter((line) => line.startsWith('crasher restarted')).length, 0, 'no restart once stopping');
    assert.deepEqual(exits, [], 'a stop is no unexpected exit');
    assert.equal(steady.hasExited, true, 'stopped by stopAll');
  });

  it('the count starts over once a child ran healthyAfterMs', async () => {
    const { hub, logs, exits } = supervisor([10], 0);
    hub.spawn('crasher', process.execPath, crashing, { logFile: join(dir, 'crasher3.log') });
    await until(() => logs.filter((line) => line.startsWith('crasher restarted')).length >= 3, 'three restarts');
    await hub.stopAll();
    assert.deepEqual(exits, [], 'every crash came after a "healthy" run, so it never gave up');
  });
});
