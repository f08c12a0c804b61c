/** The webhook events EspoCRM sends for a Beteiligte or a bank account (SPEC §4). */
export type WebhookEvent = 'create' | 'update' | 'delete';

const OWN_WRITE_MARKS = ['stammdatenHash', 'kommunikationEspoHash'] as const;

/**
 * True when an EspoCRM webhook item reports the hub's own write coming back, so it needs no sync run
 * (SPEC §4, §5.1). Only the hub writes `stammdatenHash` and `kommunikationEspoHash`, each in the same save as
 * the values it wrote (Stammdaten, e-mail and phone data), with a new value each time, and EspoCRM reports each
 * save as an item of its own: an `update` item whose changed attributes carry a non-empty one of them is that
 * save. A user's edit never carries them, so it is never mistaken for an echo; `create` items carry every
 * attribute and `delete` items only the id, so neither is ever an echo. Other entities name their own `marks`
 * (a bank account: `bankverbindungHash`).
 */
export function isOwnWriteEcho(event: WebhookEvent, item: Readonly<Record<string, unknown>>, marks: readonly string[] = OWN_WRITE_MARKS): boolean {
  if (event !== 'update') return false;
  return marks.some((field) => {
    const hash = item[field];
    return typeof hash === 'string' && hash.trim() !== '';
  });
}
