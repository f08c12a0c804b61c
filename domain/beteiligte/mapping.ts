import type { Beteiligte, BeteiligteWrite } from '../../clients/advoware/types';
import type { EspoBeteiligte } from './types';

/**
 * The one place where Stammdaten are mapped between EspoCRM and Advoware (SPEC §3.2, §4).
 * A difference found against the real APIs is fixed here.
 */

/** The Advoware master fields EspoCRM has a counterpart for; EspoCRM is their master. */
export interface StammdatenFields {
  name: string | null;
  vorname: string | null;
  anrede: string | null;
  titel: string | null;
  geburtsdatum: string | null;
  rechtsform: string | null;
}

/** Of the 8 fields Advoware writes on PUT, these are the ones the hub never owns: kept as they are. */
const ADVOWARE_OWNED_WRITABLE = ['briefAnrede', 'zusatz'] as const;

const SALUTATION_TO_ANREDE: Record<string, string> = { 'Mr.': 'Herr', 'Ms.': 'Frau', 'Mrs.': 'Frau', 'Dr.': 'Dr.' };
const ANREDE_TO_SALUTATION: Record<string, string> = { Herr: 'Mr.', Frau: 'Ms.', 'Dr.': 'Dr.' };

const text = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

/** A company has a firmenname; everything else is a natural person (SPEC §4). */
export function isCompany(entity: Pick<EspoBeteiligte, 'firmenname'>): boolean {
  return text(entity.firmenname) !== null;
}

export function espoToAdvoware(entity: EspoBeteiligte): StammdatenFields {
  if (isCompany(entity)) {
    return {
      name: text(entity.firmenname),
      vorname: null,
      anrede: null,
      titel: null,
      geburtsdatum: null,
      rechtsform: text(entity.rechtsform),
    };
  }
  const salutation = text(entity.salutationName);
  const dateOfBirth = text(entity.dateOfBirth);
  return {
    name: text(entity.lastName) ?? text(entity.name),
    vorname: text(entity.firstName),
    anrede: salutation ? (SALUTATION_TO_ANREDE[salutation] ?? salutation) : null,
    titel: null,
    geburtsdatum: dateOfBirth ? `${dateOfBirth}T00:00:00` : null,
    rechtsform: null,
  };
}

/**
 * Read-modify-write (SPEC §3.2): the current Advoware party's writable fields with EspoCRM's
 * values laid over them, so a PUT never blanks a field the hub does not own.
 */
export function mergeForPut(current: Beteiligte, fields: StammdatenFields): BeteiligteWrite {
  const kept: BeteiligteWrite = {};
  for (const key of ADVOWARE_OWNED_WRITABLE) kept[key] = current[key] ?? null;
  // A title is Advoware's own unless EspoCRM ever gets a field for it.
  return { ...kept, ...fields, titel: fields.titel ?? current.titel ?? null };
}

/** EspoCRM fields from an Advoware party; only non-null values, because EspoCRM rejects nulls (SPEC §4). */
export function advowareToEspo(advo: Beteiligte): Partial<EspoBeteiligte> {
  const out: Partial<EspoBeteiligte> = {};
  const vorname = text(advo.vorname);
  const name = text(advo.name);
  if (vorname) {
    out.firstName = vorname;
    if (name) out.lastName = name;
    out.name = [vorname, name].filter(Boolean).join(' ');
    const anrede = text(advo.anrede);
    if (anrede) out.salutationName = ANREDE_TO_SALUTATION[anrede] ?? anrede;
    const geburtsdatum = text(advo.geburtsdatum);
    if (geburtsdatum) out.dateOfBirth = geburtsdatum.slice(0, 10);
  } else {
    if (name) {
      out.firmenname = name;
      out.name = name;
    }
    const rechtsform = text(advo.rechtsform);
    if (rechtsform) out.rechtsform = rechtsform;
  }
  return out;
}

/** EspoCRM fields whose value `patch` changes, for the run's outcome. */
export function stammdatenChanges(entity: EspoBeteiligte, patch: Partial<EspoBeteiligte>): string[] {
  return (Object.keys(patch) as (keyof EspoBeteiligte)[]).filter((key) => (entity[key] ?? null) !== (patch[key] ?? null));
}

/** Advoware fields whose value a PUT of `fields` changes. */
export function advowareChanges(current: Beteiligte, fields: StammdatenFields): string[] {
  return (Object.keys(fields) as (keyof StammdatenFields)[]).filter((key) => (current[key] ?? null) !== fields[key]);
}
