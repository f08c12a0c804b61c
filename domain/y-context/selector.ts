/**
 * Which party `GET /y/context` is asked about (SPEC §9): exactly one of `phone`, `betnr`, `espo_id`. Pure, so the
 * rules (one selector, a phone number that can be one) are unit-tested without a gateway.
 */
import { normalisePhone } from '../contact-values';

export const SELECTOR_NAMES = ['phone', 'betnr', 'espo_id'] as const;

export type YSelector =
  /** `number` is E.164, the caller index's key. */
  { kind: 'phone'; number: string } | { kind: 'betnr'; betNr: number } | { kind: 'espo_id'; espoId: string };

export type SelectorResult = { ok: true; selector: YSelector } | { ok: false; error: string };

/** EspoCRM ids are 17 hex characters; letters, digits, `-` and `_` leave room for imported ids and nothing else. */
const ESPO_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Advoware numbers parties from 1; nine digits keep it a safe integer and far above any real betNr. */
const BET_NR = /^[1-9]\d{0,8}$/;

/** Reads the selector from a parsed query string (values as Express gives them: a string, an array, or absent). */
export function parseSelector(query: Readonly<Record<string, unknown>>): SelectorResult {
  const given = SELECTOR_NAMES.filter((name) => query[name] !== undefined);
  if (given.length !== 1) {
    const what = given.length === 0 ? 'none was given' : `got ${given.join(' and ')}`;
    return { ok: false, error: `give exactly one of phone, betnr or espo_id (${what})` };
  }
  const name = given[0]!;
  const raw = query[name];
  if (typeof raw !== 'string') return { ok: false, error: `${name} must be given once` };
  const value = raw.trim();
  if (value === '') return { ok: false, error: `${name} is empty` };
  switch (name) {
    case 'phone': {
      const number = normalisePhone(value);
      return number === null ? { ok: false, error: 'phone is not a phone number' } : { ok: true, selector: { kind: 'phone', number } };
    }
    case 'betnr':
      return BET_NR.test(value)
        ? { ok: true, selector: { kind: 'betnr', betNr: Number(value) } }
        : { ok: false, error: 'betnr must be a positive whole number (Advoware Beteiligte number)' };
    case 'espo_id':
      return ESPO_ID.test(value)
        ? { ok: true, selector: { kind: 'espo_id', espoId: value } }
        : { ok: false, error: 'espo_id must be an EspoCRM id (letters, digits, - or _)' };
  }
}
