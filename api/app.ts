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
import { codecRouter, type CodecRouteDeps } from './routes/codec';
import { healthRouter, type ReadinessCheck } from './routes/health';
import { metricsRouter } from './routes/metrics';
import { threecxCallsRouter } from './routes/threecx-calls';
import { threecxWebhookRouter, type ThreeCxGatewayDeps } from './routes/threecx-webhook';
import { vermieterheldenLeadsRouter, type LeadGatewayDeps } from './routes/vermieterhelden-leads';
import { yContextRouter } from './routes/y-context';
import { createWebhookMetrics } from './webhook-metrics';
import type { YContextService } from './y-context/service';

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
  /** The 3CX routes (SPEC §8); absent (tests of other routes), they answer 503. */
  threecx?: ThreeCxGatewayDeps;
  /** `GET /y/context` (SPEC §9); tests of other routes leave it out, and the route then answers 404. */
  yContext?: YContextService;
  /** `POST /api/leads/vermieterhelden` (SPEC §7); tests of other routes leave it out, and the route then answers 404. */
  leads?: LeadGatewayDeps;
  /** `/codec` for the Web UI and the temporal CLI (issue 16); tests of other routes leave it out (404). */
  codec?: Omit<CodecRouteDeps, 'apiKeys' | 'logger'>;
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
  app.use(threecxWebhookRouter({ ...deps, threecx: deps.threecx }));
  if (deps.leads) app.use(vermieterheldenLeadsRouter({ apiKeys: deps.apiKeys, logger: deps.logger, leads: deps.leads }));

  // Its own JSON parser and body limit, CORS and authentication.
  if (deps.codec) app.use(codecRouter({ ...deps.codec, apiKeys: deps.apiKeys, logger: deps.logger }));

  app.use(express.json({ limit: deps.bodyLimit }));
  const apiKey = requireApiKey(deps.apiKeys);
  app.use('/advoware', apiKey);
  app.use(calendarSyncRouter(deps));
  app.use(advowareProxyRouter(deps));
  app.use('/3cx/calls', apiKey);
  app.use(threecxCallsRouter({ logger: deps.logger, threecx: deps.threecx }));
  app.use('/y', apiKey);
  if (deps.yContext) app.use(yContextRouter({ yContext: deps.yContext, logger: deps.logger }));

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
