/** Entity types the simulated CRM knows; anything else answers 404 like an unknown scope. */
export const ENTITY_TYPES = ['CBeteiligte', 'CBankverbindungen', 'Lead', 'Call', 'Task', 'Notification'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** Entity types with the CRM's own sync hooks (pending_sync on create, dirty on user edits). */
export const HOOKED_ENTITY_TYPES: ReadonlySet<string> = new Set<EntityType>(['CBeteiligte', 'CBankverbindungen']);

export const SYNC_STATUSES = [
  'pending_sync',
  'dirty',
  'syncing',
  'clean',
  'failed',
  'permanently_failed',
  'conflict',
  'deleted_in_advoware',
] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

export const PHONE_TYPES = ['Office', 'Mobile', 'Home', 'Fax', 'Other'] as const;

/**
 * Attributes the hub writes as bookkeeping of a sync. Changing only these neither marks an
 * entity dirty nor fires an update webhook — otherwise the hub would trigger itself forever.
 * The one list of them; hooks, webhooks and tests all read it from here.
 */
export const SYNC_METADATA_FIELDS = [
  'betnr',
  'advowareRowId',
  'syncStatus',
  'advowareLastSync',
  'advowareDeletedAt',
  'syncErrorMessage',
  'syncRetryCount',
  'syncNextRetry',
  'syncAutoResetAt',
  'kommunikationHash',
  'kommunikationEspoHash',
  'stammdatenHash',
  'adressenEspoHash',
  'adressenReported',
  // A bank account's bookkeeping (CBankverbindungen, SPEC §5.5).
  'advowareId',
  'bankverbindungHash',
] as const;
export type SyncMetadataField = (typeof SYNC_METADATA_FIELDS)[number];

/** Attributes the CRM maintains itself; a request body cannot set them. */
export const SYSTEM_FIELDS: readonly string[] = ['id', 'createdAt', 'modifiedAt', 'deleted'];

/** Attributes of one entity as the REST API shows them. */
export type EntityData = Record<string, unknown>;

export interface EntityRecord extends EntityData {
  id: string;
  createdAt: string;
  modifiedAt: string;
}

export function isEntityType(type: string): type is EntityType {
  return (ENTITY_TYPES as readonly string[]).includes(type);
}
