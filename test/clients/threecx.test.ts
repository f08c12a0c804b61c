import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { failureDetails } from '../../clients/errors';
import { ThreeCxClient, createThreeCxClient } from '../../clients/threecx/client';
import { ConfigError, parseEnv, threecxConfigSchema } from '../../config/env';
import { isFailure } from '../../contracts/failures';
import type { RateLimiter } from '../../lib/rate-limiter';
import { ThreeCxSimulator } from '../../simulators/threecx/simulator';
import { SANDBOX_THREECX, threecxEnvFor } from '../../simulators/sandbox-credentials';
import { testRedis } from '../support/services';

const LIMIT = 20;
const sim = new ThreeCxSimulator({ apiKey: SANDBOX_THREECX.apiKey, webhookSecret: SANDBOX_THREECX.webhookSecret, rateLimit: LIMIT });
const redis = testRedis();
let baseUrl = '';

/** Lets everything through and records what the client asked of the shared limit. */
class RecordingLimiter implements RateLimiter {
  acquired = 0;
  backOffs: number[] = [];
  acquire(): Promise<void> {
    this.acquired += 1;
    return Promise.resolve();
  }
  backOff(ms: number): Promise<void> {
    this.backOffs.push(ms);
    return Promise.resolve();
  }
}

let limiter: RecordingLimiter;
const client = (apiKey = SANDBOX_THREECX.apiKey): ThreeCxClient => new ThreeCxClient({ baseUrl, apiKey, timeoutMs: 5_000, limiter });

/** The classified failure `promise` rejects with. */
async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a failure');
}

before(async () => {
  baseUrl = threecxEnvFor(await sim.start()).THREECX_API_BASE_URL ?? '';
});

after(async () => {
  await sim.stop();
  redis.disconnect();
});

beforeEach(() => {
  sim.reset();
  limiter = new RecordingLimiter();
});

describe('ThreeCxClient against the simulator', () => {
  it('initiates a call, reads its status and its recording, each under the limiter', async () => {
    const { call_id } = await client().initiateCall({ from_extension: '201', to: '+49301234567' });
    assert.equal((await client().callStatus(call_id)).status, 'ringing');
    sim.answerCall(call_id);
    sim.endCall(call_id, { duration: 17 });
    const recording = await client().recording(call_id);
    assert.equal(recording.duration, 17);
    assert.match(recording.url, /\.wav$/);
    assert.equal(limiter.acquired, 3);
    assert.deepEqual(sim.calls.byRoute(), {
      'POST /api/v1/calls/initiate': 1,
      'GET /api/v1/calls/:id/status': 1,
      'GET /api/v1/calls/:id/recording': 1,
    });
  });

  it('classifies a rejected key as ThreeCxAuthenticationFailed, not retryable', async () => {
    const failure = await failureOf(client('wrong-key').callStatus('x'));
    assert.ok(isFailure(failure, 'ThreeCx', 'AuthenticationFailed'));
    assert.equal(failure.nonRetryable, true);
    assert.equal(failureDetails(failure)?.status, 401);
  });

  it('turns 429 into ThreeCxRateLimited with Retry-After, and makes every worker back off', async () => {
    const calls = Array.from({ length: LIMIT }, () => client().initiateCall({ from_extension: '201', to: '+4930' }));
    await Promise.all(calls);
    const failure = await failureOf(client().initiateCall({ from_extension: '201', to: '+4930' }));
    assert.ok(isFailure(failure, 'ThreeCx', 'RateLimited'));
    assert.equal(failure.nonRetryable, false);
    const retryAfterMs = Number(failure.nextRetryDelay);
    assert.ok(retryAfterMs >= 1_000 && retryAfterMs <= 60_000, `next retry in ${retryAfterMs} ms`);
    assert.deepEqual(limiter.backOffs, [retryAfterMs]);
  });

  it('classifies 5xx as retryable ThreeCxServerError and 404 as non-retryable ThreeCxNotFound', async () => {
    sim.faults.add({ method: 'GET', path: '/status$', status: 503, times: 1 });
    const server = await failureOf(client().callStatus('some-call'));
    assert.ok(isFailure(server, 'ThreeCx', 'ServerError'));
    assert.equal(server.nonRetryable, false);
    assert.equal(limiter.backOffs.length, 0, 'only a rate limit pauses everyone');

    const missing = await failureOf(client().callStatus('some-call'));
    assert.ok(isFailure(missing, 'ThreeCx', 'NotFound'));
    assert.equal(missing.nonRetryable, true);
  });

  it('is wired from configuration to the Redis bucket all workers share', async () => {
    const config = parseEnv(threecxConfigSchema, threecxEnvFor(sim.url));
    const configured = createThreeCxClient(config, redis);
    const { call_id } = await configured.initiateCall({ from_extension: '201', to: '+4930' });
    assert.equal((await configured.callStatus(call_id)).call_id, call_id);
    assert.throws(() => createThreeCxClient(parseEnv(threecxConfigSchema, {}), redis), /not configured/);
    assert.throws(() => parseEnv(threecxConfigSchema, { THREECX_API_BASE_URL: sim.url }), ConfigError, 'a URL without its key');
  });
});
