import type { Beteiligte, BeteiligteWrite } from '../../contracts/advoware';
import { salutationFromAdvoware, salutationToAdvoware } from './salutation';
import type { EspoBeteiligte, EspoStammdaten } from '../../contracts/espocrm';
import { datePart, sameText, text, toAdvowareDate, toEspoDate } from './values';

/**
 * The one place where Stammdaten are mapped between EspoCRM and Advoware (SPEC §3.2, §4).
 * A difference found against the real APIs is fixed here; the hash and the workflow follow.
 */

/** What an Advoware PUT applies; a field missing from the body is cleared, so a PUT always carries all eight. */
export const ADVOWARE_WRITABLE_FIELDS = ['name', 'vorname', 'anrede', 'titel', 'geburtsdatum', 'rechtsform', 'briefAnrede', 'zusatz'] as const;
export type AdvowareWritableField = (typeof ADVOWARE_WRITABLE_FIELDS)[number];

/**
 * The writable Advoware fields EspoCRM has a counterpart for (briefAnrede and zusatz have none).
 * `null` means EspoCRM says "empty"; a missing key means EspoCRM says nothing about the field
 * (a company's anrede, a title when the salutation holds none) and Advoware keeps its value.
 */
export interface StammdatenFields {
  name: string | null;
  vorname: string | null;
  anrede?: string | null;
  titel?: string | null;
  /** `YYYY-MM-DDT00:00:00` */
  geburtsdatum?: string | null;
  rechtsform?: string | null;
}

const STAMMDATEN_FIELDS = ['name', 'vorname', 'anrede', 'titel', 'geburtsdatum', 'rechtsform'] as const satisfies readonly (keyof StammdatenFields)[];

/** A company has a firmenname; everything else is a natural person (SPEC §4: EspoCRM then hides the names). */
export function isCompany(entity: Pick<EspoBeteiligte, 'firmenname'>): boolean {
  return text(entity.firmenname) !== null;
}

/** EspoCRM → Advoware. Person and company never mix: each side's fields of the other kind are empty. */
export function espoToAdvoware(entity: EspoStammdaten): StammdatenFields {
  if (isCompany(entity)) {
    return { name: text(entity.firmenname), vorname: null, geburtsdatum: null, rechtsform: text(entity.rechtsform) };
  }
  const firstName = text(entity.firstName);
  const lastName = text(entity.lastName);
  const fields: StammdatenFields = {
    // `name` is EspoCRM's display name; it stands in only for a record created without name parts.
    name: lastName ?? (firstName ? null : text(entity.name)),
    vorname: firstName,
    ...salutationToAdvoware(entity.salutationName),
    rechtsform: null,
  };
  // A date EspoCRM would not even store is no reason to clear Advoware's: leave it out.
  const dateOfBirth = text(entity.dateOfBirth);
  if (!dateOfBirth || datePart(dateOfBirth)) fields.geburtsdatum = toAdvowareDate(dateOfBirth);
  return fields;
}

/**
 * Read-modify-write (SPEC §3.2): all eight writable fields of the current Advoware Beteiligte, with
 * the mapped EspoCRM values laid over them. EspoCRM is master for what it maps; the rest stays.
 */
export function mergeForPut(current: Beteiligte, fields: StammdatenFields): BeteiligteWrite {
  const merged: Record<AdvowareWritableField, string | null> = {
    name: current.name ?? null,
    vorname: current.vorname ?? null,
    anrede: current.anrede ?? null,
    titel: current.titel ?? null,
    geburtsdatum: current.geburtsdatum ?? null,
    rechtsform: current.rechtsform ?? null,
    briefAnrede: current.briefAnrede ?? null,
    zusatz: current.zusatz ?? null,
  };
  for (const key of STAMMDATEN_FIELDS) {
    const value = fields[key];
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

/** Advoware fields whose value a PUT of `fields` changes, for the run's outcome. */
export function advowareChanges(current: Beteiligte, fields: StammdatenFields): string[] {
  return STAMMDATEN_FIELDS.filter((key) => {
    const next = fields[key];
    if (next === undefined) return false;
    return key === 'geburtsdatum' ? datePart(current[key]) !== datePart(next) : !sameText(current[key], next);
  });
}

type StammdatenPatch = { [K in keyof EspoStammdaten]?: string };

/**
 * Advoware → EspoCRM. Only non-null values: EspoCRM rejects nulls (SPEC §4), so a value Advoware
 * cleared (a birth date, a rechtsform) stays in EspoCRM and returns to Advoware with the next
 * EspoCRM → Advoware write. The one `''`: a person's firmenname, so a company can become a person.
 * With `current`, values EspoCRM already holds are left out, so a run that brings nothing new
 * writes only sync metadata (no webhook, no extra run) and keeps the user's own spelling.
 */
export function advowareToEspo(advo: Beteiligte, current?: EspoStammdaten): Partial<EspoBeteiligte> {
  const patch = text(advo.vorname) ? personFromAdvoware(advo, current) : companyFromAdvoware(advo);
  return current ? withoutUnchanged(patch, current) : patch;
}

/** In Advoware a person is a Beteiligte with a non-empty vorname (SPEC §4). */
function personFromAdvoware(advo: Beteiligte, current: EspoStammdaten | undefined): StammdatenPatch {
  const vorname = text(advo.vorname) ?? '';
  const name = text(advo.name);
  const patch: StammdatenPatch = { firstName: vorname, name: name ? `${vorname} ${name}` : vorname };
  if (name) patch.lastName = name;
  const salutation = salutationFromAdvoware(advo.anrede, advo.titel, current?.salutationName);
  if (salutation) patch.salutationName = salutation;
  const dateOfBirth = toEspoDate(advo.geburtsdatum);
  if (dateOfBirth) patch.dateOfBirth = dateOfBirth;
  // A firmenname left over would keep EspoCRM (and the mapping) treating the Beteiligte as a company.
  // Against a `current` without one, the comparison drops this again.
  patch.firmenname = '';
  return patch;
}

/** The person fields stay as they are: EspoCRM hides them once firmenname is set. */
function companyFromAdvoware(advo: Beteiligte): StammdatenPatch {
  const patch: StammdatenPatch = {};
  const name = text(advo.name);
  if (name) {
    patch.firmenname = name;
    patch.name = name;
  }
  const rechtsform = text(advo.rechtsform);
  if (rechtsform) patch.rechtsform = rechtsform;
  return patch;
}

function withoutUnchanged(patch: StammdatenPatch, current: EspoStammdaten): StammdatenPatch {
  const out: StammdatenPatch = {};
  for (const key of Object.keys(patch) as (keyof StammdatenPatch)[]) {
    const value = patch[key];
    if (value !== undefined && !sameEspoValue(key, current[key], value)) out[key] = value;
  }
  return out;
}

function sameEspoValue(key: string, a: unknown, b: unknown): boolean {
  const isText = (v: unknown): v is string | null | undefined => v === null || v === undefined || typeof v === 'string';
  if (!isText(a) || !isText(b)) return a === b;
  return key === 'dateOfBirth' ? datePart(a) === datePart(b) : sameText(a, b);
}

/** EspoCRM fields whose value `patch` changes (after normalisation), for the run's outcome. */
export function stammdatenChanges(entity: Partial<EspoBeteiligte>, patch: Partial<EspoBeteiligte>): string[] {
  return (Object.keys(patch) as (keyof EspoBeteiligte)[]).filter((key) => {
    const value = patch[key];
    return value !== undefined && !sameEspoValue(key, entity[key], value);
  });
}
