import { formatDateTime } from './datetime.js';
import { badRequest, notFound } from './errors.js';
import { applyCreateHooks, applyUpdateHooks, changedAttributes, touchesSyncRelevant, withDerivedFields } from './hooks.js';
import { newEspoId } from './ids.js';
import { isEntityType, SYSTEM_FIELDS, type EntityData, type EntityRecord } from './model.js';
import { runQuery, type ListQuery, type ListResult } from './query.js';
import { EntityStore } from './store.js';
import { isObject, validateAttributes, validateRequired } from './validation.js';
import type { WebhookDispatcher } from './webhooks.js';

/**
 * The simulated CRM's behaviour, independent of HTTP: validation, the CRM's own hooks,
 * `createdAt`/`modifiedAt`, soft delete and webhook events. API and in-process writes
 * both go through here, so they behave alike.
 */
export class EspoCrmCore {
  readonly store = new EntityStore();

  constructor(
    private readonly webhooks: WebhookDispatcher,
    private readonly now: () => Date,
  ) {}

  get(type: string, id: string): EntityRecord {
    assertType(type);
    const record = this.store.get(type, id);
    if (!record) throw notFound(`${type} ${id} not found`);
    return record;
  }

  list(type: string, query?: ListQuery): ListResult {
    assertType(type);
    return runQuery(this.store.live(type), query);
  }

  create(type: string, body: unknown): EntityRecord {
    assertType(type);
    const data = writableAttributes(body);
    validateAttributes(data);
    const stamp = formatDateTime(this.now());
    const record: EntityRecord = { ...applyCreateHooks(type, data), id: newEspoId(), createdAt: stamp, modifiedAt: stamp };
    validateRequired(type, record);
    this.store.insert(type, record);
    this.webhooks.emit(type, 'create', record);
    return structuredClone(record);
  }

  update(type: string, id: string, body: unknown): EntityRecord {
    const before = this.get(type, id);
    const patch = writableAttributes(body);
    validateAttributes(patch);
    const merged = withDerivedFields(type, { ...before, ...patch });
    // Every write bumps modifiedAt, even the hub's own metadata-only ones (SPEC §4).
    const after: EntityRecord = {
      ...applyUpdateHooks(type, before, merged, patch),
      id,
      createdAt: before.createdAt,
      modifiedAt: formatDateTime(this.now()),
    };
    this.store.replace(type, after);
    const changed = changedAttributes(before, after);
    if (touchesSyncRelevant(changed)) {
      const item: EntityData = { id };
      for (const key of changed) item[key] = after[key];
      this.webhooks.emit(type, 'update', item);
    }
    return structuredClone(after);
  }

  remove(type: string, id: string): void {
    const before = this.get(type, id);
    this.store.replace(type, { ...before, modifiedAt: formatDateTime(this.now()) });
    this.store.markDeleted(type, id);
    this.webhooks.emit(type, 'delete', { id });
  }

  /** Loads seed rows as they are: ids and timestamps kept when given, create hooks applied, no webhooks. */
  load(type: string, rows: readonly EntityData[]): void {
    assertType(type);
    const stamp = formatDateTime(this.now());
    for (const row of rows) {
      validateAttributes(row);
      const record: EntityRecord = {
        ...applyCreateHooks(type, row),
        id: typeof row.id === 'string' ? row.id : newEspoId(),
        createdAt: typeof row.createdAt === 'string' ? row.createdAt : stamp,
        modifiedAt: typeof row.modifiedAt === 'string' ? row.modifiedAt : stamp,
      };
      validateRequired(type, record);
      this.store.insert(type, record);
    }
  }
}

function assertType(type: string): void {
  if (!isEntityType(type)) throw notFound(`Entity type ${type} does not exist`);
}

function writableAttributes(body: unknown): EntityData {
  if (!isObject(body)) throw badRequest('Body must be a JSON object');
  const data: EntityData = { ...body };
  for (const key of SYSTEM_FIELDS) delete data[key];
  return data;
}
