import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { asyncLocalStorage, type Context } from '@temporalio/activity';
import { activityCallScope, callScopeFrom, type ActivityContextLike } from '../../activities/call-scope';
import { keepAlive, sleep, untilAborted } from '../../lib/call-scope';

/** Stands in for Temporal's activity Context: the members a call scope uses. */
function fakeContext(isLocal = false): ActivityContextLike & { controller: AbortController; beats: number } {
  const controller = new AbortController();
  const fake = {
    controller,
    beats: 0,
    info: { isLocal },
    cancellationSignal: controller.signal,
    heartbeat: () => {
      fake.beats += 1;
    },
  };
  return fake;
}

describe('activity call scope', () => {
  it('is empty outside an activity', () => {
    assert.deepEqual(callScopeFrom(() => undefined)(), {});
    // The gateway's proxy and the CLI commands call the clients this way.
    assert.deepEqual(activityCallScope(), {});
  });

  it("carries the activity's cancellation signal and heartbeat, sending at most one heartbeat a second", () => {
    const context = fakeContext();
    let clock = 0;
    const provider = callScopeFrom(
      () => context,
      () => clock,
    );
    const scope = provider();
    assert.equal(scope.signal, context.cancellationSignal);
    scope.heartbeat?.();
    assert.equal(context.beats, 0, 'an activity younger than a second sends none');
    clock = 1_000;
    scope.heartbeat?.();
    provider().heartbeat?.(); // a second call of the same activity shares its record
    assert.equal(context.beats, 1);
    clock = 1_999;
    scope.heartbeat?.();
    assert.equal(context.beats, 1);
    clock = 2_000;
    scope.heartbeat?.();
    assert.equal(context.beats, 2);
  });

  it('a local activity gets the cancellation signal but never heartbeats (the server does not know it)', () => {
    const context = fakeContext(true);
    let clock = 0;
    const scope = callScopeFrom(
      () => context,
      () => clock,
    )();
    assert.equal(scope.signal, context.cancellationSignal);
    clock = 5_000;
    scope.heartbeat?.();
    assert.equal(context.beats, 0);
  });

  it("the worker's provider reads the context of the activity running on this async path", async () => {
    const context = fakeContext();
    // The worker runs each activity inside this store; a cast, since the fake has only what the scope reads.
    const scope = await asyncLocalStorage.run(context as unknown as Context, async () => {
      await Promise.resolve();
      return activityCallScope();
    });
    assert.equal(scope.signal, context.cancellationSignal);
  });
});

describe('call scope helpers', () => {
  it('keepAlive beats at once and periodically, survives a failing heartbeat, and stops', async () => {
    let beats = 0;
    const stop = keepAlive(
      {
        heartbeat: () => {
          beats += 1;
          throw new Error('heartbeat failed');
        },
      },
      20,
    );
    assert.equal(beats, 1);
    await sleep(110);
    stop();
    const seen = beats;
    assert.ok(seen >= 5, `${seen} beats in 110 ms at 20 ms`);
    await sleep(60);
    assert.equal(beats, seen, 'no beats after stop');
  });

  it('untilAborted and sleep end with the signal reason as soon as it aborts', async () => {
    const reason = new Error('cancelled');
    const controller = new AbortController();
    const never = new Promise<never>(() => undefined);
    const racing = untilAborted(never, controller.signal);
    const sleeping = sleep(10_000, controller.signal);
    const start = performance.now();
    setTimeout(() => controller.abort(reason), 20);
    await assert.rejects(racing, (err: unknown) => err === reason);
    await assert.rejects(sleeping, (err: unknown) => err === reason);
    assert.ok(performance.now() - start < 200);
  });

  it('untilAborted leaves no unhandled rejection behind when the work fails after the abort', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    const unhandled: unknown[] = [];
    const record = (err: unknown): void => void unhandled.push(err);
    process.on('unhandledRejection', record);
    try {
      const late = sleep(10).then(() => {
        throw new Error('the abandoned work failed');
      });
      await assert.rejects(untilAborted(late, controller.signal), /cancelled/);
      await sleep(50);
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
