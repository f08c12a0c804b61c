import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { THREECX_SIGNATURE_HEADER, type CallStatus, type ThreeCxWebhookEvent } from '../../contracts/threecx';
import { verifyThreeCxSignature } from '../../lib/threecx-signature';
import { ThreeCxSimulator, type InboundCallResult } from '../../simulators/threecx/simulator';

const API_KEY = 'test-threecx-key';
const SECRET = 'test-threecx-secret';
const LIMIT = 10;

const sim = new ThreeCxSimulator({ apiKey: API_KEY, webhookSecret: SECRET, rateLimit: LIMIT, rateWindowMs: 60_000 });
let api = '';
let admin = '';

/** What the hub's webhook route received: raw body and headers, as a signature check needs them. */
interface Received {
  raw: string;
  headers: IncomingHttpHeaders;
}
const received: Received[] = [];
let receiver: Server;
let receiverUrl = '';
const SCREEN_POP = { name: 'Erika Mustermann', betNr: 4711 };

before(async () => {
  const url = await sim.start();
  api = `${url}/api/v1`;
  admin = `${url}/__admin`;
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ raw, headers: req.headers });
      const event = JSON.parse(raw) as ThreeCxWebhookEvent;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(event.event === 'call.started' ? SCREEN_POP : { ok: true }));
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/threecx/webhook`;
});

after(async () => {
  await sim.stop();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

beforeEach(() => {
  sim.reset();
  received.length = 0;
});

const call = (method: string, path: string, body?: unknown, key: string | null = API_KEY): Promise<Response> =>
  fetch(`${api}/${path}`, {
    method,
    headers: { ...(key === null ? {} : { 'X-Api-Key': key }), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const adminPost = (path: string, body: unknown): Promise<Response> =>
  fetch(`${admin}/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('3CX simulator', () => {
  it('rejects a missing or wrong API key with 401', async () => {
    assert.equal((await call('POST', 'calls/initiate', { from_extension: '201', to: '+4930123' }, null)).status, 401);
    assert.equal((await call('GET', 'calls/x/status', undefined, 'wrong')).status, 401);
    assert.equal(sim.calls.count('POST /api/v1/calls/initiate'), 0, 'rejected before the route');
  });

  it('initiates a call and reports its status and, once ended, its recording', async () => {
    const initiated = await call('POST', 'calls/initiate', { from_extension: '201', to: '+49301234567' });
    assert.equal(initiated.status, 200);
    const { call_id } = (await initiated.json()) as { call_id: string };
    assert.ok(call_id);

    const ringing = (await (await call('GET', `calls/${call_id}/status`)).json()) as CallStatus;
    assert.deepEqual([ringing.status, ringing.direction, ringing.extension, ringing.to], ['ringing', 'outbound', '201', '+49301234567']);
    assert.equal((await call('GET', `calls/${call_id}/recording`)).status, 404, 'no recording while ringing');

    sim.answerCall(call_id);
    assert.equal((await adminPost(`calls/${call_id}/end`, { duration: 42 })).status, 200);
    const ended = (await (await call('GET', `calls/${call_id}/status`)).json()) as CallStatus;
    assert.deepEqual([ended.status, ended.outcome, ended.duration], ['ended', 'answered', 42]);
    const recording = (await (await call('GET', `calls/${call_id}/recording`)).json()) as { url: string; duration: number };
    assert.equal(recording.duration, 42);
    assert.equal((await call('GET', recording.url.slice(api.length + 1))).status, 200, 'the recording URL serves');

    assert.equal((await call('GET', 'calls/unknown/status')).status, 404);
    assert.equal((await call('POST', 'calls/initiate', { to: '+4930' })).status, 400);
    assert.equal(sim.calls.count('POST /api/v1/calls/initiate'), 2);
  });

  it('answers 429 with Retry-After beyond the per-key limit', async () => {
    for (let i = 0; i < LIMIT; i += 1) assert.equal((await call('GET', 'calls/none/status')).status, 404);
    const limited = await call('GET', 'calls/none/status');
    assert.equal(limited.status, 429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal((await call('GET', 'calls/none/status', undefined, 'stranger')).status, 401, 'auth comes first');
    sim.reset();
    assert.equal((await call('GET', 'calls/none/status')).status, 404, 'reset clears the window');
  });

  it('injects faults through the admin API', async () => {
    const fault = await adminPost('faults', { method: 'POST', path: '^/api/v1/calls/initiate$', status: 503, times: 1 });
    assert.equal(fault.status, 201);
    assert.equal((await call('POST', 'calls/initiate', { from_extension: '201', to: '+4930' })).status, 503);
    assert.equal((await call('POST', 'calls/initiate', { from_extension: '201', to: '+4930' })).status, 200);
    assert.equal(sim.calls.filter().filter((c) => c.faulted).length, 1);
  });

  it('plays an inbound call: signed events, and the hub answers in the result', async () => {
    const res = await adminPost('inbound-call', {
      from: '+491701234567',
      to: '+4930999',
      extension: '201',
      duration: 30,
      transfer_to: '202',
      webhook_url: receiverUrl,
    });
    assert.equal(res.status, 200);
    const result = (await res.json()) as InboundCallResult;
    assert.deepEqual(
      result.deliveries.map((d) => [d.event, d.status]),
      [
        ['call.started', 200],
        ['call.transferred', 200],
        ['call.ended', 200],
      ],
    );
    assert.deepEqual(result.deliveries[0]?.body, SCREEN_POP, 'the screen pop comes back to the caller');

    assert.equal(received.length, 3);
    for (const r of received) {
      const signature = r.headers[THREECX_SIGNATURE_HEADER.toLowerCase()];
      assert.equal(typeof signature, 'string');
      assert.ok(verifyThreeCxSignature(SECRET, r.raw, signature as string), 'signature verifies');
      assert.ok(!verifyThreeCxSignature('another-secret', r.raw, signature as string));
    }
    const [started, transferred, ended] = received.map((r) => JSON.parse(r.raw) as Record<string, unknown>);
    assert.deepEqual(
      { ...started, started_at: undefined },
      { event: 'call.started', call_id: result.call_id, from: '+491701234567', to: '+4930999', extension: '201', started_at: undefined },
    );
    assert.deepEqual([transferred?.from_extension, transferred?.to_extension], ['201', '202']);
    assert.equal(ended?.duration, 30);
    assert.equal(ended?.outcome, 'answered');
    assert.match(String(ended?.recording_url), new RegExp(`/recordings/${result.call_id}\\.wav$`));
    assert.equal(sim.getCall(result.call_id)?.status, 'ended');
  });

  it('plays a missed inbound call against the configured webhook', async () => {
    assert.equal((await adminPost('inbound-call', { from: '+4917', to: '+4930', extension: '201' })).status, 409, 'no webhook yet');
    sim.setWebhookUrl(receiverUrl);
    const result = (await (
      await adminPost('inbound-call', { from: '+4917', to: '+4930', extension: '201', answered: false })
    ).json()) as InboundCallResult;
    assert.deepEqual(
      result.deliveries.map((d) => d.event),
      ['call.started', 'call.ended'],
    );
    const ended = JSON.parse(received[1]?.raw ?? '{}') as Record<string, unknown>;
    assert.deepEqual([ended.duration, ended.outcome, ended.recording_url], [0, 'missed', undefined]);
    assert.equal((await adminPost('inbound-call', { from: '+4917' })).status, 400);
  });
});
