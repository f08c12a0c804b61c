import { badRequest, notFound } from './errors.js';
import { newRowId, Sequence } from './ids.js';
import { formatDateTime } from './formats.js';
import { definedOnly } from './objects.js';
import type {
  Adresse,
  AdresseFields,
  Bankverbindung,
  BankverbindungFields,
  Beteiligte,
  BeteiligteFields,
  Kommunikation,
  SeedBeteiligte,
} from './types.js';

type StoredAdresse = Omit<Adresse, 'reihenfolgeIndex'>;

interface BeteiligteRecord {
  data: Omit<Beteiligte, 'kommunikation'>;
  kommunikation: Kommunikation[];
  /** In reihenfolgeIndex order: position + 1 is the index. */
  adressen: StoredAdresse[];
  bankverbindungen: Bankverbindung[];
}

export interface NewKommunikation {
  kommKz: number;
  tlf: string;
  bemerkung?: string | null;
  online?: boolean;
  kommArt?: number;
}

export type KommunikationPatch = Partial<Pick<Kommunikation, 'tlf' | 'bemerkung' | 'online' | 'kommKz'>>;

const FIRST_BET_NR = 100001;

const EMPTY_PARTY: Omit<BeteiligteFields, 'name'> = {
  vorname: null,
  anrede: null,
  titel: null,
  geburtsdatum: null,
  rechtsform: null,
  briefAnrede: null,
  zusatz: null,
  strasse: null,
  plz: null,
  ort: null,
};

const EMPTY_ADRESSE: AdresseFields = {
  strasse: null,
  plz: null,
  ort: null,
  land: null,
  postfach: null,
  postfachPlz: null,
  zusatz: null,
  anschrift: null,
  standardAnschrift: false,
  gueltigVon: null,
  bemerkung: null,
};

const EMPTY_BANK: BankverbindungFields = { iban: null, bic: null, bank: null, kontoinhaber: null, bemerkung: null };

/**
 * Beteiligte with their Kommunikationen, Adressen and Bankverbindungen. Returns copies
 * (true data, including the true kommKz); the HTTP layer applies Advoware's quirks.
 * Every write of an entity gives that entity, and only that entity, a new rowId.
 */
export class BeteiligteStore {
  private readonly records = new Map<number, BeteiligteRecord>();
  private readonly betNrs = new Sequence(FIRST_BET_NR);
  private readonly kommIds = new Sequence(1);
  private readonly bankIds = new Sequence(1);

  constructor(seed: readonly SeedBeteiligte[]) {
    for (const s of seed) this.load(s);
  }

  list(nameContains?: string): Beteiligte[] {
    const needle = nameContains?.toLowerCase();
    return [...this.records.values()]
      .filter((p) => needle === undefined || p.data.name.toLowerCase().includes(needle))
      .sort((a, b) => a.data.betNr - b.data.betNr)
      .map(toBeteiligte);
  }

  get(betNr: number): Beteiligte {
    return toBeteiligte(this.beteiligte(betNr));
  }

  create(fields: Partial<BeteiligteFields> & Pick<BeteiligteFields, 'name'>): Beteiligte {
    const betNr = this.betNrs.next();
    this.records.set(betNr, {
      data: {
        ...EMPTY_PARTY,
        ...definedOnly(fields),
        name: fields.name,
        betNr,
        rowId: newRowId(),
        geaendertAm: formatDateTime(new Date()),
      },
      kommunikation: [],
      adressen: [],
      bankverbindungen: [],
    });
    return this.get(betNr);
  }

  /** Apply the given fields and give the Beteiligte a new rowId; geaendertAm stays stale on purpose. */
  update(betNr: number, patch: Partial<BeteiligteFields>): Beteiligte {
    const beteiligte = this.beteiligte(betNr);
    beteiligte.data = { ...beteiligte.data, ...definedOnly(patch), rowId: newRowId() };
    return this.get(betNr);
  }

  /** Only a user inside Advoware can do this; the API answers 403. */
  delete(betNr: number): void {
    this.beteiligte(betNr);
    this.records.delete(betNr);
  }

  listKommunikationen(betNr: number): Kommunikation[] {
    return structuredClone(this.beteiligte(betNr).kommunikation);
  }

  addKommunikation(betNr: number, entry: NewKommunikation): Kommunikation {
    const beteiligte = this.beteiligte(betNr);
    assertKommKz(entry.kommKz);
    const created: Kommunikation = {
      id: this.kommIds.next(),
      rowId: newRowId(),
      kommKz: entry.kommKz,
      kommArt: entry.kommArt ?? 0,
      tlf: entry.tlf,
      bemerkung: entry.bemerkung ?? null,
      online: entry.online ?? false,
    };
    beteiligte.kommunikation.push(created);
    return structuredClone(created);
  }

  updateKommunikation(betNr: number, id: number, patch: KommunikationPatch): Kommunikation {
    const entry = this.kommunikation(betNr, id);
    if (patch.kommKz !== undefined) assertKommKz(patch.kommKz);
    if (patch.tlf !== undefined) entry.tlf = patch.tlf;
    if (patch.bemerkung !== undefined) entry.bemerkung = patch.bemerkung;
    if (patch.online !== undefined) entry.online = patch.online;
    if (patch.kommKz !== undefined) entry.kommKz = patch.kommKz;
    entry.rowId = newRowId();
    return structuredClone(entry);
  }

