import type { Redis } from 'ioredis';
import { createAdvowareClient, type AdvowareClient } from '../../clients/advoware/client';
import { failureDetails } from '../../clients/errors';
import { createEspoCrmClient, type EspoCrmClient, type EspoEntity } from '../../clients/espocrm/client';
import { CallerIndexStore } from '../../clients/redis/caller-index';
import { YContextCache } from '../../clients/redis/y-context-cache';
import type { AdvowareConfig, EspoCrmConfig, StaffMember, YContextConfig } from '../../config/env';
import type { EspoBeteiligte } from '../../contracts/espocrm';
import { isFailure } from '../../contracts/failures';
import { appointmentWindow } from '../../domain/y-context/appointments';
import {
  BANKVERBINDUNG_STATUS_ATTRIBUTES,
  CALL_ATTRIBUTES,
  RECENT_CALLS,
  buildProfile,
  type AppointmentsSource,
  type BankverbindungStatus,
  type EspoCall,
} from '../../domain/y-context/profile';
import type { YSelector } from '../../domain/y-context/selector';
import type { Logger } from '../../lib/logger';

/** A party the assistant can ask the caller about when a selector matches several. */
export interface YCandidate {
  espoId: string;
  name: string | null;
  betNr: number | null;
}

export type YResolution = { kind: 'party'; espoId: string } | { kind: 'notFound' } | { kind: 'ambiguous'; candidates: YCandidate[] };

export type YContextAnswer = { kind: 'profile'; json: string; cache: 'hit' | 'miss' | 'bypass' } | { kind: 'notFound' };

/** A source the profile cannot do without (EspoCRM, or Redis for the caller index) did not answer: `503`. */
export class YContextUnavailable extends Error {
  override name = 'YContextUnavailable';
  constructor(
    readonly system: 'EspoCRM' | 'Redis',
    options: { cause: unknown },
  ) {
    super(`${system} is unreachable`, options);
  }
}

export interface YContextServiceDeps {
  espocrm: EspoCrmClient;
  advoware: AdvowareClient;
  callerIndex: CallerIndexStore;
  cache: YContextCache;
  staff: readonly StaffMember[];
  cacheSeconds: number;
  appointmentDays: number;
  logger: Logger;
  now?: () => Date;
}

const CANDIDATE_ATTRIBUTES = ['id', 'name', 'betnr'] as const;

/**
 * `GET /y/context` behind the route (SPEC §9): resolves the selector, answers from the cache, or reads the party's
 * parts in parallel and caches the built profile. A warm answer costs the selector (phone: one Redis lookup; betnr:
 * one EspoCRM list; espo_id: nothing) and one Redis GET. A cold one costs 3 EspoCRM calls (the party, its last calls,
 * its bank accounts' status) and 1 Advoware call (the assignee's Termine; none without an assignee in the staff
 * directory), plus a token request when Advoware's shared token has expired.
 */
export class YContextService {
  private readonly now: () => Date;
  private readonly kuerzelByUser: ReadonlyMap<string, string>;

  constructor(private readonly deps: YContextServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.kuerzelByUser = new Map(deps.staff.map((member) => [member.userId, member.kuerzel]));
  }

  /** Which party the selector names; never a pick among several. */
  async resolve(selector: YSelector): Promise<YResolution> {
    switch (selector.kind) {
      case 'espo_id':
        return { kind: 'party', espoId: selector.espoId };
      case 'phone': {
        const { matches } = await this.deps.callerIndex.lookup(selector.number).catch((err: unknown) => {
          throw new YContextUnavailable('Redis', { cause: err });
        });
        if (matches.length === 0) return { kind: 'notFound' };
        if (matches.length === 1) return { kind: 'party', espoId: matches[0]!.espoId };
        return { kind: 'ambiguous', candidates: matches.map((m) => ({ espoId: m.espoId, name: m.name, betNr: m.betNr })) };
      }
      case 'betnr': {
        // Two rows are enough to tell "one" from "several"; a betNr should be unique, but a guess is never the answer.
        const page = await this.espo(() =>
          this.deps.espocrm.list<EspoBeteiligte & EspoEntity>('CBeteiligte', {
            where: [{ type: 'equals', attribute: 'betnr', value: selector.betNr }],
            select: CANDIDATE_ATTRIBUTES,
            maxSize: 2,
            orderBy: 'id',
            order: 'asc',
          }),
        );
        if (page.list.length === 0) return { kind: 'notFound' };
        if (page.list.length === 1 && page.total <= 1) return { kind: 'party', espoId: page.list[0]!.id };
        return {
          kind: 'ambiguous',
          candidates: page.list.map((b) => ({ espoId: b.id, name: b.name ?? null, betNr: b.betnr ?? null })),
        };
      }
    }
  }

