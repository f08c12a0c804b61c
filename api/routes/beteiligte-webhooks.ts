import type { Router } from 'express';
import type { IngestQueue } from '../../clients/temporal/ingest-queue';
import { isOwnWriteEcho } from '../../domain/beteiligte/echo';
import { espoWebhookRouter, type EspoWebhookDeps } from './espocrm-webhooks';

export interface WebhookDeps extends EspoWebhookDeps {
  ingest: Pick<IngestQueue, 'submit'>;
}

/**
 * `POST /vmh/webhook/beteiligte/{create,update,delete}` (SPEC §5.1): the items of concurrent requests are recorded
 * together through the ingest queue (one hand-over workflow per group); an `update` item carrying the hub's own
 * hashes is its write coming back.
 */
export function beteiligteWebhookRouter(deps: WebhookDeps): Router {
  return espoWebhookRouter(
    {
      path: 'beteiligte',
      entityType: 'CBeteiligte',
      isEcho: (event, item) => isOwnWriteEcho(event, item),
      submit: (items) => deps.ingest.submit(items),
    },
    deps,
  );
}
