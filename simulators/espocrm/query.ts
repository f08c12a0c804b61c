import { badRequest, forbidden } from './errors.js';
import type { EntityData, EntityRecord } from './model.js';
import { compare, matchesAll, parseWhere, type WhereClause } from './where.js';

export interface ListQuery {
  where?: WhereClause[];
  /** Page size; unlimited in-process, 200 by default and at most 200 over the API. */
  maxSize?: number;
  offset?: number;
  orderBy?: string;
  order?: 'asc' | 'desc';
  /** Attributes to return; `id` always comes along. */
  select?: string[];
}

export interface ListResult {
  total: number;
  list: EntityData[];
}

/** EspoCRM's `recordListMaxSizeLimit`: the default page size and its ceiling. */
export const MAX_MAX_SIZE = 200;

/** Filters, sorts and pages. `total` counts every match, `list` holds one page. */
export function runQuery(rows: readonly EntityRecord[], query: ListQuery = {}): ListResult {
  const where = query.where ?? [];
  const matched = rows.filter((r) => matchesAll(r, where));
  if (query.orderBy) {
    const key = query.orderBy;
    const sign = query.order === 'desc' ? -1 : 1;
    // Array.prototype.sort is stable, so equal keys keep creation order and offset paging stays consistent.
    matched.sort((a, b) => sign * compareNullsFirst(a[key], b[key]));
  }
  const offset = query.offset ?? 0;
  const page = query.maxSize === undefined ? matched.slice(offset) : matched.slice(offset, offset + query.maxSize);
  return { total: matched.length, list: page.map((r) => project(r, query.select)) };
}

/** MySQL orders NULL before every value ascending. */
function compareNullsFirst(a: unknown, b: unknown): number {
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (aNull || bNull) return aNull === bNull ? 0 : aNull ? -1 : 1;
  return compare(a, b);
}

function project(record: EntityRecord, select: readonly string[] | undefined): EntityData {
  if (!select || select.length === 0) return structuredClone(record);
  const out: EntityData = { id: record.id };
  for (const key of select) if (key in record) out[key] = structuredClone(record[key]);
  return out;
}

/** Reads the list parameters of `GET /api/v1/:entityType` from the qs-parsed query. */
export function parseListQuery(q: Record<string, unknown>): ListQuery {
  const maxSize = intParam(q.maxSize, 'maxSize') ?? MAX_MAX_SIZE;
  if (maxSize < 0) throw badRequest('maxSize must not be negative');
  // EspoCRM answers 403, not 400, to a page larger than its limit.
  if (maxSize > MAX_MAX_SIZE) throw forbidden(`Max size should not exceed ${MAX_MAX_SIZE}. Use offset and limit.`);
  const offset = intParam(q.offset, 'offset') ?? 0;
  if (offset < 0) throw badRequest('offset must not be negative');
  const query: ListQuery = { where: parseWhere(q.where), maxSize, offset };
  if (q.orderBy !== undefined) {
    if (typeof q.orderBy !== 'string') throw badRequest('orderBy must be an attribute name');
    query.orderBy = q.orderBy;
  }
  if (q.order !== undefined) {
    const order = typeof q.order === 'string' ? q.order.toLowerCase() : '';
    if (order !== 'asc' && order !== 'desc') throw badRequest('order must be asc or desc');
    query.order = order;
  }
  if (q.select !== undefined) {
    if (typeof q.select !== 'string') throw badRequest('select must be a comma-separated list');
    query.select = q.select
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  return query;
}

function intParam(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw badRequest(`${name} must be an integer`);
  return n;
}
