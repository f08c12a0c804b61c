import { badRequest } from './errors.js';
import type { EntityData } from './model.js';
import { isObject } from './validation.js';

export interface WhereClause {
  type: string;
  attribute?: string;
  /** Scalar, list (`in`, `notIn`) or nested clauses (`or`, `and`). */
  value?: unknown;
}

type Scalar = string | number | boolean;

const COMPARISONS: Record<string, (actual: Scalar, wanted: unknown) => boolean> = {
  equals: (a, w) => sameValue(a, w),
  notEquals: (a, w) => !sameValue(a, w),
  in: (a, w) => toList(w).some((x) => sameValue(a, x)),
  notIn: (a, w) => !toList(w).some((x) => sameValue(a, x)),
  before: (a, w) => compare(a, w) < 0,
  after: (a, w) => compare(a, w) > 0,
  lessThan: (a, w) => compare(a, w) < 0,
  greaterThan: (a, w) => compare(a, w) > 0,
  lessThanOrEquals: (a, w) => compare(a, w) <= 0,
  greaterThanOrEquals: (a, w) => compare(a, w) >= 0,
  contains: (a, w) => String(a).toLowerCase().includes(String(w).toLowerCase()),
  startsWith: (a, w) => String(a).toLowerCase().startsWith(String(w).toLowerCase()),
  endsWith: (a, w) => String(a).toLowerCase().endsWith(String(w).toLowerCase()),
};

const NULL_CHECKS: Record<string, (actual: unknown) => boolean> = {
  isNull: (a) => a === null || a === undefined,
  isNotNull: (a) => a !== null && a !== undefined,
  isTrue: (a) => a === true,
  isFalse: (a) => a === false || a === null || a === undefined,
};

/**
 * Turns the `where` query parameter (as parsed by qs: arrays or index-keyed objects)
 * into clauses, rejecting unknown types up front so a typo answers 400 instead of "no rows".
 */
export function parseWhere(raw: unknown): WhereClause[] {
  if (raw === undefined || raw === '') return [];
  return listOf(raw, 'where').map((item, i) => parseClause(item, `where[${i}]`));
}

function parseClause(raw: unknown, at: string): WhereClause {
  if (!isObject(raw) || typeof raw.type !== 'string') throw badRequest(`${at} needs a type`);
  const { type, attribute, value } = raw;
  if (type === 'or' || type === 'and') {
    return { type, value: listOf(value ?? [], `${at}[value]`).map((v, i) => parseClause(v, `${at}[value][${i}]`)) };
  }
  if (!(type in COMPARISONS) && !(type in NULL_CHECKS)) throw badRequest(`${at}: unsupported where type "${type}"`);
  if (typeof attribute !== 'string' || attribute === '') throw badRequest(`${at} needs an attribute`);
  return { type, attribute, value };
}

function listOf(raw: unknown, at: string): unknown[] {
  if (Array.isArray(raw)) return raw;
  // qs turns sparse or very long index lists into objects keyed "0", "1", …
  if (isObject(raw) && Object.keys(raw).every((k) => /^\d+$/.test(k))) {
    return Object.keys(raw)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => raw[k]);
  }
  throw badRequest(`${at} must be a list`);
}

/** True when the entity satisfies every clause (the top level is an implicit `and`). */
export function matchesAll(entity: EntityData, clauses: readonly WhereClause[]): boolean {
  return clauses.every((c) => matches(entity, c));
}

function matches(entity: EntityData, clause: WhereClause): boolean {
  const nested = Array.isArray(clause.value) ? (clause.value as WhereClause[]) : [];
  if (clause.type === 'and') return matchesAll(entity, nested);
  if (clause.type === 'or') return nested.some((c) => matches(entity, c));
  const actual = clause.attribute === undefined ? undefined : entity[clause.attribute];
  const nullCheck = NULL_CHECKS[clause.type];
  if (nullCheck) return nullCheck(actual);
  const comparison = COMPARISONS[clause.type];
  if (!comparison) throw badRequest(`unsupported where type "${clause.type}"`);
  // As in SQL, a comparison with NULL (or a non-scalar column) is never true.
  if (!isScalar(actual)) return false;
  return comparison(actual, clause.value);
}

function isScalar(v: unknown): v is Scalar {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Query-string values arrive as strings, so `3` equals `"3"` and `true` equals `"true"`. */
function sameValue(actual: Scalar, wanted: unknown): boolean {
  if (!isScalar(wanted)) return false;
  if (typeof actual === 'boolean' && (wanted === '1' || wanted === '0')) return actual === (wanted === '1');
  return String(actual) === String(wanted);
}

function toList(wanted: unknown): unknown[] {
  if (Array.isArray(wanted)) return wanted;
  if (isObject(wanted)) return Object.values(wanted);
  return wanted === undefined ? [] : [wanted];
}

/** Numeric when both sides are numbers, else lexical — right for `YYYY-MM-DD HH:MM:SS`. */
export function compare(a: unknown, b: unknown): number {
  const na = typeof a === 'number' ? a : Number.NaN;
  const nb = typeof b === 'number' ? b : typeof b === 'string' && b.trim() !== '' ? Number(b) : Number.NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