  /** Only a user inside Advoware can do this; the API answers 403. */
  deleteKommunikation(betNr: number, id: number): void {
    const beteiligte = this.beteiligte(betNr);
    this.kommunikation(betNr, id);
    beteiligte.kommunikation = beteiligte.kommunikation.filter((k) => k.id !== id);
  }

  listAdressen(betNr: number): Adresse[] {
    return this.beteiligte(betNr).adressen.map((a, i) => ({ ...structuredClone(a), reihenfolgeIndex: i + 1 }));
  }

  /** Inserted at reihenfolgeIndex 1: every existing address moves one index down. */
  addAdresse(betNr: number, fields: Partial<AdresseFields>): Adresse {
    const beteiligte = this.beteiligte(betNr);
    beteiligte.adressen.unshift({ ...EMPTY_ADRESSE, ...definedOnly(fields), rowId: newRowId(), gueltigBis: null });
    return this.adresseAt(betNr, 1);
  }

  /**
   * The written address moves to reihenfolgeIndex 1 (the most recently changed first), so every other index may
   * shift: a client that PUTs by an index it read before another write hits the wrong address (SPEC §3.2).
   */
  updateAdresse(betNr: number, reihenfolgeIndex: number, patch: Partial<AdresseFields>): Adresse {
    const beteiligte = this.beteiligte(betNr);
    const current = beteiligte.adressen[reihenfolgeIndex - 1];
    if (!current) throw notFound(`Adresse ${reihenfolgeIndex} von Beteiligtem ${betNr} nicht gefunden.`);
    beteiligte.adressen.splice(reihenfolgeIndex - 1, 1);
    beteiligte.adressen.unshift({ ...current, ...definedOnly(patch), rowId: newRowId() });
    return this.adresseAt(betNr, 1);
  }

  listBankverbindungen(betNr: number): Bankverbindung[] {
    return structuredClone(this.beteiligte(betNr).bankverbindungen);
  }

  addBankverbindung(betNr: number, fields: Partial<BankverbindungFields>): Bankverbindung {
    const created: Bankverbindung = { ...EMPTY_BANK, ...definedOnly(fields), id: this.bankIds.next(), rowId: newRowId() };
    this.beteiligte(betNr).bankverbindungen.push(created);
    return structuredClone(created);
  }

  updateBankverbindung(betNr: number, id: number, patch: Partial<BankverbindungFields>): Bankverbindung {
    const beteiligte = this.beteiligte(betNr);
    const index = beteiligte.bankverbindungen.findIndex((b) => b.id === id);
    const current = beteiligte.bankverbindungen[index];
    if (!current) throw notFound(`Bankverbindung ${id} von Beteiligtem ${betNr} nicht gefunden.`);
    const updated = { ...current, ...definedOnly(patch), rowId: newRowId() };
    beteiligte.bankverbindungen[index] = updated;
    return structuredClone(updated);
  }

  private load(seed: SeedBeteiligte): void {
    const { kommunikation = [], adressen = [], bankverbindungen = [], betNr, geaendertAm, ...fields } = seed;
    this.betNrs.observe(betNr);
    this.records.set(betNr, {
      data: { ...EMPTY_PARTY, ...fields, betNr, rowId: newRowId(), geaendertAm: geaendertAm ?? null },
      kommunikation: [],
      adressen: adressen.map((a) => ({ ...EMPTY_ADRESSE, gueltigBis: null, ...a, rowId: newRowId() })),
      bankverbindungen: [],
    });
    for (const k of kommunikation) this.addKommunikation(betNr, k);
    for (const b of bankverbindungen) this.addBankverbindung(betNr, b);
  }

  private beteiligte(betNr: number): BeteiligteRecord {
    const beteiligte = this.records.get(betNr);
    if (!beteiligte) throw notFound(`Beteiligter ${betNr} nicht gefunden.`);
    return beteiligte;
  }

  private kommunikation(betNr: number, id: number): Kommunikation {
    const entry = this.beteiligte(betNr).kommunikation.find((k) => k.id === id);
    if (!entry) throw notFound(`Kommunikation ${id} von Beteiligtem ${betNr} nicht gefunden.`);
    return entry;
  }

  private adresseAt(betNr: number, reihenfolgeIndex: number): Adresse {
    const found = this.listAdressen(betNr)[reihenfolgeIndex - 1];
    if (!found) throw notFound(`Adresse ${reihenfolgeIndex} von Beteiligtem ${betNr} nicht gefunden.`);
    return found;
  }
}

function toBeteiligte(beteiligte: BeteiligteRecord): Beteiligte {
  return { ...structuredClone(beteiligte.data), kommunikation: structuredClone(beteiligte.kommunikation) };
}

function assertKommKz(kommKz: number): void {
  if (!Number.isInteger(kommKz) || kommKz < 1 || kommKz > 12) {
    throw badRequest(`kommKz muss zwischen 1 und 12 liegen, war ${kommKz}.`);
  }
}
