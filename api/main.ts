import { Client, Connection } from '@temporalio/client';
import { createAdvowareClient } from '../clients/advoware/client';
import { CalendarSyncRequester } from '../clients/temporal/calendar-sync-requests';
import { SyncRequester } from '../clients/temporal/sync-requests';
import { gatewayConfigSchema, loadDotEnv, parseEnv } from '../config/env';
import { hubDataConverter } from '../lib/data-converter';
import { createLogger } from '../lib/logger';
import { AesGcmPayloadCodec } from '../lib/payload-codec';
import { createGatewayMetrics } from '../lib/metrics';
import { createRedis } from '../lib/redis';
import { CallerIndexStore } from '../clients/redis/caller-index';
import { LeadDedupStore } from '../clients/redis/lead-dedup';
import { CallEventRequester } from '../clients/temporal/call-events';
import { threecxConfigured } from '../clients/threecx/client';
import { espocrmSiteUrl } from '../domain/calls/screen-pop';
import { createApp } from './app';
import { redisReadiness, temporalReadiness } from './readiness';
import { createYContextService } from './y-context/service';

function main(): void {
  loadDotEnv();
  const config = parseEnv(gatewayConfigSchema);
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const redis = createRedis(config.REDIS_URL, 'hub-gateway');
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  // Lazy: the gateway comes up (and reports 503) even while Temporal is still starting.
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS });
  const dataConverter = hubDataConverter(config.HUB_PAYLOAD_KEYS);
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });

  const app = createApp({
    apiKeys: config.HUB_API_KEYS,
    bodyLimit: config.BODY_LIMIT,
    advoware: createAdvowareClient(config, redis),
    advowareBaseUrl: config.ADVOWARE_API_BASE_URL,
    readiness: { temporal: temporalReadiness(connection), redis: redisReadiness(redis) },
    logger,
    metrics: createGatewayMetrics(),
    requester: new SyncRequester(client, config.TEMPORAL_TASK_QUEUE, config.WEBHOOK_TEMPORAL_DEADLINE_MS),
    calendarRequester: new CalendarSyncRequester(client, config.TEMPORAL_TASK_QUEUE),
    espocrmWebhook: { id: config.ESPOCRM_WEBHOOK_ID, secret: config.ESPOCRM_WEBHOOK_SECRET },
    threecx: {
      webhookSecret: config.THREECX_WEBHOOK_SECRET,
      apiConfigured: threecxConfigured(config),
      callerIndex: new CallerIndexStore(redis),
      callEvents: new CallEventRequester(
        client,
        config.TEMPORAL_TASK_QUEUE,
        config.WEBHOOK_TEMPORAL_DEADLINE_MS,
        config.THREECX_CALL_START_DELAY_SECONDS * 1000,
      ),
      staff: config.STAFF_DIRECTORY,
      espocrmSiteUrl: espocrmSiteUrl(config.ESPOCRM_API_BASE_URL, config.ESPOCRM_SITE_URL),
    },
    yContext: createYContextService(config, redis, logger),
    codec: {
      codec: new AesGcmPayloadCodec(config.HUB_PAYLOAD_KEYS),
      corsOrigins: config.HUB_CODEC_CORS_ORIGINS,
      uiToken: config.HUB_CODEC_UI_TOKEN,
    },
    leads: {
      secret: config.VERMIETERHELDEN_WEBHOOK_SECRET,
      dedup: new LeadDedupStore(redis),
      windowSeconds: config.LEAD_DEDUP_WINDOW_HOURS * 3600,
      client,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      deadlineMs: config.WEBHOOK_TEMPORAL_DEADLINE_MS,
    },
  });

  const server = app.listen(config.PORT, () => {
    logger.info({ port: config.PORT }, 'gateway listening');
  });
  server.on('error', (err) => {
    logger.fatal({ err }, 'gateway could not listen');
    process.exit(1);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'gateway shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      logger.warn('in-flight requests did not finish in time; closing');
      server.closeAllConnections();
    }, config.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    server.close(() => {
      void Promise.allSettled([redis.quit(), connection.close()]).then(() => {
        logger.info('gateway stopped');
        process.exit(0);
      });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

try {
  main();
} catch (err: unknown) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
