import { badRequest, notFound } from './errors.js';
import { datePart, isMidnightDateTime, isTime } from './formats.js';
import { newRowId, Sequence } from './ids.js';
import { definedOnly } from './objects.js';
import type { AdvowareSeed, Mitarbeiter, Termin, TerminFields } from './types.js';

const FIRST_FR_NR = 5001;

const TERMIN_DEFAULTS: Omit<TerminFields, 'kuerzel' | 'datum'> = {
  betreff: null,
  ort: null,
  notiz: null,
  uhrzeitVon: null,
  datumBis: null,
  uhrzeitBis: null,
  dauertermin: false,
  turnus: 0,
  turnusArt: 0,
  turnusBis: null,
};

export type NewTermin = Partial<TerminFields> & Pick<TerminFields, 'kuerzel' | 'datum'>;

/** Employees and their appointments. Returns copies; every write of a Termin gives it a new rowId. */
export class TerminStore {
  private mitarbeiter: Mitarbeiter[];
  private readonly termine = new Map<number, Termin>();
  private readonly frNrs = new Sequence(FIRST_FR_NR);

  constructor(seed: Pick<AdvowareSeed, 'mitarbeiter' | 'termine'>) {
    this.mitarbeiter = structuredClone(seed.mitarbeiter);
    for (const t of seed.termine) this.create(t);
  }

  listMitarbeiter(): Mitarbeiter[] {
    return structuredClone(this.mitarbeiter);
  }

  setMitarbeiter(list: readonly Mitarbeiter[]): void {
    this.mitarbeiter = structuredClone([...list]);
  }

  /**
   * Appointments overlapping [from, to] (dates `YYYY-MM-DD`, inclusive). A series
   * overlaps when it starts on or before `to` and has not ended before `from`.
   */
  list(filter: { kuerzel?: string; from?: string; to?: string } = {}): Termin[] {
    const { kuerzel, from, to } = filter;
    return [...this.termine.values()]
      .filter((t) => kuerzel === undefined || t.kuerzel.toUpperCase() === kuerzel.toUpperCase())
      .filter((t) => {
        const start = datePart(t.datum);
        const end = t.turnus > 0 ? (t.turnusBis ? datePart(t.turnusBis) : undefined) : datePart(t.datumBis ?? t.datum);
        return (to === undefined || start <= to) && (from === undefined || end === undefined || end >= from);
      })
      .sort((a, b) => a.frNr - b.frNr)
      .map((t) => structuredClone(t));
  }

  get(frNr: number): Termin {
    return structuredClone(this.termin(frNr));
  }

  create(fields: NewTermin): Termin {
    const termin: Termin = { ...this.validated(fields), frNr: this.frNrs.next(), rowId: newRowId() };
    this.termine.set(termin.frNr, termin);
    return structuredClone(termin);
  }

  /** Full replace: writable fields missing from `fields` fall back to their defaults. */
  replace(frNr: number, fields: NewTermin): Termin {
    this.termin(frNr);
    const termin: Termin = { ...this.validated(fields), frNr, rowId: newRowId() };
    this.termine.set(frNr, termin);
    return structuredClone(termin);
  }

  /** Merge `patch` over the current appointment (how a user edits one inside Advoware). */
  update(frNr: number, patch: Partial<TerminFields>): Termin {
    const current = this.termin(frNr);
    return this.replace(frNr, { ...current, ...definedOnly(patch) });
  }

  delete(frNr: number): void {
    this.termin(frNr);
    this.termine.delete(frNr);
  }

  private termin(frNr: number): Termin {
    const termin = this.termine.get(frNr);
    if (!termin) throw notFound(`Termin ${frNr} nicht gefunden.`);
    return termin;
  }

  /** Checks shared by the API and the in-process edits, so neither can store what Advoware would refuse. */
  private validated(fields: NewTermin): TerminFields {
    const t: TerminFields = {
      ...TERMIN_DEFAULTS,
      ...definedOnly(fields),
      kuerzel: fields.kuerzel,
      datum: fields.datum,
    };
    if (!this.mitarbeiter.some((m) => m.kuerzel.toUpperCase() === t.kuerzel.toUpperCase())) {
      throw badRequest(`Unbekannter Mitarbeiter '${t.kuerzel}'.`);
    }
    for (const key of ['datum', 'datumBis', 'turnusBis'] as const) {
      const v = t[key];
      if (v !== null && !isMidnightDateTime(v)) throw badRequest(`Feld '${key}' muss das Format YYYY-MM-DDT00:00:00 haben.`);
    }
    for (const key of ['uhrzeitVon', 'uhrzeitBis'] as const) {
      const v = t[key];
      if (v !== null && !isTime(v)) throw badRequest(`Feld '${key}' muss das Format HH:MM:SS haben.`);
    }
    if (t.datumBis !== null && datePart(t.datumBis) < datePart(t.datum)) {
      throw badRequest("'datumBis' liegt vor 'datum'.");
    }
    if (!Number.isInteger(t.turnus) || t.turnus < 0) throw badRequest("'turnus' muss eine ganze Zahl ≥ 0 sein.");
    // turnusArt is meaningless for a single appointment, so 0 is accepted there; a series needs a real unit.
    const units = t.turnus > 0 ? [1, 2, 3, 4] : [0, 1, 2, 3, 4];
    if (!units.includes(t.turnusArt)) throw badRequest(`'turnusArt' ${t.turnusArt} ist nicht erlaubt.`);
    return t;
  }
}
