import type { Router } from 'express';
import type { SyncRequester } from '../../clients/temporal/sync-requests';
import { isOwnWriteEcho } from '../../domain/beteiligte/echo';
import { espoWebhookRouter, type EspoWebhookDeps } from './espocrm-webhooks';

/** Only the hub writes it, in every save of a successful sync; a user's edit never carries it. */
const OWN_WRITE_MARKS = ['bankverbindungHash'];

/**
 * `POST /vmh/webhook/bankverbindungen/{create,update,delete}` (SPEC §5.5): signal-with-start on each account's
 * `bankverbindungen-sync/<id>`, all by one deadline (`WEBHOOK_TEMPORAL_DEADLINE_MS`). Bank accounts come a few at a
 * time, so they go straight to their workflows, without the Beteiligte's hand-over.
 */
export function bankverbindungenWebhookRouter(deps: EspoWebhookDeps & { requester: SyncRequester }): Router {
  return espoWebhookRouter(
    {
      path: 'bankverbindungen',
      entityType: 'CBankverbindungen',
      isEcho: (event, item) => isOwnWriteEcho(event, item, OWN_WRITE_MARKS),
      submit: async (items) => {
        const deadline = Date.now() + deps.requester.deadlineMs;
        await Promise.all(items.map((item) => deps.requester.requestBankverbindungSync(item.espoId, item.reason, deadline)));
      },
    },
    deps,
  );
}
