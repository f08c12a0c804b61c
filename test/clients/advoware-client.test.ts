import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import type { Redis } from 'ioredis';
import { createAdvowareClient, type AdvowareClient } from '../../clients/advoware/client';
import { failureDetails } from '../../clients/errors';
import { advowareEnv, parseEnv } from '../../config/env';
import { AdvowareSimulator } from '../../simulators/advoware/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS, advowareEnvFor } from '../../simulators/sandbox-credentials';
import { testRedis } from '../support/services';

const BETEILIGTE = 'api/v1/advonet/Beteiligte';
const GET_PARTY_ROUTE = `GET /${BETEILIGTE}/:betNr`;

/** The hub's production wiring against a simulator, with a token key of the test's own. */
function clientFor(url: string, redis: Redis, tokenKey: string, env: Record<string, string> = {}): AdvowareClient {
  const config = parseEnv(advowareEnv, { ...advowareEnvFor(url), ADVOWARE_TIMEOUT_MS: '2000', ...env });
  return createAdvowareClient(config, redis, tokenKey);
}

/** Runs `call`, which must fail with an ApplicationFailure, and hands the failure over. */
async function failureOf(call: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await call;
  } catch (err) {
    assert.ok(err instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(err)}`);
    return err;
  }
  assert.fail('the call succeeded');
}

/** Everything of a failure that ends up in logs and workflow histories. */
const visibleText = (err: ApplicationFailure): string =>
  [err.message, err.stack ?? '', JSON.stringify(err.details ?? []), String(err.cause ?? '')].join('\n');

describe('AdvowareClient against the simulator with a real Redis', () => {
  const sim = new AdvowareSimulator({ credentials: SANDBOX_ADVOWARE_CREDENTIALS });
  let url = '';
  let redisA: Redis;
  let redisB: Redis;
  let tokenKey = '';

  before(async () => {
    url = await sim.start();
    redisA = testRedis();
    redisB = testRedis();
  });
  after(async () => {
    await sim.stop();
    redisA.disconnect();
    redisB.disconnect();
  });
  beforeEach(() => {
    sim.reset();
    // A key of each test's own, so no test sees another's token or lock.
    tokenKey = `test:advoware_access_token:${randomUUID()}`;
  });
  afterEach(async () => {
    await redisA.del(tokenKey, `${tokenKey}:refresh-lock`);
  });

  describe('shared token', () => {
    it('two client instances on separate Redis connections fetch one token between them', async () => {
      const first = clientFor(url, redisA, tokenKey);
      const second = clientFor(url, redisB, tokenKey);
      assert.equal((await first.getBeteiligte(100001)).name, 'Mustermann');
      assert.equal((await second.getBeteiligte(100002)).name, 'Musterfrau');
      assert.deepEqual(await second.listMitarbeiter().then((list) => list.length > 0), true);
      assert.equal(sim.tokensIssued, 1);
      assert.ok((await redisA.ttl(tokenKey)) > 50 * 60, 'cached for about 53 minutes');
    });

    it('20 concurrent cache misses across two instances make one token request', async () => {
      const clients = [clientFor(url, redisA, tokenKey), clientFor(url, redisB, tokenKey)];
      const beteiligteList = await Promise.all(Array.from({ length: 20 }, (_, i) => clients[i % 2]!.getBeteiligte(100001)));
      assert.equal(sim.tokensIssued, 1);
      assert.equal(sim.calls.count('POST /api/v1/Token'), 1);
      assert.equal(sim.calls.count(GET_PARTY_ROUTE), 20);
      assert.ok(beteiligteList.every((p) => p.betNr === 100001));
    });

    it('after the tokens expire, the next call gets 401, refreshes once and succeeds', async () => {
      const client = clientFor(url, redisA, tokenKey);
      await client.getBeteiligte(100001);
      const oldToken = await redisA.get(tokenKey);
      sim.expireTokens();

      const beteiligte = await client.getBeteiligte(100003);
      assert.equal(beteiligte.betNr, 100003);
      assert.equal(beteiligte.name, 'Schmidt Immobilien GmbH');
      assert.equal(sim.tokensIssued, 2);
      assert.deepEqual(
        sim.calls.filter(GET_PARTY_ROUTE).map((c) => c.status),
        [200, 401, 200],
      );
      const newToken = await redisA.get(tokenKey);
      assert.ok(newToken && newToken !== oldToken, 'the new token replaced the rejected one in Redis');
    });

    it('a second 401 after the refresh is not retried again: it fails as AdvowareUnauthorized (retryable)', async () => {
      const client = clientFor(url, redisA, tokenKey);
      sim.faults.add({ path: 'Beteiligte', status: 401, times: 2 });
      const err = await failureOf(client.getBeteiligte(100001));
      assert.equal(err.type, 'AdvowareUnauthorized');
      assert.equal(err.nonRetryable, false);
      // Faulted calls never reach a route handler, so they are logged under their path, not the pattern.
      assert.deepEqual(
        sim.calls.filter(/^GET \/api\/v1\/advonet\/Beteiligte\//).map((c) => [c.status, c.faulted]),
        [
          [401, true],
          [401, true],
        ],
      );
      assert.equal(sim.tokensIssued, 2);
    });
  });

  describe('error classification', () => {
    const expectFailure = (err: ApplicationFailure, type: string, nonRetryable: boolean, status?: number): void => {
      assert.equal(err.type, type);
      assert.equal(err.nonRetryable, nonRetryable, `${type} nonRetryable`);
      const details = failureDetails(err);
      assert.equal(details?.system, 'Advoware');
      if (status !== undefined) assert.equal(details?.status, status);
    };

    it('404 for an unknown Beteiligte is AdvowareNotFound, non-retryable', async () => {
      const err = await failureOf(clientFor(url, redisA, tokenKey).getBeteiligte(999999));
      expectFailure(err, 'AdvowareNotFound', true, 404);
      assert.match(err.message, /GET api\/v1\/advonet\/Beteiligte\/999999: HTTP 404/);
    });

    it('403 for a delete Advoware forbids is AdvowareForbidden, non-retryable', async () => {
      const err = await failureOf(clientFor(url, redisA, tokenKey).call('DELETE', `${BETEILIGTE}/100001/Kommunikationen/1`));
      expectFailure(err, 'AdvowareForbidden', true, 403);
    });

    it('400 for an invalid write is AdvowareBadRequest, non-retryable', async () => {
      const err = await failureOf(clientFor(url, redisA, tokenKey).updateBeteiligte(100001, { vorname: 'ohne Name' }));
      expectFailure(err, 'AdvowareBadRequest', true, 400);
    });

    for (const [status, type] of [
      [500, 'AdvowareServerError'],
      [503, 'AdvowareServerError'],
      [429, 'AdvowareRateLimited'],
    ] as const) {
      it(`${status} is ${type}, retryable`, async () => {
        sim.faults.add({ path: 'Beteiligte', status, times: 1 });
        const client = clientFor(url, redisA, tokenKey);
        expectFailure(await failureOf(client.getBeteiligte(100001)), type, false, status);
        // The fault is used up: the same call now works.
        assert.equal((await client.getBeteiligte(100001)).betNr, 100001);
      });
    }

    it('an answer slower than the client time-out is AdvowareTimeout, retryable', async () => {
      const client = clientFor(url, redisA, tokenKey, { ADVOWARE_TIMEOUT_MS: '300' });
      sim.faults.add({ path: 'Beteiligte', latencyMs: 1_500, times: 1 });
      const started = Date.now();
      const err = await failureOf(client.getBeteiligte(100001));
      expectFailure(err, 'AdvowareTimeout', false);
      assert.ok(Date.now() - started < 1_200, 'gave up at the time-out, not when the answer came');
    });
  });

  describe('single-entity answers', () => {
    const objectSim = new AdvowareSimulator({ credentials: SANDBOX_ADVOWARE_CREDENTIALS, singleGetShape: 'object' });
    let objectUrl = '';
    before(async () => {
      objectUrl = await objectSim.start();
    });
    after(() => objectSim.stop());

    it('GET of one Beteiligte works whether Advoware answers a one-element array or an object', async () => {
      const fromArray = await clientFor(url, redisA, tokenKey).getBeteiligte(100002);
      const fromObject = await clientFor(objectUrl, redisA, `${tokenKey}:object`).getBeteiligte(100002);
      await redisA.del(`${tokenKey}:object`);
      for (const beteiligte of [fromArray, fromObject]) {
        assert.ok(!Array.isArray(beteiligte));
        assert.equal(beteiligte.betNr, 100002);
        assert.equal(beteiligte.name, 'Musterfrau');
        assert.equal(beteiligte.kommunikation?.length, 3);
      }
    });

    it('POST answers an object and PUT an array; both come back as the entity with the current rowId', async () => {
      const client = clientFor(url, redisA, tokenKey);
      const created = await client.createBeteiligte({ name: 'Client GmbH', rechtsform: 'GmbH' });
      assert.equal(typeof created.betNr, 'number');
      const updated = await client.updateBeteiligte(created.betNr, { name: 'Client AG', rechtsform: 'AG' });
      assert.equal(updated.betNr, created.betNr);
      assert.equal(updated.name, 'Client AG');
      assert.notEqual(updated.rowId, created.rowId);
      assert.equal(updated.rowId, sim.getBeteiligte(created.betNr).rowId);
    });
  });

  describe('wrong credentials', () => {
    const secrets = {
      password: SANDBOX_ADVOWARE_CREDENTIALS.password,
      apiKey: SANDBOX_ADVOWARE_CREDENTIALS.apiKeyBase64,
    };

    for (const [label, env] of [
      ['a wrong password', { ADVOWARE_PASSWORD: 'wrong-password-4711' }],
      ['a wrong API key', { ADVOWARE_API_KEY: Buffer.from('wrong-api-key-4711').toString('base64') }],
      ['a wrong user', { ADVOWARE_USER: 'nobody' }],
    ] as const) {
      it(`${label} gives a clear non-retryable AdvowareAuthenticationFailed without any secret in it`, async () => {
        const client = clientFor(url, redisA, tokenKey, env);
        const err = await failureOf(client.getBeteiligte(100001));
        assert.equal(err.type, 'AdvowareAuthenticationFailed');
        assert.equal(err.nonRetryable, true);
        assert.equal(failureDetails(err)?.status, 401);
        assert.match(err.message, /token request rejected/);
        assert.match(err.message, /ADVOWARE_\* credentials/);
        const text = visibleText(err);
        for (const secret of [...Object.values(secrets), ...Object.values(env)]) {
          assert.ok(!text.includes(secret), `a secret leaked into the failure: ${text}`);
        }
        assert.equal(sim.calls.count(GET_PARTY_ROUTE), 0, 'no API call without a token');
        assert.equal(await redisA.get(tokenKey), null, 'nothing cached');
        assert.equal(await redisA.exists(`${tokenKey}:refresh-lock`), 0, 'no lock left behind');
      });
    }

    it('failures of API calls carry neither the token nor a credential', async () => {
      const client = clientFor(url, redisA, tokenKey);
      const err = await failureOf(client.getBeteiligte(999999));
      const token = await redisA.get(tokenKey);
      assert.ok(token);
      const text = visibleText(err);
      for (const secret of [token, ...Object.values(secrets)]) assert.ok(!text.includes(secret), 'a secret leaked');
    });
  });
});
