import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { allEnvSchemas, ConfigError, gatewayConfigSchema, parseEnv } from '../../config/env';
import { advowareEnvFor, espocrmEnvFor } from '../../simulators/sandbox-credentials';

const schemaKeys = new Set(allEnvSchemas.flatMap((schema) => Object.keys(schema.shape)));

test('.env.example lists exactly the variables the hub reads', () => {
  const listed = new Set(
    readFileSync('.env.example', 'utf8')
      .split('\n')
      .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined),
  );
  assert.deepEqual([...listed].sort(), [...schemaKeys].sort());
});

const validGatewayEnv = {
  ...advowareEnvFor('http://127.0.0.1:1'),
  ...espocrmEnvFor('http://127.0.0.1:2'),
  HUB_API_KEYS: 'one, two ,',
  HUB_PAYLOAD_KEYS: `k1:${Buffer.alloc(32).toString('base64')}`,
};

test('a valid environment parses with defaults filled in', () => {
  const config = parseEnv(gatewayConfigSchema, validGatewayEnv);
  assert.deepEqual(config.HUB_API_KEYS, ['one', 'two']);
  assert.equal(config.PORT, 3000);
  assert.equal(config.ADVOWARE_TOKEN_CACHE_SECONDS, 53 * 60);
  assert.equal(config.TEMPORAL_TASK_QUEUE, 'bitbylaw-hub');
});

test('invalid configuration names each offending variable and never echoes a value', () => {
  const secret = 'not base64 but secret!';
  assert.throws(
    () =>
      parseEnv(gatewayConfigSchema, {
        ...validGatewayEnv,
        ADVOWARE_API_KEY: secret,
        PORT: 'eighty',
        ADVOWARE_PASSWORD: '',
        HUB_API_KEYS: ' , ',
      }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      for (const name of ['ADVOWARE_API_KEY', 'PORT', 'ADVOWARE_PASSWORD', 'HUB_API_KEYS']) assert.match(err.message, new RegExp(name));
      assert.doesNotMatch(err.message, /secret!/);
      return true;
    },
  );
});

test("a ringing call's start delay: 60 s by default, 0 switches it off, a negative or fractional value is refused", () => {
  assert.equal(parseEnv(gatewayConfigSchema, validGatewayEnv).THREECX_CALL_START_DELAY_SECONDS, 60);
  assert.equal(parseEnv(gatewayConfigSchema, { ...validGatewayEnv, THREECX_CALL_START_DELAY_SECONDS: '0' }).THREECX_CALL_START_DELAY_SECONDS, 0);
  for (const value of ['-1', '1.5', 'soon']) {
    assert.throws(
      () => parseEnv(gatewayConfigSchema, { ...validGatewayEnv, THREECX_CALL_START_DELAY_SECONDS: value }),
      /THREECX_CALL_START_DELAY_SECONDS/,
      value,
    );
  }
});
