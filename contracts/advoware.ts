/** Advoware's wire shapes (SPEC §3.2). German names are Advoware's own field names. */

export interface Kommunikation {
  id: number;
  rowId: string;
  /** Always 0 on GET (Advoware bug); the real code comes from the hub's marker or the value. */
  kommKz: number;
  kommArt?: number;
  tlf: string;
  bemerkung: string | null;
  /** Used by the hub as the "primary" flag. */
  online: boolean;
}

/** Body of `PUT …/Kommunikationen/{id}`: kommKz is read-only there (SPEC §3.2), so every PUT sends these three. */
export interface KommunikationWrite {
  tlf: string;
  bemerkung: string;
  online: boolean;
}

/** Body of `POST …/Kommunikationen`: the only moment kommKz can be set. */
export interface KommunikationCreate extends KommunikationWrite {
  kommKz: number;
}

export interface Beteiligte {
  betNr: number;
  rowId: string;
  name: string | null;
  vorname?: string | null;
  anrede?: string | null;
  titel?: string | null;
  /** `"2001-01-05T00:00:00"` */
  geburtsdatum?: string | null;
  rechtsform?: string | null;
  briefAnrede?: string | null;
  zusatz?: string | null;
  strasse?: string | null;
  plz?: string | null;
  ort?: string | null;
  geaendertAm?: string | null;
  kommunikation?: Kommunikation[];
}

/**
 * One address of a Beteiligte (`…/Beteiligte/{betNr}/Adressen`, SPEC §3.2). `reihenfolgeIndex` addresses it for PUT
 * but is not stable; `bemerkung` carries the hub's marker, the only stable key.
 */
export interface Adresse {
  reihenfolgeIndex: number;
  rowId?: string | null;
  strasse: string | null;
  plz: string | null;
  ort: string | null;
  land: string | null;
  postfach: string | null;
  postfachPlz: string | null;
  zusatz: string | null;
  anschrift: string | null;
  standardAnschrift: boolean | null;
  /** `"2025-01-05T00:00:00"` */
  gueltigVon: string | null;
  /** Read-only: no soft delete through the API. */
  gueltigBis?: string | null;
  bemerkung: string | null;
}

/** Body of `PUT …/Adressen/{reihenfolgeIndex}`: the only four fields Advoware writes after creation. */
export type AdresseWrite = Pick<Adresse, 'strasse' | 'plz' | 'ort' | 'zusatz'>;

/** Body of `POST …/Adressen`: all 11 fields, the only moment the read-only ones and the marker can be set. */
export type AdresseCreate = Omit<Adresse, 'reihenfolgeIndex' | 'rowId' | 'gueltigBis'>;

export type BeteiligteWrite = Partial<Omit<Beteiligte, 'betNr' | 'rowId' | 'kommunikation' | 'geaendertAm'>>;

export interface Mitarbeiter {
  kuerzel: string;
  name: string;
  vorname: string;
  email: string | null;
  aktiv: boolean;
}
