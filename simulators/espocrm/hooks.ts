import { isDeepStrictEqual } from 'node:util';
import { HOOKED_ENTITY_TYPES, SYNC_METADATA_FIELDS, type EntityData } from './model.js';

const METADATA: ReadonlySet<string> = new Set<string>(SYNC_METADATA_FIELDS);

export function isSyncMetadata(attribute: string): boolean {
  return METADATA.has(attribute);
}

/** The CRM's create hook: a new Beteiligte or bank account waits for its first sync. */
export function applyCreateHooks(type: string, data: EntityData): EntityData {
  const out = { ...data };
  if (HOOKED_ENTITY_TYPES.has(type) && (out.syncStatus === undefined || out.syncStatus === null)) {
    out.syncStatus = 'pending_sync';
  }
  return withDerivedFields(type, out);
}

/**
 * The CRM's update hook: a change to a sync-relevant attribute of a synced (`clean`) entity
 * marks it `dirty`, so the fallback schedule finds it even if the webhook is lost. A write
 * that sets `syncStatus` itself is the hub's and wins. Judged on what actually changed, so
 * re-sending an unchanged value is no edit.
 */
export function applyUpdateHooks(type: string, before: EntityData, after: EntityData, patch: EntityData): EntityData {
  if (!HOOKED_ENTITY_TYPES.has(type) || before.syncStatus !== 'clean' || 'syncStatus' in patch) return after;
  if (!touchesSyncRelevant(changedAttributes(before, after))) return after;
  return { ...after, syncStatus: 'dirty' };
}

/** What EspoCRM computes on every save: the name, and the primary e-mail address and phone number. */
export function withDerivedFields(type: string, record: EntityData): EntityData {
  return withPrimaryContacts(type, withDerivedName(type, record));
}

/**
 * EspoCRM keeps `emailAddress`/`phoneNumber` as the primary item of `emailAddressData`/`phoneNumberData` (the
 * first one when none is flagged), and a save that sets only the plain field (a web form) creates the list.
 */
function withPrimaryContacts(type: string, record: EntityData): EntityData {
  if (type !== 'CBeteiligte' && type !== 'Lead') return record;
  const out = { ...record };
  for (const [field, list] of [
    ['emailAddress', 'emailAddressData'],
    ['phoneNumber', 'phoneNumberData'],
  ] as const) {
    const items = out[list];
    if (Array.isArray(items)) {
      const entries = items.filter((i): i is Record<string, unknown> => typeof i === 'object' && i !== null);
      const primary = entries.find((i) => i.primary === true) ?? entries[0];
      out[field] = typeof primary?.[field] === 'string' ? primary[field] : null;
    } else if (typeof out[field] === 'string' && out[field] !== '') {
      out[list] = [{ [field]: out[field], primary: true }];
    }
  }
  return out;
}

/** Person-like entities show `name` computed from their parts; a company shows its firmenname. */
export function withDerivedName(type: string, record: EntityData): EntityData {
  if (type !== 'CBeteiligte' && type !== 'Lead') return record;
  const { firmenname, firstName, lastName } = record;
  if (typeof firmenname === 'string' && firmenname !== '') return { ...record, name: firmenname };
  const parts = [firstName, lastName].filter((p): p is string => typeof p === 'string' && p !== '');
  return parts.length > 0 ? { ...record, name: parts.join(' ') } : record;
}

/** Attributes whose value differs between two versions; the `modifiedAt` bump alone is no change. */
export function changedAttributes(before: EntityData, after: EntityData): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  keys.delete('modifiedAt');
  return [...keys].filter((k) => !isDeepStrictEqual(before[k], after[k]));
}

/**
 * True when a change reaches beyond the sync metadata: only such a change marks an entity
 * dirty or is news to webhook subscribers (the hub).
 */
export function touchesSyncRelevant(changed: readonly string[]): boolean {
  return changed.some((k) => !isSyncMetadata(k));
}
