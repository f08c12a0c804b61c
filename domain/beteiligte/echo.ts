/** The webhook events EspoCRM sends for a Beteiligte (SPEC §4). */
export type WebhookEvent = 'create' | 'update' | 'delete';

/**
 * True when an EspoCRM webhook item reports the hub's own write coming back, so it needs no sync run
 * (SPEC §4, §5.1). Only the hub writes `stammdatenHash`, always in the same save as the values it wrote, and
 * EspoCRM reports each save as an item of its own: an `update` item whose changed attributes carry a
 * non-empty `stammdatenHash` is that save. A user's edit never carries it, so it is never mistaken for an
 * echo; `create` items carry every attribute and `delete` items only the id, so neither is ever an echo.
 */
export function isOwnWriteEcho(event: WebhookEvent, item: Readonly<Record<string, unknown>>): boolean {
  if (event !== 'update') return false;
  const hash = item.stammdatenHash;
  return typeof hash === 'string' && hash.trim() !== '';
}
