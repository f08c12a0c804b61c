import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
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
