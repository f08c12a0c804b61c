import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { ConfigError, gatewayConfigSchema, parseEnv, workerConfigSchema } from '../../config/env';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, generatePayloadKey, KEY_ID_METADATA, parsePayloadKeys } from '../../lib/payload-codec';
import { SANDBOX_SECRETS_FILE, sandboxSecrets } from '../../scripts/lib/sandbox-secrets';
import { advowareEnvFor, espocrmEnvFor, googleEnvFor } from '../../simulators/sandbox-credentials';

const k1 = generatePayloadKey('k1');
const k2 = generatePayloadKey('k2');
const text = (bytes: Uint8Array | null | undefined) => new TextDecoder().decode(bytes ?? new Uint8Array());
const party = { name: 'Zacharias Quellmann-Obersteiner', phone: '+49 170 5550123', iban: 'DE89370400440532013000' };
const payloadOf = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);

describe('AES-256-GCM payload codec', () => {
  test('round trip: the encrypted payload holds no plaintext and decodes to the original, metadata included', async () => {
    const codec = new AesGcmPayloadCodec(parsePayloadKeys(k1));
    const original = payloadOf(party);
    const [encrypted] = await codec.encode([original]);
    assert.ok(encrypted);
    assert.equal(text(encrypted.metadata?.encoding), ENCRYPTED_ENCODING);
    assert.equal(text(encrypted.metadata?.[KEY_ID_METADATA]), 'k1');
    const raw = Buffer.from(encrypted.data ?? new Uint8Array()).toString('latin1');
    for (const secret of [party.name, party.phone, party.iban, 'json/plain']) assert.ok(!raw.includes(secret), `${secret} is visible`);
    const [decoded] = await codec.decode([encrypted]);
    assert.ok(decoded);
    assert.equal(text(decoded.metadata?.encoding), 'json/plain');
    assert.deepEqual(defaultPayloadConverter.fromPayload(decoded), party);
  });

  test('every payload gets its own IV: the same value encrypts differently each time', async () => {
    const codec = new AesGcmPayloadCodec(parsePayloadKeys(k1));
    const [a, b] = await codec.encode([payloadOf(party), payloadOf(party)]);
    assert.notDeepEqual(a?.data, b?.data);
  });

  test('rotation: with a new key put first, new payloads use it and old ones still decode', async () => {
    const before = new AesGcmPayloadCodec(parsePayloadKeys(k1));
    const [old] = await before.encode([payloadOf(party)]);
    const after = new AesGcmPayloadCodec(parsePayloadKeys(`${k2},${k1}`));
    const [fresh] = await after.encode([payloadOf(party)]);
    assert.equal(text(fresh?.metadata?.[KEY_ID_METADATA]), 'k2');
    const decoded = await after.decode([old!, fresh!]);
    assert.deepEqual(
      decoded.map((p) => defaultPayloadConverter.fromPayload(p)),
      [party, party],
    );
  });

  test('a tampered ciphertext fails authentication, naming the key id', async () => {
    const codec = new AesGcmPayloadCodec(parsePayloadKeys(k1));
    const [encrypted] = await codec.encode([payloadOf(party)]);
    const data = Buffer.from(encrypted!.data!);
    data[20] = (data[20] ?? 0) ^ 0x01;
    await assert.rejects(codec.decode([{ ...encrypted, data: new Uint8Array(data) }]), /key "k1" failed authentication/);
  });

  test('the same id with other key material fails too (a wrong key is never silently accepted)', async () => {
    const [encrypted] = await new AesGcmPayloadCodec(parsePayloadKeys(k1)).encode([payloadOf(party)]);
    const impostor = new AesGcmPayloadCodec(parsePayloadKeys(generatePayloadKey('k1')));
    await assert.rejects(impostor.decode([encrypted!]), /key "k1" failed authentication/);
  });

  test('an unknown key id fails with an error naming it', async () => {
    const [encrypted] = await new AesGcmPayloadCodec(parsePayloadKeys(k2)).encode([payloadOf(party)]);
    await assert.rejects(new AesGcmPayloadCodec(parsePayloadKeys(k1)).decode([encrypted!]), /key "k2", which is not configured/);
  });

  test('payloads that are not binary/encrypted (histories from before encryption) pass through unchanged', async () => {
    const codec = new AesGcmPayloadCodec(parsePayloadKeys(k1));
    const plain = [payloadOf(party), payloadOf(null), { metadata: {}, data: new Uint8Array([1, 2]) }];
    assert.deepEqual(await codec.decode(plain), plain);
  });
});

