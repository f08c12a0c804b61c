import { invalidParameter, syncTokenWithRestrictions, timeRangeEmpty } from './errors';
import { parseRfc3339 } from './event-time';

/** The query of events.list, validated like Google does it. */
export interface EventListQuery {
  syncToken?: string;
  pageToken?: string;
  maxResults: number;
  timeMin?: number;
  timeMax?: number;
  updatedMin?: number;
  /** Undefined when the parameter is absent (it matters: `false` is forbidden with a sync token). */
  showDeleted?: boolean;
  privateProperties: [string, string][];
  sharedProperties: [string, string][];
  q?: string;
  iCalUID?: string;
  orderBy?: 'updated';
}

const DEFAULT_MAX_RESULTS = 250;
/** Google silently caps larger page sizes. */
const MAX_RESULTS_CAP = 2500;

type Query = Record<string, unknown>;

export function parseEventListQuery(query: Query): EventListQuery {
  if (parseBoolean(query, 'singleEvents') === true) {
    // Instances would need ids, originalStartTime and exceptions; the hub syncs series masters only.
    throw invalidParameter('singleEvents', 'singleEvents=true is not supported by the simulator.');
  }
  const orderBy = single(query, 'orderBy');
  if (orderBy !== undefined && orderBy !== 'updated') {
    // startTime ordering needs singleEvents=true, which is rejected above.
    throw invalidParameter('orderBy', 'The requested ordering is not available for the particular query.');
  }
  const parsed: EventListQuery = {
    maxResults: parseMaxResults(single(query, 'maxResults')),
    privateProperties: parseProperties(query, 'privateExtendedProperty'),
    sharedProperties: parseProperties(query, 'sharedExtendedProperty'),
  };
  const set = <K extends keyof EventListQuery>(key: K, value: EventListQuery[K] | undefined): void => {
    if (value !== undefined) parsed[key] = value;
  };
  set('syncToken', single(query, 'syncToken'));
  set('pageToken', single(query, 'pageToken'));
  set('timeMin', parseTime(query, 'timeMin'));
  set('timeMax', parseTime(query, 'timeMax'));
  set('updatedMin', parseTime(query, 'updatedMin'));
  set('showDeleted', parseBoolean(query, 'showDeleted'));
  set('q', single(query, 'q'));
  set('iCalUID', single(query, 'iCalUID'));
  set('orderBy', orderBy);
  if (parsed.timeMin !== undefined && parsed.timeMax !== undefined && parsed.timeMin >= parsed.timeMax) throw timeRangeEmpty();
  if (parsed.syncToken !== undefined && hasRestrictions(parsed)) throw syncTokenWithRestrictions();
  return parsed;
}

/** Filters that an incremental sync cannot honour; Google answers 400 when they come with a sync token. */
function hasRestrictions(q: EventListQuery): boolean {
  return (
    q.timeMin !== undefined ||
    q.timeMax !== undefined ||
    q.updatedMin !== undefined ||
    q.showDeleted === false ||
    q.privateProperties.length > 0 ||
    q.sharedProperties.length > 0 ||
    q.q !== undefined ||
    q.iCalUID !== undefined ||
    q.orderBy !== undefined
  );
}

/** Filters that make the result not a full picture of the calendar, so no sync token can follow from it. */
export function allowsSyncToken(q: EventListQuery): boolean {
  return (
    q.updatedMin === undefined &&
    q.privateProperties.length === 0 &&
    q.sharedProperties.length === 0 &&
    q.q === undefined &&
    q.iCalUID === undefined &&
    q.orderBy === undefined
  );
}

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidParameter(name);
  return value;
}

function parseBoolean(query: Query, name: string): boolean | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw invalidParameter(name);
  return value === 'true';
}

function parseTime(query: Query, name: string): number | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  const ms = parseRfc3339(value);
  if (ms === undefined) throw invalidParameter(name, 'Bad Request');
  return ms;
}

function parseMaxResults(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_RESULTS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw invalidParameter('maxResults');
  return Math.min(n, MAX_RESULTS_CAP);
}

/** `key=value`, repeatable; every one must match. */
function parseProperties(query: Query, name: string): [string, string][] {
  const raw = query[name];
  if (raw === undefined) return [];
  const values = Array.isArray(raw) ? raw : [raw];
  return values.map((v: unknown) => {
    if (typeof v !== 'string') throw invalidParameter(name);
    const eq = v.indexOf('=');
    if (eq <= 0) throw invalidParameter(name);
    return [v.slice(0, eq), v.slice(eq + 1)];
  });
}
