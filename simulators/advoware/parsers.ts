import { asBody, optBool, optDate, optInt, optString, optTime, reqString } from './body.js';
import { badRequest } from './errors.js';
import type { NewKommunikation } from './beteiligte-store.js';
import type { NewTermin } from './termin-store.js';
import {
  ADRESSE_WRITABLE,
  BETEILIGTE_WRITABLE,
  type AdresseFields,
  type BankverbindungFields,
  type BeteiligteFields,
  type BeteiligteWritableField,
} from './types.js';

/** Request bodies → typed inputs. Unknown fields are dropped here, which is how Advoware "ignores" them. */

const PARTY_TEXT_FIELDS = ['vorname', 'anrede', 'titel', 'rechtsform', 'briefAnrede', 'zusatz', 'strasse', 'plz', 'ort'] as const;

/** Every master-data field present in the body (creation, or an edit inside Advoware). */
export function parseBeteiligteFields(raw: unknown): Partial<BeteiligteFields> {
  const body = asBody(raw);
  const fields: Partial<BeteiligteFields> = { geburtsdatum: optDate(body, 'geburtsdatum') };
  if (body.name !== undefined) fields.name = reqString(body, 'name');
  for (const key of PARTY_TEXT_FIELDS) fields[key] = optString(body, key);
  return fields;
}

export function parseBeteiligteCreate(raw: unknown): Partial<BeteiligteFields> & Pick<BeteiligteFields, 'name'> {
  return { ...parseBeteiligteFields(raw), name: reqString(asBody(raw), 'name') };
}

/** PUT is a full replace of the 8 writable fields: one missing from the body is cleared. */
export function parseBeteiligtePut(raw: unknown): Pick<BeteiligteFields, BeteiligteWritableField> {
  const body = asBody(raw);
  const fields = { name: reqString(body, 'name') } as Pick<BeteiligteFields, BeteiligteWritableField>;
  for (const key of BETEILIGTE_WRITABLE) {
    if (key === 'name') continue;
    fields[key] = (key === 'geburtsdatum' ? optDate(body, key) : optString(body, key)) ?? null;
  }
  return fields;
}

export function parseKommunikationCreate(raw: unknown): NewKommunikation {
  const body = asBody(raw);
  const tlf = optString(body, 'tlf');
  if (tlf === undefined || tlf === null) throw badRequest("Feld 'tlf' ist erforderlich.");
  const kommKz = optInt(body, 'kommKz');
  if (kommKz === undefined) throw badRequest("Feld 'kommKz' ist erforderlich.");
  return { tlf, kommKz, bemerkung: optString(body, 'bemerkung'), online: optBool(body, 'online'), kommArt: optInt(body, 'kommArt') };
}

/** `kommKz` is read-only on PUT, so it is not even read. */
export function parseKommunikationPut(raw: unknown): { tlf?: string; bemerkung?: string | null; online?: boolean } {
  const body = asBody(raw);
  const tlf = optString(body, 'tlf');
  if (tlf === null) throw badRequest("Feld 'tlf' darf nicht null sein.");
  return { tlf, bemerkung: optString(body, 'bemerkung'), online: optBool(body, 'online') };
}

/** For edits inside Advoware, where the type can be changed too. */
export function parseKommunikationEdit(raw: unknown): ReturnType<typeof parseKommunikationPut> & { kommKz?: number } {
  return { ...parseKommunikationPut(raw), kommKz: optInt(asBody(raw), 'kommKz') };
}

const ADRESSE_TEXT_FIELDS = ['strasse', 'plz', 'ort', 'land', 'postfach', 'postfachPlz', 'zusatz', 'anschrift', 'bemerkung'] as const;

export function parseAdresseCreate(raw: unknown): Partial<AdresseFields> {
  const body = asBody(raw);
  const fields: Partial<AdresseFields> = {
    standardAnschrift: optBool(body, 'standardAnschrift'),
    gueltigVon: optDate(body, 'gueltigVon'),
  };
  for (const key of ADRESSE_TEXT_FIELDS) fields[key] = optString(body, key);
  return fields;
}

/** Only strasse, plz, ort and zusatz are writable after creation. */
export function parseAdressePut(raw: unknown): Partial<AdresseFields> {
  const body = asBody(raw);
  const fields: Partial<AdresseFields> = {};
  for (const key of ADRESSE_WRITABLE) fields[key] = optString(body, key);
  return fields;
}

const BANK_FIELDS = ['iban', 'bic', 'bank', 'kontoinhaber', 'bemerkung'] as const;

export function parseBankverbindung(raw: unknown): Partial<BankverbindungFields> {
  const body = asBody(raw);
  const fields: Partial<BankverbindungFields> = {};
  for (const key of BANK_FIELDS) fields[key] = optString(body, key);
  return fields;
}

/** POST and PUT (a full replace) take the same body; frNr and rowId in it are ignored. */
export function parseTermin(raw: unknown): NewTermin {
  const body = asBody(raw);
  const datum = optDate(body, 'datum');
  if (datum === undefined || datum === null) throw badRequest("Feld 'datum' ist erforderlich.");
  return {
    kuerzel: reqString(body, 'kuerzel'),
    datum,
    betreff: optString(body, 'betreff'),
    ort: optString(body, 'ort'),
    notiz: optString(body, 'notiz'),
    uhrzeitVon: optTime(body, 'uhrzeitVon'),
    datumBis: optDate(body, 'datumBis'),
    uhrzeitBis: optTime(body, 'uhrzeitBis'),
    dauertermin: optBool(body, 'dauertermin'),
    turnus: optInt(body, 'turnus'),
    turnusArt: optInt(body, 'turnusArt'),
    turnusBis: optDate(body, 'turnusBis'),
  };
}

/** An edit inside Advoware: only the fields present change. */
export function parseTerminPatch(raw: unknown): Partial<NewTermin> {
  const body = asBody(raw);
  const full = parseTermin({ kuerzel: 'placeholder', datum: '2000-01-01T00:00:00', ...body });
  return {
    ...full,
    kuerzel: body.kuerzel === undefined ? undefined : full.kuerzel,
    datum: body.datum === undefined ? undefined : full.datum,
  };
}
