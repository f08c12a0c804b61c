import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { EspoCrmClient } from '../../clients/espocrm/client';
import { createCalendarClient } from '../../clients/google/calendar';
import { GoogleCalendarApi } from '../../clients/google/calendar-api';
import { CalendarStateStore } from '../../clients/redis/calendar-state';
import { RedisTokenBucket } from '../../lib/rate-limiter';
import { SANDBOX_ESPOCRM, SANDBOX_GOOGLE } from '../../simulators/sandbox-credentials';
import { advowareClientFor } from './gateway';
import { createTestWorker, type TestWorker } from './worker';

export interface CalendarWorkerOptions {
  advowareUrl: string;
  googleUrl: string;
  redis: Redis;
  /** The calendars' name prefix, of the test file's own (the Google simulator is per file, the Redis shared). */
  prefix: string;
  /** Only the workflows that notify need one; the calendar sync never calls EspoCRM. */
  espocrmUrl?: string;
  rateLimitPauseMs?: number;
}

/**
 * A worker with the production Google client and bucket: a bucket of the file's own, generous enough not to pace the
 * tests (the rate-limit tests build their own).
 */
export function createCalendarTestWorker(options: CalendarWorkerOptions): Promise<TestWorker> {
  const { redis, prefix } = options;
  const limiter = new RedisTokenBucket(redis, { key: `test:google_rate:${randomUUID()}`, ratePerMinute: 6_000, burst: 20 });
  const calendar = createCalendarClient({ baseUrl: options.googleUrl, accessToken: SANDBOX_GOOGLE.accessToken, timeoutMs: 5_000 });
  return createTestWorker({
    advoware: advowareClientFor(options.advowareUrl, redis, `test:${randomUUID()}`),
    espocrm: new EspoCrmClient({
      baseUrl: `${options.espocrmUrl ?? 'http://127.0.0.1:9'}/api/v1`,
      apiKey: SANDBOX_ESPOCRM.apiKey,
      timeoutMs: options.espocrmUrl ? 5_000 : 1_000,
    }),
    google: new GoogleCalendarApi(calendar, limiter, prefix, options.rateLimitPauseMs),
    calendarState: new CalendarStateStore(redis),
    env: { CALENDAR_SYNC_CALENDAR_PREFIX: prefix },
  });
}
