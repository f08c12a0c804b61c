/** Shapes of the Advoware entities as the simulator keeps and serves them. Field names are Advoware's own. */

export interface Kommunikation {
  id: number;
  rowId: string;
  /** Type code 1–12 (see SPEC §3.2). The API's GET masks it to 0; this is the true value. */
  kommKz: number;
  kommArt: number;
  /** The value: a number or an address. */
  tlf: string;
  bemerkung: string | null;
  /** The hub uses it as the "primary" flag. */
  online: boolean;
}

/** Fields a PUT on a Beteiligte applies; every other field of the body is ignored. */
export const BETEILIGTE_WRITABLE = ['name', 'vorname', 'anrede', 'titel', 'geburtsdatum', 'rechtsform', 'briefAnrede', 'zusatz'] as const;
export type BeteiligteWritableField = (typeof BETEILIGTE_WRITABLE)[number];

/** Master data of a Beteiligte that a user can change inside Advoware (a superset of what the API may write). */
export interface BeteiligteFields {
  name: string;
  vorname: string | null;
  anrede: string | null;
  titel: string | null;
  /** `"2001-01-05T00:00:00"` or null. */
  geburtsdatum: string | null;
  rechtsform: string | null;
  briefAnrede: string | null;
  zusatz: string | null;
  strasse: string | null;
  plz: string | null;
  ort: string | null;
}

export interface Beteiligte extends BeteiligteFields {
  betNr: number;
  rowId: string;
  /** Set at creation only: Advoware has no reliable modification timestamp. */
  geaendertAm: string | null;
  kommunikation: Kommunikation[];
}

export interface AdresseFields {
  strasse: string | null;
  plz: string | null;
  ort: string | null;
  land: string | null;
  postfach: string | null;
  postfachPlz: string | null;
  zusatz: string | null;
  anschrift: string | null;
  standardAnschrift: boolean;
  gueltigVon: string | null;
  bemerkung: string | null;
}

/** Fields an address PUT applies; the rest are read-only after creation. */
export const ADRESSE_WRITABLE = ['strasse', 'plz', 'ort', 'zusatz'] as const;

export interface Adresse extends AdresseFields {
  rowId: string;
  /** 1-based position; not stable, a new address is inserted at 1. */
  reihenfolgeIndex: number;
  /** Read-only, always null through the API. */
  gueltigBis: string | null;
}

export interface BankverbindungFields {
  iban: string | null;
  bic: string | null;
  bank: string | null;
  kontoinhaber: string | null;
  bemerkung: string | null;
}

export interface Bankverbindung extends BankverbindungFields {
  id: number;
  rowId: string;
}

export interface Mitarbeiter {
  kuerzel: string;
  name: string;
  vorname: string | null;
  email: string | null;
  aktiv: boolean;
}

export interface TerminFields {
  kuerzel: string;
  betreff: string | null;
  ort: string | null;
  notiz: string | null;
  /** `"YYYY-MM-DDT00:00:00"`. */
  datum: string;
  /** `"HH:MM:SS"`, null for all-day appointments. */
  uhrzeitVon: string | null;
  datumBis: string | null;
  uhrzeitBis: string | null;
  dauertermin: boolean;
  /** Interval of a series; 0 = once. */
  turnus: number;
  /** 1 daily, 2 weekly, 3 monthly, 4 yearly; 0 when not a series. */
  turnusArt: number;
  /** Last date of a series, null = open-ended. */
  turnusBis: string | null;
}

export interface Termin extends TerminFields {
  frNr: number;
  rowId: string;
}

export interface SeedKommunikation {
  kommKz: number;
  tlf: string;
  bemerkung?: string | null;
  online?: boolean;
}

export interface SeedBeteiligte extends Partial<BeteiligteFields> {
  betNr: number;
  name: string;
  geaendertAm?: string | null;
  kommunikation?: SeedKommunikation[];
  /** In reihenfolgeIndex order. */
  adressen?: (Partial<AdresseFields> & { gueltigBis?: string | null })[];
  bankverbindungen?: Partial<BankverbindungFields>[];
}

/** Initial data of a simulator; ids and rowIds are generated when it is loaded. */
export interface AdvowareSeed {
  mitarbeiter: Mitarbeiter[];
  beteiligte: SeedBeteiligte[];
  termine: (Partial<TerminFields> & Pick<TerminFields, 'kuerzel' | 'datum'>)[];
}
