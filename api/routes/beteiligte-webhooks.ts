import { Router, type Request } from 'express';
import { z } from 'zod';
import type { SyncRequester } from '../../clients/temporal/sync-requests';
import type { Logger } from '../../lib/logger';
import { verifyEspoSignature } from '../espocrm-signature';
import { matchesApiKey } from '../middleware/api-key';
import { validationError } from '../validation';

/** EspoCRM sends a batch: `create` items carry every attribute, `update` the changed ones, `delete` only the id. */
const webhookBatch = z.array(z.looseObject({ id: z.string().trim().min(1, 'must be a non-empty EspoCRM id') }));

const events = ['create', 'update', 'delete'] as const;
const eventParam = z.enum(events);

export interface WebhookDeps {
  apiKeys: readonly string[];
  espocrmWebhook: { id: string; secret: string };
  requester: SyncRequester;
  logger: Logger;
}

/** Raw bytes as received; the signature is over them, not over re-serialised JSON. */
export type RequestWithRawBody = Request & { rawBody?: Buffer };

/**
 * `POST /vmh/webhook/beteiligte/{create,update,delete}` (SPEC §5.1): one signal-with-start per
 * party. `200` only once every request is durably in Temporal; `503` when Temporal cannot be
 * reached, so EspoCRM delivers the batch again rather than losing it.
 */
export function beteiligteWebhookRouter(deps: WebhookDeps): Router {
  const router = Router();
  router.post('/vmh/webhook/beteiligte/:event', async (req: RequestWithRawBody, res) => {
    const event = eventParam.safeParse(req.params.event);
    if (!event.success) return void res.status(404).json({ error: `unknown webhook event "${req.params.event}"; expected ${events.join(', ')}` });

    const signed = verifyEspoSignature(req.rawBody ?? Buffer.alloc(0), req.get('x-signature'), deps.espocrmWebhook.id, deps.espocrmWebhook.secret);
    if (!signed && !matchesApiKey(req.get('x-api-key'), deps.apiKeys)) {
      return void res.status(401).json({ error: 'invalid webhook signature (X-Signature) and no valid API key' });
    }

    const batch = webhookBatch.safeParse(req.body);
    if (!batch.success) return void res.status(400).json(validationError(batch.error));

    try {
      const accepted = await deps.requester.requestBeteiligteSyncs(
        batch.data.map((item) => item.id),
        event.data,
      );
      res.json({ accepted });
    } catch (err) {
      deps.logger.error({ err, event: event.data, items: batch.data.length }, 'could not hand webhook to Temporal');
      res.status(503).json({ error: 'Temporal is unreachable; deliver the webhook again later' });
    }
  });
  return router;
}