describe('HUB_PAYLOAD_KEYS', () => {
  const base64Of = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');
  const productionEnv = {
    ...advowareEnvFor('http://127.0.0.1:1'),
    ...espocrmEnvFor('http://127.0.0.1:2'),
    ...googleEnvFor('http://127.0.0.1:3'),
    HUB_API_KEYS: 'key',
  };

  test('parses id:key pairs in order, the first one encrypting', () => {
    const config = parseEnv(gatewayConfigSchema, { ...productionEnv, HUB_PAYLOAD_KEYS: ` new:${base64Of(32)} , old:${base64Of(32)}` });
    assert.deepEqual(
      config.HUB_PAYLOAD_KEYS.map((k) => [k.id, k.key.length]),
      [
        ['new', 32],
        ['old', 32],
      ],
    );
  });

  const invalid: [string, string, RegExp][] = [
    ['a key of 16 bytes', `k1:${base64Of(16)}`, /key "k1" is 16 bytes; it must be base64 of exactly 32 bytes/],
    ['a key of 33 bytes', `k1:${base64Of(33)}`, /key "k1" is 33 bytes/],
    ['a duplicate id', `k1:${base64Of(32)},k1:${base64Of(32)}`, /key id "k1" appears twice/],
    ['no id', base64Of(32), /entry 1 is not <id>:<base64 key>/],
    ['not base64', 'k1:not*base64!', /key "k1" is not base64/],
  ];
  for (const [what, value, message] of invalid) {
    test(`refuses ${what}, naming the variable and how to make a key, never the value`, () => {
      assert.throws(
        () => parseEnv(workerConfigSchema, { ...productionEnv, HUB_PAYLOAD_KEYS: value }),
        (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          assert.match(err.message, /HUB_PAYLOAD_KEYS/);
          assert.match(err.message, message);
          assert.match(err.message, /openssl rand -base64 32/);
          if (value.includes(':')) assert.ok(!err.message.includes(value.split(':')[1]!), 'the key material is not echoed');
          return true;
        },
      );
    });
  }

  test('production (worker and gateway) refuses to start without a key, saying how to generate one', () => {
    for (const schema of [workerConfigSchema, gatewayConfigSchema]) {
      assert.throws(
        () => parseEnv(schema, productionEnv),
        /HUB_PAYLOAD_KEYS: required: client data is encrypted in Temporal; set HUB_PAYLOAD_KEYS=<id>:<key>, e\.g\. "k1:\$\(openssl rand -base64 32\)"/,
      );
    }
  });
});

describe("the sandbox's key", () => {
  test('is generated once into the state dir (owner-only) and reused by the next start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-sandbox-secrets-'));
    try {
      const first = sandboxSecrets(dir);
      assert.equal(parsePayloadKeys(first.payloadKeys).length, 1);
      assert.match(first.codecUiToken, /^[0-9a-f]{48}$/);
      assert.equal(statSync(join(dir, SANDBOX_SECRETS_FILE)).mode & 0o777, 0o600);
      assert.deepEqual(sandboxSecrets(dir), first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a damaged file is reported, not replaced (a new key could not read the stored history)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-sandbox-secrets-'));
    try {
      const file = join(dir, SANDBOX_SECRETS_FILE);
      writeFileSync(file, '{"payloadKeys": "k1:short", "codecUiToken": "x"}');
      assert.throws(() => sandboxSecrets(dir), /payload-encryption\.json is damaged/);
      assert.equal(readFileSync(file, 'utf8'), '{"payloadKeys": "k1:short", "codecUiToken": "x"}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
