/**
 * When two phone numbers or e-mail addresses are "the same" (SPEC §5.3, §7, §8): the one definition the
 * Kommunikation sync, the lead dedup and the 3CX caller lookup share, so a number typed `030 1234567` in
 * Advoware finds `+49 30 1234567` in EspoCRM and an incoming call from `+49301234567`. Values are compared in
 * this normal form but always written as the user typed them.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** The firm is German: a number without country code is a German one (SPEC §7, §8). */
export const DEFAULT_PHONE_REGION: CountryCode = 'DE';

/** One `@`, something on both sides, no whitespace: enough to tell an address from a typo or a phone number. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;

/** Lower case and trimmed; null when it is no e-mail address at all (such a value cannot be synced). */
export function normaliseEmail(value: string | null | undefined): string | null {
  const trimmed = value?.trim().toLowerCase() ?? '';
  return EMAIL_SHAPE.test(trimmed) ? trimmed : null;
}

/**
 * E.164 (`+49301234567`), German when the number has no country code; null when it cannot be a phone number.
 * "Possible" (the length fits the country's plan) rather than "valid" (in an allocated range), so a real number
 * in a range newer than the library's metadata is still synced instead of dropped.
 */
export function normalisePhone(value: string | null | undefined, region: CountryCode = DEFAULT_PHONE_REGION): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  const parsed = parsePhoneNumberFromString(trimmed, region);
  return parsed?.isPossible() ? parsed.number : null;
}

/** True for a mobile number (German 015x/016x/017x and their like abroad), by the numbering plan. */
export function isMobileNumber(value: string | null | undefined, region: CountryCode = DEFAULT_PHONE_REGION): boolean {
  const trimmed = value?.trim();
  if (!trimmed) return false;
  return parsePhoneNumberFromString(trimmed, region)?.getType() === 'MOBILE';
}

/** A value that contains `@` is meant as an e-mail address, anything else as a phone number. */
export function looksLikeEmail(value: string | null | undefined): boolean {
  return (value ?? '').includes('@');
}

/** The comparison key of a value of either kind; null when it is neither a usable address nor number. */
export function contactKey(value: string | null | undefined): string | null {
  return looksLikeEmail(value) ? normaliseEmail(value) : normalisePhone(value);
}

/** For logs and results: only the last four characters stay readable (phone numbers and addresses are personal data). */
export function maskValue(value: string | null | undefined): string {
  const trimmed = value?.trim() ?? '';
  if (trimmed.length <= 4) return '*'.repeat(trimmed.length);
  return '*'.repeat(trimmed.length - 4) + trimmed.slice(-4);
}
