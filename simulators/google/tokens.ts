import { invalidParameter } from './errors';

/**
 * Page and sync tokens are opaque to clients, as Google's are; here they are base64url JSON
 * so the simulator needs no server-side state to honour them.
 */

/** Where the next page continues: after this sort key; `snapshot` is the change sequence when page one was served. */
export interface PageCursor {
  key: [number, number];
  snapshot: number;
}

/** A sync token remembers the calendar, its change sequence and the token generation it was issued in. */
export interface SyncCursor {
  calendarId: string;
  seq: number;
  generation: number;
}

export function encodePageToken(cursor: PageCursor): string {
  return encode({ k: cursor.key, s: cursor.snapshot });
}

export function decodePageToken(token: string): PageCursor {
  const raw = decode(token);
  const key = raw?.k;
  if (!Array.isArray(key) || key.length !== 2 || !key.every(Number.isFinite) || !Number.isFinite(raw?.s)) {
    throw invalidParameter('pageToken', 'Invalid page token value.');
  }
  return { key: [key[0] as number, key[1] as number], snapshot: raw?.s as number };
}

export function encodeSyncToken(cursor: SyncCursor): string {
  return encode({ c: cursor.calendarId, q: cursor.seq, g: cursor.generation });
}

export function decodeSyncToken(token: string): SyncCursor {
  const raw = decode(token);
  if (typeof raw?.c !== 'string' || !Number.isFinite(raw.q) || !Number.isFinite(raw.g)) {
    throw invalidParameter('syncToken', 'Invalid sync token value.');
  }
  return { calendarId: raw.c, seq: raw.q as number, generation: raw.g as number };
}

function encode(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decode(token: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
