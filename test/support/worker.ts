import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities';
import { SyncRequester } from '../../clients/temporal/sync-requests';
import { createGoogleCalendarApi } from '../../clients/google/calendar-api';
import { CalendarStateStore } from '../../clients/redis/calendar-state';
import { calendarSyncEnv, googleEnv, parseEnv, partySyncEnv, type CalendarSyncConfig, type PartySyncConfig } from '../../config/env';
import { createHubWorker } from '../../workers/worker';
import { temporalAddress, testRedis } from './services';

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

/** Party sync timing for tests: seconds instead of minutes and hours. */
export function testPartySyncConfig(overrides: Record<string, string> = {}): PartySyncConfig {
  return parseEnv(partySyncEnv, {
    PARTY_SYNC_BACKOFF_SECONDS: '1,1,1,1,1',
    PARTY_SYNC_AUTO_RESET_SECONDS: '2',
    PARTY_SYNC_CALL_TIMEOUT_SECONDS: '5',
    ...overrides,
  });
}

/** Calendar sync settings for tests: short call time-outs; everything else as in production. */
export function testCalendarSyncConfig(overrides: Record<string, string> = {}): CalendarSyncConfig {
  return parseEnv(calendarSyncEnv, { CALENDAR_SYNC_CALL_TIMEOUT_SECONDS: '5', ...overrides });
}

type Defaulted = 'requester' | 'partySync' | 'adminUserId' | 'google' | 'calendarState' | 'calendarSync';
/** Party tests give EspoCRM and Advoware only; Google then points at a closed port and is never reached. */
export type TestWorkerDeps = Omit<ActivityDeps, Defaulted> & Partial<Pick<ActivityDeps, Exclude<Defaulted, 'requester'>>>;

/** The hub's worker on a task queue of the test's own, against the run's real Temporal server. */
export async function createTestWorker(deps: TestWorkerDeps): Promise<TestWorker> {
  installQuietRuntime();
  const taskQueue = `test-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress() });
  const connection = await Connection.connect({ address: temporalAddress() });
  const client = new Client({ connection });
  const redis = testRedis();
  const calendarSync = deps.calendarSync ?? testCalendarSyncConfig();
  const worker = await createHubWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    activities: createActivities({
      adminUserId: 'test-admin',
      partySync: testPartySyncConfig(),
      calendarSync,
      calendarState: new CalendarStateStore(redis),
      google: createGoogleCalendarApi({ ...parseEnv(googleEnv, { GOOGLE_CALENDAR_BASE_URL: 'http://127.0.0.1:9' }), ...calendarSync }, redis),
      ...deps,
      requester: new SyncRequester(client, taskQueue),
    }),
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
