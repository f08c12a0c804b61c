import type { Redis } from 'ioredis';
import type { AdvowareConfig } from '../../config/env';
import { keepAlive, noCallScope, type CallScopeProvider } from '../../lib/call-scope';
import { externalFailure } from '../errors';
import { failForStatus, isSuccess, sendHttp, type HttpResponse } from '../http';
import { SharedTokenCache } from './token-cache';
import { requestAdvowareToken } from './token-source';
import type {
  Adresse,
  AdresseCreate,
  AdresseWrite,
  Beteiligte,
  BeteiligteWrite,
  Kommunikation,
  KommunikationCreate,
  KommunikationWrite,
  Mitarbeiter,
} from '../../contracts/advoware';
import type { Termin, TerminWrite } from '../../domain/calendar/types';
import type { AdvowareBankverbindung, BankverbindungWrite } from '../../contracts/bankverbindungen';

export const ADVOWARE_TOKEN_KEY = 'advoware_access_token';

/** `signal` ends the caller's wait for a token (see SharedTokenCache). */
export interface TokenProvider {
  get(signal?: AbortSignal): Promise<string>;
  refresh(staleToken: string, signal?: AbortSignal): Promise<string>;
}

export type QueryValue = string | number | boolean | readonly string[];

export interface AdvowareRequest {
  query?: Record<string, QueryValue | undefined>;
  body?: unknown;
}

export interface AdvowareClientOptions {
  /** `ADVOWARE_API_BASE_URL`; resource paths are resolved below it. */
  baseUrl: string;
  timeoutMs: number;
  tokens: TokenProvider;
  /** The caller's cancellation and heartbeat, asked for at every request; none by default (gateway, CLI). */
  scope?: CallScopeProvider;
}

const BETEILIGTE = 'api/v1/advonet/Beteiligte';
const TERMINE = 'api/v1/advonet/Termine';

/**
 * The one way the hub talks to Advoware: Bearer token from the shared cache,
 * one forced refresh and retry on 401, time-outs, and classified failures.
 * Used by activities and by the gateway's proxy.
 */
export class AdvowareClient {
  private readonly baseUrl: URL;

  /** Which Advoware this client talks to (its base URL). */
  get origin(): string {
    return this.baseUrl.href;
  }

  constructor(private readonly options: AdvowareClientOptions) {
    this.baseUrl = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  }

