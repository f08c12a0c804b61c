import { randomBytes } from 'node:crypto';
import { signWebhookBody } from '../simulators/espocrm/simulator';
import { SANDBOX_ESPOCRM } from '../simulators/sandbox-credentials';

export type WebhookEvent = 'create' | 'update' | 'delete';
/** The path segment of the entity's webhook: `/vmh/webhook/<entity>/<event>`. */
export type WebhookEntity = 'beteiligte' | 'bankverbindungen';

/** What EspoCRM sends: one item per record, `update` items with the changed attributes only. */
export type WebhookItem = { id: string } & Record<string, unknown>;

/** EspoCRM-shaped ids (17 characters), fresh ones for items that only have to reach Temporal. */
export const randomEspoId = (): string => randomBytes(9).toString('hex').slice(0, 17);

/**
 * POSTs a webhook batch to the gateway as EspoCRM does, signed with the webhook's id and secret. Resolves with
 * the status; the body is read so the connection is free for the next request.
 */
export async function postWebhook(
  gatewayUrl: string,
  event: WebhookEvent,
  items: readonly WebhookItem[],
  entity: WebhookEntity = 'beteiligte',
): Promise<number> {
  const body = JSON.stringify(items);
  const res = await fetch(`${gatewayUrl}/vmh/webhook/${entity}/${event}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Signature': signWebhookBody(SANDBOX_ESPOCRM.webhookId, SANDBOX_ESPOCRM.webhookSecret, body) },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

/** Like `postWebhook`, but a status other than 200 is an error (the measurement would be meaningless). */
export async function postWebhookOk(
  gatewayUrl: string,
  event: WebhookEvent,
  items: readonly WebhookItem[],
  entity: WebhookEntity = 'beteiligte',
): Promise<void> {
  const status = await postWebhook(gatewayUrl, event, items, entity);
  if (status !== 200) throw new Error(`gateway answered ${status} to a ${event} webhook of ${items.length} item(s)`);
}
