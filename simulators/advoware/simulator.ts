import type { Express, Router } from 'express';
import { Simulator } from '../core/simulator.js';
import { BeteiligteStore, type KommunikationPatch, type NewKommunikation } from './beteiligte-store.js';
import { registerAdresseRoutes } from './routes/adressen.js';
import { registerAdvowareAdminRoutes } from './routes/admin.js';
import { registerBankverbindungRoutes } from './routes/bankverbindungen.js';
import { registerBeteiligteRoutes } from './routes/beteiligte.js';
import type { AdvowareContext } from './routes/context.js';
import { registerAdvonetFallback, registerErrorHandler } from './routes/errors.js';
import { registerKommunikationRoutes } from './routes/kommunikationen.js';
import { registerTerminRoutes } from './routes/termine.js';
import { registerTokenRoute } from './routes/token.js';
import { demoSeed } from './seed.js';
import { TerminStore, type NewTermin } from './termin-store.js';
import { TokenService, type AdvowareCredentials } from './token.js';
import type {
  Adresse,
  AdresseFields,
  AdvowareSeed,
  Bankverbindung,
  BankverbindungFields,
  Beteiligte,
  BeteiligteFields,
  Kommunikation,
  Mitarbeiter,
  Termin,
  TerminFields,
} from './types.js';

export type { AdvowareCredentials } from './token.js';
export type * from './types.js';

export interface AdvowareSimulatorOptions {
  credentials: AdvowareCredentials;
  /** Lifetime of an issued token; the real service gives 55 minutes. */
  tokenTtlSeconds?: number;
  /** How far a token request's `RequestTimeStamp` may be from now; 5 minutes when absent. */
  timestampToleranceSeconds?: number;
  /** How single-entity GETs answer: a one-element array (as observed) or the object. */
  singleGetShape?: 'array' | 'object';
  /** Initial data; `demoSeed()` when absent. */
  seed?: AdvowareSeed;
}

const DEFAULT_TOKEN_TTL_SECONDS = 3300;
const DEFAULT_TIMESTAMP_TOLERANCE_SECONDS = 300;

/**
 * The Advoware REST API with its quirks (SPEC §3): HMAC-512 token auth, rowIds
 * that change on every write, kommKz masked to 0 on GET, read-only fields
 * silently ignored, 403 on deletes, unstable address indexes.
 *
 * The public methods below act like a user working inside Advoware: they bypass
 * HTTP (not counted, no quirks, true kommKz) but change rowIds like API writes.
 */
export class AdvowareSimulator extends Simulator {
  private readonly seed: AdvowareSeed;
  private readonly singleGetShape: 'array' | 'object';
  private readonly tokens: TokenService;
  private beteiligteStore: BeteiligteStore;
  private calendar: TerminStore;

  constructor(options: AdvowareSimulatorOptions) {
    super('advoware');
    // Kept as a snapshot so that reset() always restores the same data, even if the caller mutates theirs.
    this.seed = structuredClone(options.seed ?? demoSeed());
    this.singleGetShape = options.singleGetShape ?? 'array';
    this.tokens = new TokenService(options.credentials, {
      ttlSeconds: options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
      timestampToleranceSeconds: options.timestampToleranceSeconds ?? DEFAULT_TIMESTAMP_TOLERANCE_SECONDS,
    });
    this.beteiligteStore = new BeteiligteStore(this.seed.beteiligte);
    this.calendar = new TerminStore(this.seed);
  }

  protected registerRoutes(app: Express): void {
    const ctx = this.context();
    registerTokenRoute(app, ctx);
    registerBeteiligteRoutes(app, ctx);
    registerKommunikationRoutes(app, ctx);
    registerAdresseRoutes(app, ctx);
    registerBankverbindungRoutes(app, ctx);
    registerTerminRoutes(app, ctx);
    registerAdvonetFallback(app, ctx);
    registerErrorHandler(app);
  }

  protected override registerAdminRoutes(admin: Router): void {
    registerAdvowareAdminRoutes(admin, this.context());
  }

  /** Restores the seed. Issued tokens stay valid (a reset of data does not log clients out). */
  protected resetData(): void {
    this.beteiligteStore = new BeteiligteStore(this.seed.beteiligte);
    this.calendar = new TerminStore(this.seed);
  }

  /** Also zeroes `tokensIssued`, a counter like the call counters. */
  override reset(): void {
    super.reset();
    this.tokens.resetCounter();
  }

