import type { Redis } from 'ioredis';
import type { CalendarSyncState } from '../../domain/calendar/run-state';

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
