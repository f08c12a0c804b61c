import { randomBytes } from 'node:crypto';

const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';

/** Event ids are base32hex (a–v, 0–9), 5–1024 characters; clients may choose their own within these rules. */
export const EVENT_ID_PATTERN = /^[a-v0-9]{5,1024}$/;

export function newEventId(): string {
  return Array.from(randomBytes(26), (b) => BASE32HEX[b % 32]).join('');
}

/** Secondary calendars get ids like Google's current `c_…@group.calendar.google.com`. */
export function newCalendarId(): string {
  return `c_${randomBytes(16).toString('hex')}@group.calendar.google.com`;
}

/**
 * Google etags are quoted decimal strings derived from the modification time; the change
 * sequence is appended so that two writes within one millisecond still differ.
 */
export function etagFor(updatedMs: number, changeSeq: number): string {
  return `"${updatedMs}${String(changeSeq % 1000).padStart(3, '0')}"`;
}