  /** Successful token requests since start (or the last reset). */
  get tokensIssued(): number {
    return this.tokens.tokensIssued;
  }

  /** Invalidate every issued token: the next API call with one of them gets 401. */
  expireTokens(): void {
    this.tokens.expireAll();
  }

  // --- Beteiligte -----------------------------------------------------------

  /** True data, including the true kommKz of each entry. Throws (status 404) when unknown. */
  getBeteiligte(betNr: number): Beteiligte {
    return this.beteiligteStore.get(betNr);
  }

  listBeteiligte(nameContains?: string): Beteiligte[] {
    return this.beteiligteStore.list(nameContains);
  }

  createBeteiligte(fields: Partial<BeteiligteFields> & Pick<BeteiligteFields, 'name'>): Beteiligte {
    return this.beteiligteStore.create(fields);
  }

  /** Any master-data field, like a user in Advoware; gives the Beteiligte a new rowId. */
  editBeteiligte(betNr: number, patch: Partial<BeteiligteFields>): Beteiligte {
    return this.beteiligteStore.update(betNr, patch);
  }

  /** Afterwards the API answers 404 for this betNr. */
  deleteBeteiligte(betNr: number): void {
    this.beteiligteStore.delete(betNr);
  }

  // --- Kommunikationen, Adressen, Bankverbindungen ---------------------------

  listKommunikationen(betNr: number): Kommunikation[] {
    return this.beteiligteStore.listKommunikationen(betNr);
  }

  addKommunikation(betNr: number, entry: NewKommunikation): Kommunikation {
    return this.beteiligteStore.addKommunikation(betNr, entry);
  }

  /** Unlike the API, a user may change kommKz too. */
  editKommunikation(betNr: number, id: number, patch: KommunikationPatch): Kommunikation {
    return this.beteiligteStore.updateKommunikation(betNr, id, patch);
  }

  /** Only possible inside Advoware (the API answers 403). */
  deleteKommunikation(betNr: number, id: number): void {
    this.beteiligteStore.deleteKommunikation(betNr, id);
  }

  listAdressen(betNr: number): Adresse[] {
    return this.beteiligteStore.listAdressen(betNr);
  }

  /** Inserted at reihenfolgeIndex 1, like an API POST. */
  addAdresse(betNr: number, fields: Partial<AdresseFields>): Adresse {
    return this.beteiligteStore.addAdresse(betNr, fields);
  }

  /** Any field, like a user in Advoware (the API writes only four); the address moves to reihenfolgeIndex 1 like after a PUT. */
  editAdresse(betNr: number, reihenfolgeIndex: number, patch: Partial<AdresseFields>): Adresse {
    return this.beteiligteStore.updateAdresse(betNr, reihenfolgeIndex, patch);
  }

  listBankverbindungen(betNr: number): Bankverbindung[] {
    return this.beteiligteStore.listBankverbindungen(betNr);
  }

  addBankverbindung(betNr: number, fields: Partial<BankverbindungFields>): Bankverbindung {
    return this.beteiligteStore.addBankverbindung(betNr, fields);
  }

  // --- Mitarbeiter and Termine ------------------------------------------------

  listMitarbeiter(): Mitarbeiter[] {
    return this.calendar.listMitarbeiter();
  }

  setMitarbeiter(list: readonly Mitarbeiter[]): void {
    this.calendar.setMitarbeiter(list);
  }

  listTermine(kuerzel?: string): Termin[] {
    return this.calendar.list({ kuerzel });
  }

  addTermin(fields: NewTermin): Termin {
    return this.calendar.create(fields);
  }

  /** Merges `patch` over the appointment; new rowId. */
  editTermin(frNr: number, patch: Partial<TerminFields>): Termin {
    return this.calendar.update(frNr, patch);
  }

  deleteTermin(frNr: number): void {
    this.calendar.delete(frNr);
  }

  /** Handlers read the stores through this at request time, because routes are registered inside super(). */
  private context(): AdvowareContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const sim = this;
    return {
      get beteiligteStore() {
        return sim.beteiligteStore;
      },
      get calendar() {
        return sim.calendar;
      },
      get tokens() {
        return sim.tokens;
      },
      get singleGetShape() {
        return sim.singleGetShape;
      },
    };
  }
}

export { demoSeed } from './seed.js';
export type { NewKommunikation, KommunikationPatch } from './beteiligte-store.js';
export type { NewTermin } from './termin-store.js';
