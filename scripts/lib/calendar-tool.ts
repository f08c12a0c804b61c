/**
 * What `calendar:audit` and `calendar:reset` share: configuration (production `.env` or a running sandbox),
 * the clients, argument parsing and exit codes. Both commands talk to Advoware and Google the way the worker
 * does — through the shared Redis token cache and rate limit — so they need the hub's Redis.
 */
import type { Redis } from 'ioredis';
import type { AdvowareClient } from '../../clients/advoware/client';
import type { GoogleCalendarApi, HubCalendar } from '../../clients/google/calendar-api';
import { calendarToolConfigSchema, type CalendarToolConfig } from '../../config/env';
import { COMMAND_EXIT, loadCommandConfig, openCommandRedis } from './command';

export { parseFlags, runCommand, UsageError } from './command';

/** Exit codes of both commands. */
export const EXIT = { ...COMMAND_EXIT, differences: 1, aborted: 1 } as const;

/** The configuration in effect: `.env`, or the running sandbox when Advoware is not configured (see loadCommandConfig). */
export function loadCalendarToolConfig(): CalendarToolConfig {
  return loadCommandConfig(
    calendarToolConfigSchema,
    'ADVOWARE_API_BASE_URL',
    'ADVOWARE_API_BASE_URL, the other ADVOWARE_* and GOOGLE_CALENDAR_* variables',
  );
}

export interface CalendarTool {
  config: CalendarToolConfig;
  advoware: AdvowareClient;
  google: GoogleCalendarApi;
  redis: Redis;
  close(): Promise<void>;
}

/** The clients are loaded only here: googleapis takes seconds to load, which a usage error should not wait for. */
export async function openCalendarTool(config: CalendarToolConfig, name: string): Promise<CalendarTool> {
  // import() keeps ESM rules under NodeNext, hence the .js extensions (tsx maps them to the .ts files).
  const [{ createAdvowareClient }, { createGoogleCalendarApi }] = await Promise.all([
    import('../../clients/advoware/client.js'),
    import('../../clients/google/calendar-api.js'),
  ]);
  const redis = await openCommandRedis(config.REDIS_URL, name, "the commands share the hub's token cache and rate limit");
  return {
    config,
    advoware: createAdvowareClient(config, redis),
    google: createGoogleCalendarApi(config, redis),
    redis,
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** `--kuerzel ABC --kuerzel DEF` and `--kuerzel ABC,DEF` alike; upper-case, as Advoware writes them. */
export function kuerzelList(values: string[] | undefined): string[] {
  const all = (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim().toUpperCase())
    .filter(Boolean);
  return [...new Set(all)];
}

/**
 * Hub calendars by upper-case kuerzel (people type `abc`). Of several calendars for one employee the sync uses
 * the smallest id (googleEnsureCalendar), so that one comes first here and is the one compared.
 */
export function calendarsByKuerzel(calendars: readonly HubCalendar[]): Map<string, HubCalendar[]> {
  const result = new Map<string, HubCalendar[]>();
  for (const calendar of [...calendars].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const key = calendar.kuerzel.toUpperCase();
    result.set(key, [...(result.get(key) ?? []), calendar]);
  }
  return result;
}