  /** The party's profile as JSON text: from the cache when it is there, else built and (when complete) cached. */
  async context(espoId: string): Promise<YContextAnswer> {
    const cached = await this.cacheGet(espoId);
    if (cached !== null) return { kind: 'profile', json: cached, cache: 'hit' };

    const now = this.now();
    // Side by side: the party, its calls, its bank accounts' status; the assignee's Termine as soon as the party is
    // there (it names the assignee), while the two lists may still be on their way.
    const party = this.espo(() => this.getBeteiligte(espoId));
    const planned = party.then(
      (b) => (b === null ? null : this.appointments(b.assignedUserId ?? null, now)),
      () => null, // the party's own failure is reported through `party`
    );
    const [beteiligte, calls, bankverbindungen, appointments] = await Promise.all([
      party,
      this.espo(() => this.listCalls(espoId)),
      this.espo(() => this.listBankverbindungStatus(espoId)),
      planned,
    ]);
    if (beteiligte === null || appointments === null) return { kind: 'notFound' };
    const assigneeId = beteiligte.assignedUserId ?? null;

    const { profile, complete } = buildProfile({
      beteiligte,
      calls,
      bankverbindungen,
      assignee: assigneeId === null ? null : { userId: assigneeId, kuerzel: this.kuerzelOf(assigneeId) },
      appointments,
      now,
    });
    const json = JSON.stringify(profile);
    // An answer missing a part for a passing reason is not kept: the next request tries that part again.
    if (complete) await this.cacheSet(espoId, json);
    return { kind: 'profile', json, cache: complete ? 'miss' : 'bypass' };
  }

  /** Null when EspoCRM has no such party (deleted, or a stale caller index entry). */
  private async getBeteiligte(espoId: string): Promise<EspoBeteiligte | null> {
    try {
      return await this.deps.espocrm.get<EspoBeteiligte & EspoEntity>('CBeteiligte', espoId);
    } catch (err) {
      if (isFailure(err, 'EspoCrm', 'NotFound')) return null;
      throw err;
    }
  }

  private async listCalls(espoId: string): Promise<EspoCall[]> {
    const page = await this.deps.espocrm.list<EspoCall & EspoEntity>('Call', {
      where: [
        { type: 'equals', attribute: 'parentType', value: 'CBeteiligte' },
        { type: 'equals', attribute: 'parentId', value: espoId },
      ],
      select: CALL_ATTRIBUTES,
      orderBy: 'dateStart',
      order: 'desc',
      maxSize: RECENT_CALLS,
    });
    return page.list;
  }

  /** Only the status attributes are selected: the account's IBAN, BIC and holder never leave EspoCRM for this. */
  private async listBankverbindungStatus(espoId: string): Promise<BankverbindungStatus[]> {
    const page = await this.deps.espocrm.list<BankverbindungStatus & EspoEntity>('CBankverbindungen', {
      where: [{ type: 'equals', attribute: 'cBeteiligteId', value: espoId }],
      select: BANKVERBINDUNG_STATUS_ATTRIBUTES,
      orderBy: 'id',
      order: 'asc',
      maxSize: 50,
    });
    return page.list;
  }

  /** Advoware failing costs only this part of the answer (SPEC §9 is read-only and best effort here). */
  private async appointments(assigneeId: string | null, now: Date): Promise<AppointmentsSource> {
    if (assigneeId === null) return { kind: 'unavailable', reason: 'the party has no assigned employee', transient: false };
    const kuerzel = this.kuerzelOf(assigneeId);
    if (kuerzel === null) {
      return { kind: 'unavailable', reason: 'the assigned employee has no Advoware kuerzel in STAFF_DIRECTORY', transient: false };
    }
    const window = appointmentWindow(now, this.deps.appointmentDays);
    try {
      return { kind: 'listed', kuerzel, window, termine: await this.deps.advoware.listTermine(kuerzel, window) };
    } catch (err) {
      const kind = failureDetails(err)?.kind;
      this.deps.logger.warn({ err, kuerzel }, 'y context: Advoware appointments unavailable');
      return { kind: 'unavailable', reason: kind ? `Advoware failed (${kind})` : 'Advoware is unreachable', transient: true };
    }
  }

  private kuerzelOf(userId: string): string | null {
    return this.kuerzelByUser.get(userId) ?? null;
  }

  private async espo<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (err) {
      throw new YContextUnavailable('EspoCRM', { cause: err });
    }
  }

  /** A cache that does not answer is no cache: the profile is built from the sources instead. */
  private async cacheGet(espoId: string): Promise<string | null> {
    try {
      return await this.deps.cache.get(espoId);
    } catch (err) {
      this.deps.logger.warn({ err, espoId }, 'y context: cache read failed');
      return null;
    }
  }

  private async cacheSet(espoId: string, json: string): Promise<void> {
    try {
      await this.deps.cache.set(espoId, json, this.deps.cacheSeconds);
    } catch (err) {
      this.deps.logger.warn({ err, espoId }, 'y context: cache write failed');
    }
  }
}

/**
 * The production wiring: clients of its own with the short `Y_CONTEXT_TIMEOUT_MS`, so a slow Advoware costs the
 * appointments and not the assistant's whole wait; the Advoware token is the one every process shares in Redis.
 */
export function createYContextService(
  config: AdvowareConfig & EspoCrmConfig & YContextConfig & { STAFF_DIRECTORY: readonly StaffMember[] },
  redis: Redis,
  logger: Logger,
): YContextService {
  return new YContextService({
    espocrm: createEspoCrmClient({ ...config, ESPOCRM_TIMEOUT_MS: config.Y_CONTEXT_TIMEOUT_MS }),
    advoware: createAdvowareClient({ ...config, ADVOWARE_TIMEOUT_MS: config.Y_CONTEXT_TIMEOUT_MS }, redis),
    callerIndex: new CallerIndexStore(redis),
    cache: new YContextCache(redis),
    staff: config.STAFF_DIRECTORY,
    cacheSeconds: config.Y_CONTEXT_CACHE_SECONDS,
    appointmentDays: config.Y_CONTEXT_APPOINTMENT_DAYS,
    logger,
  });
}
