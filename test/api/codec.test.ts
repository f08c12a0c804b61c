import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Redis } from 'ioredis';
import { ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../lib/payload-codec';
import { TEST_API_KEY, TEST_CODEC_UI_TOKEN, TEST_UI_ORIGIN, startTestGateway, type TestGateway } from '../support/gateway';
import { testPayloadKeys, testRedis } from '../support/services';

interface JsonPayload {
  metadata: Record<string, string>;
  data: string;
}

const b64 = (text: string) => Buffer.from(text).toString('base64');
const unb64 = (text: string | undefined) => Buffer.from(text ?? '', 'base64').toString();

/** A payload as the worker's JSON converter writes it, in the codec protocol's JSON. */
function jsonPayload(value: unknown): JsonPayload {
  const payload = defaultPayloadConverter.toPayload(value);
  const metadata = Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]));
  return { metadata, data: Buffer.from(payload.data ?? []).toString('base64') };
}

const party = { name: 'Zacharias Quellmann-Obersteiner', iban: 'DE89370400440532013000' };

describe('codec endpoint /codec (Temporal remote codec protocol)', () => {
  let redis: Redis;
  let gateway: TestGateway;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const bearer = { authorization: `Bearer ${TEST_API_KEY}` };

  before(async () => {
    redis = testRedis();
    gateway = await startTestGateway({ advowareUrl: 'http://127.0.0.1:9', tokenRedis: redis });
  });
  after(async () => {
    await gateway.close();
    redis.disconnect();
  });

  it('answers 401 without an API key, or with a wrong one, and encodes nothing', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong' }, { 'x-api-key': 'wrong' }];
    for (const headers of attempts) {
      for (const path of ['/codec/encode', '/codec/decode']) {
        const res = await post(path, { payloads: [jsonPayload(party)] }, headers);
        assert.equal(res.status, 401, `${path} ${JSON.stringify(headers)}`);
        assert.ok(!(await res.text()).includes(b64(JSON.stringify(party)).slice(0, 20)));
      }
    }
  });

  it('encodes with the key as Bearer (the CLI) and decodes back with X-API-Key, without plaintext in between', async () => {
    const original = [jsonPayload(party), jsonPayload(null)];
    const encodedRes = await post('/codec/encode', { payloads: original }, bearer);
    assert.equal(encodedRes.status, 200);
    const encoded = ((await encodedRes.json()) as { payloads: JsonPayload[] }).payloads;
    assert.equal(encoded.length, 2);
    const [first] = encoded;
    assert.equal(unb64(first?.metadata.encoding), ENCRYPTED_ENCODING);
    assert.equal(unb64(first?.metadata[KEY_ID_METADATA]), testPayloadKeys()[0]?.id);
    assert.ok(
      !Buffer.from(first?.data ?? '', 'base64')
        .toString('latin1')
        .includes(party.name),
    );

    const decodedRes = await post('/codec/decode', { payloads: encoded }, { 'x-api-key': TEST_API_KEY });
    assert.equal(decodedRes.status, 200);
    assert.deepEqual(((await decodedRes.json()) as { payloads: JsonPayload[] }).payloads, original);
  });

  it('decodes a payload that was never encrypted as it is', async () => {
    const plain = [jsonPayload(party)];
    const res = await post('/codec/decode', { payloads: plain }, bearer);
    assert.equal(res.status, 200);
    assert.deepEqual(((await res.json()) as { payloads: JsonPayload[] }).payloads, plain);
  });

  it('answers 422 naming the key id for a tampered payload or an unknown key', async () => {
    const encoded = ((await (await post('/codec/encode', { payloads: [jsonPayload(party)] }, bearer)).json()) as { payloads: JsonPayload[] })
      .payloads[0]!;
    const bytes = Buffer.from(encoded.data, 'base64');
    bytes[15] = (bytes[15] ?? 0) ^ 0xff;
    const tampered = await post('/codec/decode', { payloads: [{ ...encoded, data: bytes.toString('base64') }] }, bearer);
    assert.equal(tampered.status, 422);
    assert.match(((await tampered.json()) as { error: string }).error, /key "test" failed authentication/);

    const unknown = await post(
      '/codec/decode',
      { payloads: [{ ...encoded, metadata: { ...encoded.metadata, [KEY_ID_METADATA]: b64('retired') } }] },
      bearer,
    );
    assert.equal(unknown.status, 422);
    assert.match(((await unknown.json()) as { error: string }).error, /key "retired", which is not configured/);
  });

  it('answers `{}` (what the temporal CLI sends when it has no payloads) with no payloads', async () => {
    const res = await post('/codec/encode', {}, bearer);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { payloads: [] });
  });

  it('answers 400 for a body that is not the protocol, and 413 over the size limit', async () => {
    const bad: unknown[] = [
      [],
      { payloads: 'x' },
      { payloads: [5] },
      { payloads: [{ data: 'not base64!' }] },
      { payloads: [{ metadata: { encoding: '%%' }, data: '' }] },
    ];
    for (const body of bad) {
      const res = await post('/codec/decode', body, bearer);
      assert.equal(res.status, 400, JSON.stringify(body));
    }
    assert.equal((await post('/codec/decode', '{not json', bearer)).status, 400);
    const huge = { payloads: [{ metadata: {}, data: Buffer.alloc(5 * 1024 * 1024).toString('base64') }] };
    assert.equal((await post('/codec/encode', huge, bearer)).status, 413);
  });

  it("answers the Web UI's preflight from its origin, with the headers the UI and CLI send", async () => {
    const res = await fetch(`${gateway.url}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: TEST_UI_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), TEST_UI_ORIGIN);
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').split(',').map((h) => h.trim().toLowerCase());
    for (const header of ['authorization', 'content-type', 'x-namespace']) assert.ok(allowed.includes(header), header);
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);

    // The real request from that origin is readable by the page.
    const decoded = await post('/codec/decode', { payloads: [] }, { ...bearer, origin: TEST_UI_ORIGIN });
    assert.equal(decoded.status, 200);
    assert.equal(decoded.headers.get('access-control-allow-origin'), TEST_UI_ORIGIN);
  });

  it('refuses the preflight of any other origin and never marks its responses readable', async () => {
    const evil = 'http://evil.example';
    const res = await fetch(`${gateway.url}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: evil, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    const decoded = await post('/codec/decode', { payloads: [] }, { ...bearer, origin: evil });
    assert.equal(decoded.headers.get('access-control-allow-origin'), null);
  });

  it("decodes for the Web UI on its token's route only; the route does not encode and a wrong token is not found", async () => {
    const encoded = ((await (await post('/codec/encode', { payloads: [jsonPayload(party)] }, bearer)).json()) as { payloads: JsonPayload[] })
      .payloads;
    const ui = await post(`/codec/ui/${TEST_CODEC_UI_TOKEN}/decode`, { payloads: encoded }, { origin: TEST_UI_ORIGIN });
    assert.equal(ui.status, 200);
    assert.equal(ui.headers.get('access-control-allow-origin'), TEST_UI_ORIGIN);
    assert.deepEqual(((await ui.json()) as { payloads: JsonPayload[] }).payloads, [jsonPayload(party)]);

    assert.equal((await post(`/codec/ui/${TEST_CODEC_UI_TOKEN.slice(0, -1)}x/decode`, { payloads: encoded })).status, 404);
    assert.equal((await post(`/codec/ui/${TEST_CODEC_UI_TOKEN}/encode`, { payloads: [jsonPayload(party)] })).status, 404);
  });
});
