import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** Set by scripts/test.sh, which starts a private Temporal dev server and Redis for the run. */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with "npm test" (scripts/test.sh starts the services)`);
  return value;
}

export const temporalAddress = (): string => required('TEMPORAL_ADDRESS');
export const redisUrl = (): string => required('REDIS_URL');

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** A Redis connection to the run's Redis that closes itself at process exit. */
export function testRedis(): Redis {
  return new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
}

export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
}

/** A redis-server of the test's own, for tests that stop Redis on purpose. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const child = spawn(required('REDIS_SERVER'), ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined); // refused until the server is up; connect() reports it
  for (let attempt = 0; ; attempt++) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch (err) {
      if (attempt > 50) throw err;
      await sleep(100);
    }
  }
  probe.disconnect();
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
