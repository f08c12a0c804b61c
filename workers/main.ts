import { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';
import { loadDotEnv, parseEnv, workerConfigSchema } from '../config/env';
import { hubDataConverter } from '../lib/data-converter';
import { createLogger } from '../lib/logger';
import { createRedis } from '../lib/redis';
import { composeActivities } from './activities';
import { ensureSchedules } from './schedules';
import { startFailingEntitiesPoller } from './failing-entities';
import { prometheusExporter } from './metrics';
import { createHubWorker } from './worker';

const SDK_LEVELS: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};

async function main(): Promise<void> {
  loadDotEnv();
  const config = parseEnv(workerConfigSchema);
  const logger = createLogger('worker', config.LOG_LEVEL);

  // SDK and workflow logs go through the same JSON logger; SIGINT/SIGTERM trigger a graceful worker shutdown.
  Runtime.install({
    logger: new DefaultLogger(SDK_LEVELS[config.LOG_LEVEL] ?? 'INFO', (entry) => {
      const level = entry.level.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error';
      logger[level]({ ...entry.meta }, entry.message);
    }),
    telemetryOptions: {
      metrics: prometheusExporter(config.WORKER_METRICS_PORT),
    },
  });

  const redis = createRedis(config.REDIS_URL, 'hub-worker');
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  // Activities that start or signal workflows (the sweep) need a client; it shares the worker's connection.
  const dataConverter = hubDataConverter(config.HUB_PAYLOAD_KEYS);
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  await ensureSchedules(client, config.TEMPORAL_TASK_QUEUE, {
    sweepIntervalSeconds: config.BETEILIGTE_SYNC_SWEEP_INTERVAL_SECONDS,
    calendarIntervalSeconds: config.CALENDAR_SYNC_INTERVAL_SECONDS,
  });
  const worker = await createHubWorker({
    connection,
    dataConverter,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    activities: composeActivities(config, { redis, client, taskQueue: config.TEMPORAL_TASK_QUEUE }),
  });
  const failingEntities = startFailingEntitiesPoller({
    count: (query) => client.workflow.count(query),
    meter: Runtime.instance().metricMeter,
    intervalMs: config.WORKER_FAILING_ENTITIES_POLL_SECONDS * 1000,
    onError: (err) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'counting failing entities failed'),
  });
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, address: config.TEMPORAL_ADDRESS }, 'worker running');
  try {
    await worker.run();
  } finally {
    failingEntities.stop();
    await Promise.allSettled([connection.close(), redis.quit()]);
    logger.info('worker stopped');
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
