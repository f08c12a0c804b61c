import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import { activityConfigSchema, parseEnv, type ActivityConfig } from '../../config/env';
import { advowareEnvFor, espocrmEnvFor, googleEnvFor } from '../../simulators/sandbox-credentials';
import { composeActivities, type ClientOverrides } from '../../workers/activities';
import { createHubWorker } from '../../workers/worker';
import { temporalAddress, testDataConverter, testRedis } from './services';

let runtimeInstalled = false;

/** Quiet SDK logs: test output should show results, not the retries the tests provoke on purpose. */
function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
}

export interface TestWorker {
  worker: Worker;
  client: Client;
  taskQueue: string;
  /** Runs `fn` and fails it if the worker died meanwhile. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Shuts the worker down (in-flight activities finish) and closes the connections. */
  close(): Promise<void>;
}

/** Beteiligte sync timing for tests: seconds instead of minutes and hours. */
const TEST_BETEILIGTE_SYNC_ENV = {
  BETEILIGTE_SYNC_BACKOFF_SECONDS: '1,1,1,1,1',
  BETEILIGTE_SYNC_AUTO_RESET_SECONDS: '2',
  BETEILIGTE_SYNC_CALL_TIMEOUT_SECONDS: '5',
  BANKVERBINDUNGEN_SYNC_PARTY_WAIT_SECONDS: '8',
  BANKVERBINDUNGEN_SYNC_PARTY_POLL_SECONDS: '1',
};

/** Nothing listens on port 9: a system a test does not set up is never reached by accident. */
const CLOSED = 'http://127.0.0.1:9';

/**
 * The worker's configuration for a test: the sandbox's credentials, the systems at `urls` (closed ports for the
 * rest), short call time-outs and retry pauses; `env` overrides any variable.
 */
export function testActivityConfig(
  urls: { advoware?: string; espocrm?: string; google?: string } = {},
  env: Record<string, string> = {},
): ActivityConfig {
  return parseEnv(activityConfigSchema, {
    ...advowareEnvFor(urls.advoware ?? CLOSED),
    ...espocrmEnvFor(urls.espocrm ?? CLOSED),
    ...googleEnvFor(urls.google ?? CLOSED),
    ESPOCRM_ADMIN_USER_ID: 'test-admin',
    ADVOWARE_TIMEOUT_MS: '2000',
    ESPOCRM_TIMEOUT_MS: '5000',
    CALENDAR_SYNC_CALL_TIMEOUT_SECONDS: '5',
    ...TEST_BETEILIGTE_SYNC_ENV,
    ...env,
  });
}

export interface TestWorkerOptions extends ClientOverrides {
  /** Variables over `testActivityConfig`'s. */
  env?: Record<string, string>;
  urls?: { advoware?: string; espocrm?: string; google?: string };
}

/** The hub's worker, wired by the production composition root, on a task queue of the test's own. */
export async function createTestWorker(options: TestWorkerOptions = {}): Promise<TestWorker> {
  installQuietRuntime();
  const { env, urls, ...overrides } = options;
  const taskQueue = `test-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress() });
  const connection = await Connection.connect({ address: temporalAddress() });
  const dataConverter = testDataConverter();
  const client = new Client({ connection, dataConverter });
  const redis = testRedis();
  const worker = await createHubWorker({
    connection: nativeConnection,
    dataConverter,
    namespace: 'default',
    taskQueue,
    activities: composeActivities(testActivityConfig(urls, env), { redis, client, taskQueue }, overrides),
  });
  const running = worker.run();
  const died = running.then(() => {
    throw new Error('the test worker stopped');
  });
  died.catch(() => undefined);
  return {
    worker,
    client,
    taskQueue,
    run: (fn) => Promise.race([fn(), died]),
    async close() {
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
      redis.disconnect();
    },
  };
}
