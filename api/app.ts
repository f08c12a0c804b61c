import express, { type Express } from 'express';
import type { AdvowareClient } from '../clients/advoware/client';
import type { CalendarSyncRequester } from '../clients/temporal/calendar-sync-requests';
import { IngestQueue } from '../clients/temporal/ingest-queue';
import type { SyncRequester } from '../clients/temporal/sync-requests';
import type { Logger } from '../lib/logger';
import type { GatewayMetrics } from '../lib/metrics';
import { requireApiKey } from './middleware/api-key';
import { errorHandler, notFound } from './middleware/errors';
import { requestLog } from './middleware/request-log';
import { advowareProxyRouter } from './routes/advoware-proxy';
import { bankverbindungenWebhookRouter } from './routes/bankverbindungen-webhooks';
import { beteiligteWebhookRouter } from './routes/beteiligte-webhooks';
import { calendarSyncRouter } from './routes/calendar-sync';
import { healthRouter, type ReadinessCheck } from './routes/health';
import { metricsRouter } from './routes/metrics';
import { createWebhookMetrics } from './webhook-metrics';

export interface GatewayDeps {
  apiKeys: readonly string[];
  bodyLimit: string;
  advoware: AdvowareClient;
  advowareBaseUrl: string;
  readiness: Record<string, ReadinessCheck>;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Records webhook items in Temporal; its `deadlineMs` is how long a webhook waits before it gets 503. */
  requester: SyncRequester;
  calendarRequester: CalendarSyncRequester;
  /** The EspoCRM webhook's ID and secret, to verify `X-Signature`. */
  espocrmWebhook: { id: string; secret: string };
}

/** The gateway as an Express app, without listening: `main.ts` serves it, tests call it directly. */
export function createApp(deps: GatewayDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback'); // KONG sits in front in production
  app.use(requestLog(deps.logger, deps.metrics));

  // Unauthenticated by design (probes and Prometheus scrape them).
  app.use(healthRouter(deps.readiness));
  app.use(metricsRouter(deps.metrics.registry));

  // Webhooks authenticate by signature or API key, so they come before the API-key gate; and before the JSON
  // parser, because they read the raw bytes the signature covers.
  const webhookMetrics = createWebhookMetrics(deps.metrics.registry);
  const ingest = new IngestQueue(deps.requester, {
    deadlineMs: deps.requester.deadlineMs,
    onGroup: ({ items, path, ms, ok }) => {
      webhookMetrics.groups.observe({ path, result: ok ? 'ok' : 'failed' }, ms / 1000);
      webhookMetrics.groupItems.observe(items);
    },
  });
  app.use(beteiligteWebhookRouter({ ...deps, ingest, webhookMetrics }));
  app.use(bankverbindungenWebhookRouter({ ...deps, webhookMetrics }));

  app.use(express.json({ limit: deps.bodyLimit }));
  const apiKey = requireApiKey(deps.apiKeys);
  app.use('/advoware', apiKey);
  app.use(calendarSyncRouter(deps));
  app.use(advowareProxyRouter(deps));

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
