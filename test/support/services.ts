import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPayloadConverter, type DataConverter, type Payload } from '@temporalio/common';
import { Redis } from 'ioredis';
import { parseEnv, payloadEncryptionEnv } from '../../config/env';
import { hubDataConverter } from '../../lib/data-converter';
import { AesGcmPayloadCodec, type PayloadKey } from '../../lib/payload-codec';
import { startRedis } from '../../scripts/lib/local-services';
import { Supervisor } from '../../scripts/lib/supervisor';
import { freePort } from '../../scripts/lib/wait';

/** Set by scripts/test.sh, which starts a private Temporal dev server and Redis for the run. */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with "npm test" (scripts/test.sh starts the services)`);
  return value;
}

export const temporalAddress = (): string => required('TEMPORAL_ADDRESS');
export const redisUrl = (): string => required('REDIS_URL');

/** The run's fixed payload key (scripts/test.sh), parsed as the worker parses it; child processes inherit the variable. */
export const testPayloadKeys = (): PayloadKey[] =>
  parseEnv(payloadEncryptionEnv, { HUB_PAYLOAD_KEYS: required('HUB_PAYLOAD_KEYS') }).HUB_PAYLOAD_KEYS;

/** The hub's DataConverter with the run's key: every test Client and Worker reads and writes what production would. */
export const testDataConverter = (): DataConverter => hubDataConverter(testPayloadKeys());

/** The temporal CLI's flags that decode payloads through a gateway's codec endpoint, as the runbook has operators use it. */
export const cliCodecFlags = (gatewayUrl: string, apiKey: string): string[] => [
  '--codec-endpoint',
  `${gatewayUrl}/codec`,
  '--codec-auth',
  `Bearer ${apiKey}`,
];

/** A payload of a raw history (`fetchHistory()` does not decode) as the worker reads it: decrypted, then parsed. */
export async function decodedPayload<T>(payload: Payload): Promise<T> {
  const [plain] = await new AesGcmPayloadCodec(testPayloadKeys()).decode([payload]);
  return defaultPayloadConverter.fromPayload<T>(plain ?? payload);
}

export { freePort };

/** A Redis connection to the run's Redis that closes itself at process exit. */
export function testRedis(): Redis {
  return new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
}

export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
}

/** A redis-server of the test's own, for tests that stop Redis on purpose; started as every private Redis is. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-test-redis-'));
  const supervisor = new Supervisor({ log: () => undefined, onUnexpectedExit: () => undefined });
  try {
    const { url } = await startRedis(supervisor, { bin: required('REDIS_SERVER'), port: await freePort(), dir, persist: false });
    return {
      url,
      async stop() {
        await supervisor.stopAll();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await supervisor.stopAll();
    throw err;
  }
}
