import type { Redis } from 'ioredis';
import type { CalendarIndex } from '../../domain/calendar/sync-index';

/**
 * What one employee's calendar sync carries from run to run. It is a cursor, not a second source of truth:
 * the mapping lives on the events' tags (SPEC §6), so a lost state only costs one full list that rebuilds it.
 */
export interface CalendarSyncState {
  calendarId: string;
  /** null: the next run lists the whole calendar (first run, or a run whose changes did not all land). */
  syncToken: string | null;
  index: CalendarIndex;
  /** Epoch ms of the last full Google list (the periodic full resync heals drift). */
  fullListedAt: number;
  /** Epoch ms of the last successful run: `calendar-sync-all` serves the oldest first. */
  syncedAt: number;
  fullContent: boolean;
}

const KEY_PREFIX = 'calendar_sync_state:';

export class CalendarStateStore {
  constructor(private readonly redis: Redis) {}

  async load(kuerzel: string): Promise<CalendarSyncState | null> {
    const raw = await this.redis.get(KEY_PREFIX + kuerzel);
    return raw === null ? null : (JSON.parse(raw) as CalendarSyncState);
  }

  async save(kuerzel: string, state: CalendarSyncState): Promise<void> {
    await this.redis.set(KEY_PREFIX + kuerzel, JSON.stringify(state));
  }

  /** After a reset (calendars deleted) the next run starts from scratch. */
  async clear(kuerzel: string): Promise<void> {
    await this.redis.del(KEY_PREFIX + kuerzel);
  }

  /** Last successful run per employee, 0 for never; one round trip for all of them. */
  async syncedAt(kuerzels: readonly string[]): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    if (kuerzels.length === 0) return result;
    const raws = await this.redis.mget(kuerzels.map((k) => KEY_PREFIX + k));
    kuerzels.forEach((kuerzel, i) => {
      const raw = raws[i];
      result.set(kuerzel, raw ? ((JSON.parse(raw) as Partial<CalendarSyncState>).syncedAt ?? 0) : 0);
    });
    return result;
  }
}
