import express, { type Express } from 'express';
import type { AdvowareClient } from '../clients/advoware/client';
import type { CalendarSyncRequester } from '../clients/temporal/calendar-sync-requests';
import type { SyncRequester } from '../clients/temporal/sync-requests';
import type { Logger } from '../lib/logger';
import type { GatewayMetrics } from '../lib/metrics';
import { requireApiKey } from './middleware/api-key';
import { errorHandler, notFound } from './middleware/errors';
import { requestLog } from './middleware/request-log';
import { advowareProxyRouter } from './routes/advoware-proxy';
import { beteiligteWebhookRouter, type RequestWithRawBody } from './routes/beteiligte-webhooks';
import { calendarSyncRouter } from './routes/calendar-sync';
import { healthRouter, type ReadinessCheck } from './routes/health';
import { metricsRouter } from './routes/metrics';

export interface GatewayDeps {
  apiKeys: readonly string[];
  bodyLimit: string;
  advoware: AdvowareClient;
  advowareBaseUrl: string;
  readiness: Record<string, ReadinessCheck>;
  logger: Logger;
  metrics: GatewayMetrics;
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

  app.use(
    express.json({
      limit: deps.bodyLimit,
      verify: (req, _res, raw) => {
        (req as RequestWithRawBody).rawBody = raw;
      },
    }),
  );
  // Webhooks authenticate by signature or API key, so they come before the API-key gate.
  app.use(beteiligteWebhookRouter(deps));
  const apiKey = requireApiKey(deps.apiKeys);
  app.use('/advoware', apiKey);
  app.use(calendarSyncRouter(deps));
  app.use(advowareProxyRouter(deps));

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
