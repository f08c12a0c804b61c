/**
 * The one EspoCRM write of a Kommunikation sync. EspoCRM replaces emailAddressData/phoneNumberData whole, so the
 * write is built from the arrays as read: untouched items (skipped ones included) stay exactly as they were,
 * optOut/invalid with them; only the planned changes are applied.
 */
import type { EspoEmailAddress, EspoPhoneNumber } from '../../contracts/espocrm';
import type { EspoKommunikationChange, EspoKommunikationWrite } from './actions';
import { keyOf, type ContactKind, type EspoKommunikationData } from './model';

export type EspoEdit =
  /** `key`: the value to remove, in normal form. */
  | (EspoKommunikationChange & { change: 'remove'; key: string })
  /** `key`: the value replaced, in normal form; `value` its successor as typed in Advoware. */
  | (EspoKommunikationChange & { change: 'replace'; key: string })
  | (EspoKommunikationChange & { change: 'add'; type?: string; primary: boolean });

export function buildEspoWrite(data: EspoKommunikationData, edits: readonly EspoEdit[]): EspoKommunikationWrite | null {
  if (edits.length === 0) return null;
  const removed = new Set<string>();
  const replaced = new Map<string, string>();
  for (const edit of edits) {
    if (edit.change === 'remove') removed.add(edit.key);
    if (edit.change === 'replace') replaced.set(edit.key, edit.value);
  }
  const emailAddressData = rewrite(data.emailAddressData, 'emailAddress', 'email', removed, replaced);
  const phoneNumberData = rewrite(data.phoneNumberData, 'phoneNumber', 'phone', removed, replaced);
  for (const edit of edits) {
    if (edit.change !== 'add') continue;
    if (edit.kind === 'email') emailAddressData.push({ emailAddress: edit.value, primary: edit.primary });
    else phoneNumberData.push({ phoneNumber: edit.value, ...(edit.type ? { type: edit.type } : {}), primary: edit.primary });
  }
  const changes = edits.map((edit): EspoKommunikationChange => {
    const change: EspoKommunikationChange = { case: edit.case, change: edit.change, kind: edit.kind, value: edit.value };
    if (edit.entryId !== undefined) change.entryId = edit.entryId;
    return change;
  });
  return { emailAddressData, phoneNumberData, changes };
}

/** The items as read, minus the removed values, with replaced values swapped in; everything else on an item stays. */
function rewrite<T extends EspoEmailAddress | EspoPhoneNumber, F extends keyof T & ('emailAddress' | 'phoneNumber')>(
  items: readonly T[] | null | undefined,
  field: F,
  kind: ContactKind,
  removed: ReadonlySet<string>,
  replaced: ReadonlyMap<string, string>,
): T[] {
  const out: T[] = [];
  for (const item of items ?? []) {
    const raw = item[field];
    const key = keyOf(kind, typeof raw === 'string' ? raw : '');
    if (key !== null && removed.has(key)) continue;
    const successor = key !== null ? replaced.get(key) : undefined;
    out.push(successor !== undefined ? { ...item, [field]: successor } : { ...item });
  }
  return out;
}
