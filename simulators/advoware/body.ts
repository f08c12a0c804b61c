import { badRequest } from './errors.js';
import { isMidnightDateTime, isTime } from './formats.js';

/** A JSON request body as a plain object, else 400. */
export type Body = Record<string, unknown>;

export function asBody(value: unknown): Body {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('Der Request-Body muss ein JSON-Objekt sein.');
  }
  return value as Body;
}

/** Field readers: `undefined` when the field is absent, 400 when it has the wrong type. */

export function optString(body: Body, key: string): string | null | undefined {
  const v = body[key];
  if (v === undefined || v === null || typeof v === 'string') return v;
  throw badRequest(`Feld '${key}' muss ein String sein.`);
}

export function reqString(body: Body, key: string): string {
  const v = optString(body, key);
  if (v === undefined || v === null || v.trim() === '') throw badRequest(`Feld '${key}' ist erforderlich.`);
  return v;
}

export function optBool(body: Body, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || typeof v === 'boolean') return v;
  throw badRequest(`Feld '${key}' muss true oder false sein.`);
}

export function optInt(body: Body, key: string): number | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw badRequest(`Feld '${key}' muss eine ganze Zahl sein.`);
}

/** A `YYYY-MM-DDT00:00:00` date value or null. */
export function optDate(body: Body, key: string): string | null | undefined {
  const v = optString(body, key);
  if (typeof v === 'string' && !isMidnightDateTime(v)) {
    throw badRequest(`Feld '${key}' muss das Format YYYY-MM-DDT00:00:00 haben.`);
  }
  return v;
}

/** A `HH:MM:SS` time value or null. */
export function optTime(body: Body, key: string): string | null | undefined {
  const v = optString(body, key);
  if (typeof v === 'string' && !isTime(v)) throw badRequest(`Feld '${key}' muss das Format HH:MM:SS haben.`);
  return v;
}

/** A non-negative integer route parameter, else 400 (ASP.NET's model binding rejects it). */
export function intParam(value: unknown, what: string): number {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw badRequest(`Ungültige ${what}: '${String(value)}'.`);
  return Number(value);
}
