import express, { Router } from 'express';
import { z } from 'zod';
import type { IngestItem } from '../../contracts/ingest';
import type { WebhookEvent } from '../../domain/beteiligte/echo';
import type { Logger } from '../../lib/logger';
import { verifyEspoSignature } from '../espocrm-signature';
import { matchesApiKey } from '../middleware/api-key';
import { validationError } from '../validation';
import type { WebhookMetrics } from '../webhook-metrics';

/** EspoCRM sends a batch: `create` items carry every attribute, `update` the changed ones, `delete` only the id. */
const webhookBatch = z.array(
  z.looseObject({
    // A Temporal workflow ID is built from it; EspoCRM's ids are 17 characters.
    id: z.string().trim().min(1, 'must be a non-empty EspoCRM id').max(200, 'is too long for an EspoCRM id'),
  }),
);

const events = ['create', 'update', 'delete'] as const;
const eventParam = z.enum(events);

const NOT_A_BATCH = 'expected a JSON array of EspoCRM items';

export interface EspoWebhookDeps {
  apiKeys: readonly string[];
  espocrmWebhook: { id: string; secret: string };
  bodyLimit: string;
  logger: Logger;
  webhookMetrics: WebhookMetrics;
}

/** What differs between the entities' webhooks: the path, the entity, what counts as an echo, how items are recorded. */
export interface EspoWebhookSpec {
  /** `POST /vmh/webhook/<path>/{create,update,delete}` */
  path: string;
  entityType: string;
  /** The hub's own write coming back (SPEC §4): acknowledged, starts nothing. */
  isEcho: (event: WebhookEvent, item: Readonly<Record<string, unknown>>) => boolean;
  /** Resolves once Temporal has recorded every item; rejects when it could not in time. */
  submit: (items: IngestItem[]) => Promise<unknown>;
}

/**
 * An EspoCRM webhook route (SPEC §5.1): each entity's workflow is started or signalled. `200` only once Temporal has
 * recorded every item (SPEC §2); `503` when it could not in time, so EspoCRM delivers the batch again rather than
 * losing it. Mounted before the JSON parser: the signature is over the raw bytes, whatever the content type, so a
 * signed body that is not JSON is `400`, not `401`.
 */
export function espoWebhookRouter(spec: EspoWebhookSpec, deps: EspoWebhookDeps): Router {
  const router = Router();
  const rawBody = express.raw({ type: () => true, limit: deps.bodyLimit });
  const entity = spec.entityType;
  router.post(`/vmh/webhook/${spec.path}/:event`, rawBody, async (req, res) => {
    const event = eventParam.safeParse(req.params.event);
    if (!event.success) return void res.status(404).json({ error: `unknown webhook event "${req.params.event}"; expected ${events.join(', ')}` });

    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signed = verifyEspoSignature(raw, req.get('x-signature'), deps.espocrmWebhook.id, deps.espocrmWebhook.secret);
    if (!signed && !matchesApiKey(req.get('x-api-key'), deps.apiKeys)) {
      return void res.status(401).json({ error: 'invalid webhook signature (X-Signature) and no valid API key' });
    }

    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return void res.status(400).json({ error: `request body is not valid JSON; ${NOT_A_BATCH}` });
    }
    if (!Array.isArray(body)) return void res.status(400).json({ error: NOT_A_BATCH });
    const batch = webhookBatch.safeParse(body);
    if (!batch.success) return void res.status(400).json(validationError(batch.error));

    const ids = new Set<string>();
    let echoes = 0;
    for (const item of batch.data) {
      if (spec.isEcho(event.data, item)) echoes++;
      else ids.add(item.id);
    }
    const items: IngestItem[] = [...ids].map((espoId) => ({ espoId, reason: event.data }));

    try {
      await spec.submit(items);
      deps.webhookMetrics.items.inc({ entity, event: event.data, outcome: 'accepted' }, items.length);
      if (echoes > 0) {
        deps.webhookMetrics.items.inc({ entity, event: event.data, outcome: 'echo' }, echoes);
        deps.logger.debug(
          { entity, event: event.data, echoes, items: batch.data.length },
          "acknowledged the hub's own EspoCRM writes without a sync",
        );
      }
      res.json({ accepted: items.length, echoes });
    } catch (err) {
      deps.logger.error({ err, entity, event: event.data, items: items.length }, 'Temporal did not record the webhook in time');
      res.status(503).json({ error: 'Temporal is unreachable or did not record the items in time; deliver the webhook again later' });
    }
  });
  return router;
}