  /** The absolute URL of a path relative to the base (no validation: callers pass trusted paths). */
  resolve(path: string, query?: AdvowareRequest['query']): URL {
    const target = new URL(path.replace(/^\/+/, ''), this.baseUrl);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value as readonly string[]) target.searchParams.append(key, item);
      else target.searchParams.append(key, String(value));
    }
    return target;
  }

  /**
   * Any status comes back as it is; only network failures and time-outs throw. A cancelled caller's request ends at
   * once with the cancellation's reason, whether it waits for a token or for Advoware.
   */
  async request(method: string, path: string, req: AdvowareRequest = {}): Promise<HttpResponse> {
    const url = this.resolve(path, req.query).toString();
    const scope = (this.options.scope ?? noCallScope)();
    const { signal } = scope;
    const send = (token: string) =>
      sendHttp('Advoware', {
        method,
        url,
        displayPath: path,
        body: req.body,
        timeoutMs: this.options.timeoutMs,
        headers: { Authorization: `Bearer ${token}` },
        signal,
      });
    const stopHeartbeats = keepAlive(scope);
    try {
      const token = await this.options.tokens.get(signal);
      const first = await send(token);
      if (first.status !== 401) return first;
      return await send(await this.options.tokens.refresh(token, signal));
    } finally {
      stopHeartbeats();
    }
  }

  /** Like `request`, but a non-2xx answer throws the classified failure. */
  async call<T>(method: string, path: string, req: AdvowareRequest = {}): Promise<T> {
    const res = await this.request(method, path, req);
    if (!isSuccess(res.status)) failForStatus('Advoware', { method, displayPath: path }, res);
    return res.body as T;
  }

  /** Throws `AdvowareNotFound` when the Beteiligte was deleted in Advoware. */
  async getBeteiligte(betNr: number): Promise<Beteiligte> {
    const path = `${BETEILIGTE}/${betNr}`;
    return singleEntity(await this.call<Beteiligte | Beteiligte[]>('GET', path), 'GET', path);
  }

  async createBeteiligte(data: BeteiligteWrite): Promise<Beteiligte> {
    return singleEntity(await this.call<Beteiligte | Beteiligte[]>('POST', BETEILIGTE, { body: data }), 'POST', BETEILIGTE);
  }

  /** PUT answers the updated Beteiligte with its new rowId, so no GET is needed afterwards. */
  async updateBeteiligte(betNr: number, data: BeteiligteWrite): Promise<Beteiligte> {
    const path = `${BETEILIGTE}/${betNr}`;
    return singleEntity(await this.call<Beteiligte | Beteiligte[]>('PUT', path, { body: data }), 'PUT', path);
  }

  /** The only moment kommKz can be set (SPEC §3.2); the answer carries the new entry's id and rowId. */
  async createKommunikation(betNr: number, data: KommunikationCreate): Promise<Kommunikation> {
    const path = `${BETEILIGTE}/${betNr}/Kommunikationen`;
    return singleEntity(await this.call<Kommunikation | Kommunikation[]>('POST', path, { body: data }), 'POST', path);
  }

  /** Writes tlf, bemerkung and online (kommKz is read-only here); the answer carries the entry's new rowId. */
  async updateKommunikation(betNr: number, id: number, data: KommunikationWrite): Promise<Kommunikation> {
    const path = `${BETEILIGTE}/${betNr}/Kommunikationen/${id}`;
    return singleEntity(await this.call<Kommunikation | Kommunikation[]>('PUT', path, { body: data }), 'PUT', path);
  }

  /** Every Bankverbindung of the Beteiligte; `AdvowareNotFound` when the Beteiligte is gone. */
  async listBankverbindungen(betNr: number): Promise<AdvowareBankverbindung[]> {
    return this.call<AdvowareBankverbindung[]>('GET', `${BETEILIGTE}/${betNr}/Bankverbindungen`);
  }

  async createBankverbindung(betNr: number, data: BankverbindungWrite): Promise<AdvowareBankverbindung> {
    const path = `${BETEILIGTE}/${betNr}/Bankverbindungen`;
    return singleEntity(await this.call<AdvowareBankverbindung | AdvowareBankverbindung[]>('POST', path, { body: data }), 'POST', path);
  }

  /** The answer carries the entry's new rowId. */
  async updateBankverbindung(betNr: number, id: number, data: BankverbindungWrite): Promise<AdvowareBankverbindung> {
    const path = `${BETEILIGTE}/${betNr}/Bankverbindungen/${id}`;
    return singleEntity(await this.call<AdvowareBankverbindung | AdvowareBankverbindung[]>('PUT', path, { body: data }), 'PUT', path);
  }

  /** The Beteiligte's addresses; the Beteiligte GET does not embed them. */
  async listAdressen(betNr: number): Promise<Adresse[]> {
    return this.call<Adresse[]>('GET', `${BETEILIGTE}/${betNr}/Adressen`);
  }

  /** All 11 fields: the only moment the read-only ones and the marker in `bemerkung` can be set (SPEC §3.2). */
  async createAdresse(betNr: number, data: AdresseCreate): Promise<Adresse> {
    const path = `${BETEILIGTE}/${betNr}/Adressen`;
    return singleEntity(await this.call<Adresse | Adresse[]>('POST', path, { body: data }), 'POST', path);
  }

  /** Writes strasse, plz, ort and zusatz of the address now at `reihenfolgeIndex`, which is not stable: read it just before. */
  async updateAdresse(betNr: number, reihenfolgeIndex: number, data: AdresseWrite): Promise<Adresse> {
    const path = `${BETEILIGTE}/${betNr}/Adressen/${reihenfolgeIndex}`;
    return singleEntity(await this.call<Adresse | Adresse[]>('PUT', path, { body: data }), 'PUT', path);
  }

  async listMitarbeiter(): Promise<Mitarbeiter[]> {
    return this.call<Mitarbeiter[]>('GET', 'api/v1/advonet/Mitarbeiter');
  }

  /** One employee's Termine overlapping [from, to] (dates `YYYY-MM-DD`, inclusive); a series counts while it runs. */
  async listTermine(kuerzel: string, window: { from: string; to: string }): Promise<Termin[]> {
    return this.call<Termin[]>('GET', TERMINE, { query: { kuerzel, from: window.from, to: window.to } });
  }

  async createTermin(data: TerminWrite): Promise<Termin> {
    return singleEntity(await this.call<Termin | Termin[]>('POST', TERMINE, { body: data }), 'POST', TERMINE);
  }

  /** A full replace; the answer carries the new rowId. */
  async updateTermin(frNr: number, data: TerminWrite): Promise<Termin> {
    const path = `${TERMINE}/${frNr}`;
    return singleEntity(await this.call<Termin | Termin[]>('PUT', path, { body: data }), 'PUT', path);
  }

  async deleteTermin(frNr: number): Promise<void> {
    await this.call<unknown>('DELETE', `${TERMINE}/${frNr}`);
  }
}

/** Advoware answers single entities as an object or as a one-element array. */
export function singleEntity<T>(body: T | T[] | undefined, method: string, path: string): T {
  const entity = Array.isArray(body) ? body[0] : body;
  if (entity === undefined || entity === null || typeof entity !== 'object') {
    throw externalFailure({ system: 'Advoware', kind: 'ServerError', method, path }, 'answer carries no entity');
  }
  return entity;
}

/**
 * The production wiring: token from Advoware's security service, cached in the shared Redis. `tokenKey` lets tests
 * keep their tokens apart; every process of one hub shares the default. `scope`: the worker passes the activity's.
 */
export function createAdvowareClient(
  config: AdvowareConfig,
  redis: Redis,
  tokenKey = ADVOWARE_TOKEN_KEY,
  scope: CallScopeProvider = noCallScope,
): AdvowareClient {
  const tokens = new SharedTokenCache(redis, (signal) => requestAdvowareToken(config, undefined, signal), {
    key: tokenKey,
    ttlSeconds: config.ADVOWARE_TOKEN_CACHE_SECONDS,
  });
  return new AdvowareClient({ baseUrl: config.ADVOWARE_API_BASE_URL, timeoutMs: config.ADVOWARE_TIMEOUT_MS, tokens, scope });
}
