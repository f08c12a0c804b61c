import { parseEspoDateTime } from '../espocrm-datetime';

/** 24 hours: how long a linked Beteiligte may go without a check against Advoware (SPEC §5.1). */
export const DEFAULT_STALE_MS = 86_400_000;

/**
 * True when an EspoCRM DateTime has been reached. A missing or unreadable one counts as
 * reached: a Beteiligte must never wait forever on a timestamp nobody can read.
 */
export function isDue(at: string | null | undefined, now: Date): boolean {
  const when = parseEspoDateTime(at);
  return when === undefined || when.getTime() <= now.getTime();
}

/** True when `lastSync` lies `staleMs` or more before `now`, or was never recorded (readably). */
export function isStale(lastSync: string | null | undefined, now: Date, staleMs: number): boolean {
  const when = parseEspoDateTime(lastSync);
  return when === undefined || now.getTime() - when.getTime() >= staleMs;
}
