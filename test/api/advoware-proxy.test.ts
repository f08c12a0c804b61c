import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { AdvowareSimulator } from '../../simulators/advoware/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS } from '../../simulators/sandbox-credentials';
import { TEST_API_KEY, startTestGateway, type TestGateway } from '../support/gateway';
import { startPrivateRedis, testRedis, type PrivateRedis } from '../support/services';

const BETEILIGTE = 'api/v1/advonet/Beteiligte';

describe('gateway: Advoware proxy', () => {
  const sim = new AdvowareSimulator({ credentials: SANDBOX_ADVOWARE_CREDENTIALS });
  let redis: Redis;
  let gateway: TestGateway;

  const proxy = (method: string, query: string, body?: unknown, apiKey: string | null = TEST_API_KEY) =>
    fetch(`${gateway.url}/advoware/proxy?${query}`, {
      method,
      headers: {
        ...(apiKey === null ? {} : { 'X-API-Key': apiKey }),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  before(async () => {
    const url = await sim.start();
    redis = testRedis();
    gateway = await startTestGateway({ advowareUrl: url, tokenRedis: redis });
  });
  after(async () => {
    await gateway.close();
    await sim.stop();
    redis.disconnect();
  });
  beforeEach(() => sim.reset());

  it('GET reaches the simulator with a valid token and returns its status and body', async () => {
    const beteiligte = sim.listBeteiligte()[0];
    assert.ok(beteiligte, 'the demo seed has Beteiligte');
    const res = await proxy('GET', `path=${BETEILIGTE}/${beteiligte.betNr}`);
    assert.equal(res.status, 200);
    const body: unknown = await res.json();
    const entity = Array.isArray(body) ? (body[0] as Record<string, unknown>) : (body as Record<string, unknown>);
    assert.equal(entity.betNr, beteiligte.betNr);
    assert.equal(entity.name, beteiligte.name);
    assert.equal(sim.calls.count(`GET /${BETEILIGTE}/:betNr`), 1);
    assert.equal(sim.tokensIssued, 1);
  });

  it('passes Advoware error statuses through (404 for an unknown Beteiligte)', async () => {
    const res = await proxy('GET', `path=${BETEILIGTE}/999999`);
    assert.equal(res.status, 404);
  });

  it('POST creates, PUT updates and DELETE reaches the simulator, with query and body forwarded', async () => {
    const created = await proxy('POST', `path=${BETEILIGTE}`, { name: 'Proxy GmbH', rechtsform: 'GmbH' });
    assert.ok(created.status === 200 || created.status === 201, `POST answered ${created.status}`);
    const createdBody = (await created.json()) as { betNr: number } | { betNr: number }[];
    const betNr = Array.isArray(createdBody) ? createdBody[0]?.betNr : createdBody.betNr;
    assert.ok(typeof betNr === 'number');
    assert.equal(sim.getBeteiligte(betNr).name, 'Proxy GmbH');

    const updated = await proxy('PUT', `endpoint=${BETEILIGTE}/${betNr}`, { name: 'Proxy AG', rechtsform: 'AG' });
    assert.equal(updated.status, 200);
    assert.equal(sim.getBeteiligte(betNr).name, 'Proxy AG');

    // Advoware forbids deleting Beteiligte: the proxy returns that answer unchanged.
    const deleted = await proxy('DELETE', `path=${BETEILIGTE}/${betNr}`);
    assert.equal(deleted.status, 403);
    assert.equal(sim.calls.count(/^DELETE /), 1);
    assert.equal(sim.getBeteiligte(betNr).name, 'Proxy AG');
  });

  it('DELETE of an appointment succeeds and query parameters reach Advoware', async () => {
    const [employee] = sim.listMitarbeiter();
    assert.ok(employee);
    const termin = sim.addTermin({
      kuerzel: employee.kuerzel,
      betreff: 'Proxy',
      datum: '2026-12-01T00:00:00',
      uhrzeitVon: '10:00:00',
      uhrzeitBis: '11:00:00',
    });
    const listed = await proxy('GET', `path=api/v1/advonet/Termine&kuerzel=${employee.kuerzel}&from=2026-12-01&to=2026-12-01`);
    assert.equal(listed.status, 200);
    const list = (await listed.json()) as { frNr: number }[];
    assert.ok(list.some((t) => t.frNr === termin.frNr));

    const deleted = await proxy('DELETE', `path=api/v1/advonet/Termine/${termin.frNr}`);
    assert.ok(deleted.status >= 200 && deleted.status < 300, `DELETE answered ${deleted.status}`);
    assert.ok(!sim.listTermine(employee.kuerzel).some((t) => t.frNr === termin.frNr));
  });

  for (const [label, query] of [
    ['an absolute URL', 'path=http://evil.example/x'],
    ['a scheme-relative URL', 'path=//evil.example/x'],
    ['a traversal', `path=${encodeURIComponent('../secret')}`],
    ['an encoded traversal', 'path=api/v1/%2e%2e/%2e%2e/x'],
    ['a double-encoded traversal', 'path=api/v1/%252e%252e/x'],
    ['a missing path', 'foo=bar'],
  ] as const) {
    it(`rejects ${label} with 400 and calls nothing`, async () => {
      const res = await proxy('GET', query);
      assert.equal(res.status, 400);
      const body = (await res.json()) as { error: string };
      assert.ok(body.error.length > 0);
      assert.equal(sim.calls.count(), 0);
    });
  }

  it('answers 401 without or with a wrong API key, before calling Advoware', async () => {
    assert.equal((await proxy('GET', `path=${BETEILIGTE}/1`, undefined, null)).status, 401);
    assert.equal((await proxy('GET', `path=${BETEILIGTE}/1`, undefined, 'wrong-key')).status, 401);
    assert.equal(sim.calls.count(), 0);
  });

  it('answers 413 for a body over the limit and 400 for malformed JSON', async () => {
    const big = await proxy('POST', `path=${BETEILIGTE}`, { name: 'x'.repeat(200_000) });
    assert.equal(big.status, 413);
    const bad = await fetch(`${gateway.url}/advoware/proxy?path=${BETEILIGTE}`, {
      method: 'POST',
      headers: { 'X-API-Key': TEST_API_KEY, 'Content-Type': 'application/json' },
      body: '{"name":',
    });
    assert.equal(bad.status, 400);
    assert.equal(sim.calls.count(), 0);
  });

  it('answers 504 when Advoware does not answer in time', async () => {
    sim.faults.add({ path: 'Beteiligte', latencyMs: 3_000, times: 1 });
    const res = await proxy('GET', `path=${BETEILIGTE}/1`);
    assert.equal(res.status, 504);
  });

  it('serves Prometheus metrics without an API key, counting proxy calls by Advoware status', async () => {
    const notFoundCalls = async () => {
      const res = await fetch(`${gateway.url}/metrics`);
      assert.equal(res.status, 200);
      const match = /hub_advoware_proxy_calls_total\{method="GET",status="404"\} (\d+)/.exec(await res.text());
      return Number(match?.[1] ?? 0);
    };
    const before = await notFoundCalls();
    await proxy('GET', `path=${BETEILIGTE}/999999`);
    assert.equal(await notFoundCalls(), before + 1);
  });
});

describe('gateway: /health', () => {
  let privateRedis: PrivateRedis;
  let gateway: TestGateway;
  let readinessRedis: Redis;
  let tokenRedis: Redis;
  const sim = new AdvowareSimulator({ credentials: SANDBOX_ADVOWARE_CREDENTIALS });

  before(async () => {
    privateRedis = await startPrivateRedis();
    readinessRedis = new Redis(privateRedis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    readinessRedis.on('error', () => undefined);
    tokenRedis = testRedis();
    gateway = await startTestGateway({ advowareUrl: await sim.start(), tokenRedis, readinessRedis, tokenKey: `test:${randomUUID()}` });
  });
  after(async () => {
    await gateway.close();
    await sim.stop();
    readinessRedis.disconnect();
    tokenRedis.disconnect();
    await privateRedis.stop();
  });

  it('is 200 while Temporal and Redis answer, and 503 naming Redis once Redis is stopped', async () => {
    const healthy = await fetch(`${gateway.url}/health`);
    assert.equal(healthy.status, 200);
    assert.deepEqual(((await healthy.json()) as { checks: unknown }).checks, { temporal: { ok: true }, redis: { ok: true } });

    await privateRedis.stop();
    const down = await fetch(`${gateway.url}/health`);
    assert.equal(down.status, 503);
    const body = (await down.json()) as { checks: { temporal: { ok: boolean }; redis: { ok: boolean } } };
    assert.equal(body.checks.temporal.ok, true);
    assert.equal(body.checks.redis.ok, false);
  });
});
