/**
 * The simulators in a process of their own, so the hub processes are measured apart from them and they do not
 * share the bench's event loop. The parent drives them over the IPC channel (`bench/sim-client.ts`): seeding,
 * a user's edits, injected latency, call counts, and a notice the moment both sides are consistent.
 */
import { espoAdressenHash } from '../domain/adressen/hash';
import { toEspoDateTime } from '../domain/espocrm-datetime';
import { stammdatenHash } from '../domain/beteiligte/hash';
import { espoKommunikationHash } from '../domain/kommunikation/hash';
import { readTags } from '../domain/calendar/tags';
import type { HubEvent } from '../domain/calendar/types';
import type { EspoBeteiligte } from '../contracts/espocrm';
import { AdvowareSimulator } from '../simulators/advoware/simulator';
import type { NewTermin } from '../simulators/advoware/termin-store';
import type { CallRecord } from '../simulators/core/simulator';
import { EspoCrmSimulator } from '../simulators/espocrm/simulator';
import { GoogleCalendarSimulator } from '../simulators/google/simulator';
import { ThreeCxSimulator } from '../simulators/threecx/simulator';
import {
  SANDBOX_ADVOWARE_CREDENTIALS,
  SANDBOX_ESPOCRM,
  SANDBOX_GOOGLE,
  SANDBOX_THREECX,
  SANDBOX_VERMIETERHELDEN,
  advowareEnvFor,
  espocrmEnvFor,
  googleEnvFor,
  threecxEnvFor,
} from '../simulators/sandbox-credentials';
import { nowMs } from './stats';

const ENTITY = 'CBeteiligte';
/** Advoware's token endpoint is no API call of a sync (one per 53 minutes, shared through Redis). */
const TOKEN_ROUTE = /Token/;

const advoware = new AdvowareSimulator({ credentials: SANDBOX_ADVOWARE_CREDENTIALS, seed: { beteiligte: [], mitarbeiter: [], termine: [] } });
// No webhooks registered: the bench sends the webhooks itself, so EspoCRM's batching delay is not measured.
const espocrm = new EspoCrmSimulator({ apiKey: SANDBOX_ESPOCRM.apiKey });
const google = new GoogleCalendarSimulator({ accessToken: SANDBOX_GOOGLE.accessToken, defaultTimeZone: 'Europe/Berlin' });
// The bench rings the gateway itself; no rate limit, so outbound calls measure the hub, not 3CX's 60/min.
const threecx = new ThreeCxSimulator({ apiKey: SANDBOX_THREECX.apiKey, webhookSecret: SANDBOX_THREECX.webhookSecret, rateLimit: 1_000_000 });

interface Watch {
  done: () => boolean;
  resolve: (at: number) => void;
}
const watches = new Map<string, Watch>();

/** Both sides consistent: Advoware has the name, EspoCRM says `clean` with the hash of what it holds now. */
function consistent(espoId: string, lastName: string): boolean {
  const record = espocrm.getRecord(ENTITY, espoId) as (EspoBeteiligte & { id: string }) | undefined;
  if (!record || record.syncStatus !== 'clean' || record.stammdatenHash !== stammdatenHash(record)) return false;
  if (typeof record.betnr !== 'number') return false;
  return advoware.getBeteiligte(record.betnr).name === lastName;
}

/** Both sides hold `phoneNumber`: Advoware has an entry with it, EspoCRM says `clean` with the Kommunikation hash of what it holds. */
function phoneSynced(espoId: string, phoneNumber: string): boolean {
  const record = espocrm.getRecord(ENTITY, espoId) as (EspoBeteiligte & { id: string }) | undefined;
  if (!record || record.syncStatus !== 'clean' || typeof record.betnr !== 'number') return false;
  if (record.kommunikationEspoHash !== espoKommunikationHash(record)) return false;
  return advoware.listKommunikationen(record.betnr).some((k) => k.tlf === phoneNumber);
}

/** Advoware's billing address has `street`, EspoCRM says `clean` with the address hash of what it holds. */
function addressSynced(espoId: string, street: string): boolean {
  const record = espocrm.getRecord(ENTITY, espoId) as (EspoBeteiligte & { id: string }) | undefined;
  if (!record || record.syncStatus !== 'clean' || typeof record.betnr !== 'number') return false;
  if (record.adressenEspoHash !== espoAdressenHash(record)) return false;
  return advoware.listAdressen(record.betnr).some((a) => a.strasse === street);
}

function checkWatches(): void {
  for (const [espoId, watch] of watches) {
    if (!watch.done()) continue;
    watches.delete(espoId);
    watch.resolve(nowMs());
  }
}

/** Resolves with the time (`nowMs`) `done` first held after an EspoCRM call finished. */
function waitFor(espoId: string, done: () => boolean, timeoutMs: number, what: string): Promise<number> {
  if (done()) return Promise.resolve(nowMs());
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      watches.delete(espoId);
      reject(new Error(`${espoId}: ${what} not reached after ${timeoutMs} ms: ${JSON.stringify(espocrm.getRecord(ENTITY, espoId))}`));
    }, timeoutMs);
    watches.set(espoId, {
      done,
      resolve: (at) => {
        clearTimeout(timer);
        resolve(at);
      },
    });
  });
}

// EspoCRM's last write of a sync is what makes both sides consistent; its call record is added when the
// response is finished, so every finished EspoCRM call is the moment to look. Wrapping the instance's method
// keeps the simulator itself unchanged.
const addCall = espocrm.calls.add.bind(espocrm.calls);
espocrm.calls.add = (record: CallRecord): void => {
  addCall(record);
  if (watches.size > 0) checkWatches();
};

const apiCalls = (records: CallRecord[]): number => records.filter((c) => !TOKEN_ROUTE.test(c.route)).length;

export const handlers = {
  createBeteiligte(count: number, label: string): string[] {
    return Array.from({ length: count }, (_, i) => espocrm.userCreate(ENTITY, { firstName: 'Bench', lastName: `${label} ${i}` }).id);
  },
  editEspo(espoId: string, patch: Record<string, string>): void {
    espocrm.userUpdate(ENTITY, espoId, patch);
  },
  espoRecord(espoId: string): Record<string, unknown> | undefined {
    return espocrm.getRecord(ENTITY, espoId);
  },
  editAdvoware(betNr: number, patch: { name: string }): void {
    advoware.editBeteiligte(betNr, patch);
  },
  /** Resolves with the time (`nowMs`) both sides became consistent with `lastName`. */
  waitConsistent(espoId: string, lastName: string, timeoutMs: number): Promise<number> {
    return waitFor(espoId, () => consistent(espoId, lastName), timeoutMs, `consistent with "${lastName}"`);
  },
  /** A Beteiligte with an e-mail address and an office number, as the Kommunikation part starts from. */
  createBeteiligteWithKommunikation(label: string): string {
    return espocrm.userCreate(ENTITY, {
      firstName: 'Bench',
      lastName: label,
      emailAddressData: [{ emailAddress: 'bench@example.de', primary: true }],
      phoneNumberData: [{ phoneNumber: '+49 30 1234567', type: 'Office', primary: true }],
    }).id;
  },
  /** A user adds a phone number in EspoCRM; answers the changed attributes, as EspoCRM's webhook item carries them. */
  addEspoPhone(espoId: string, phoneNumber: string): Record<string, unknown> {
    const record = espocrm.getRecord(ENTITY, espoId) as unknown as EspoBeteiligte;
    const phoneNumberData = [...(record.phoneNumberData ?? []), { phoneNumber, type: 'Mobile', primary: false }];
    espocrm.userUpdate(ENTITY, espoId, { phoneNumberData });
    return { id: espoId, phoneNumberData };
  },
  /** Resolves with the time (`nowMs`) both sides held `phoneNumber`. */
  waitPhoneSynced(espoId: string, phoneNumber: string, timeoutMs: number): Promise<number> {
    return waitFor(espoId, () => phoneSynced(espoId, phoneNumber), timeoutMs, `${phoneNumber} synced`);
  },
  /** A Beteiligte with a billing address, as the Adressen part starts from. */
  createBeteiligteWithAddress(label: string): string {
    return espocrm.userCreate(ENTITY, {
      firstName: 'Bench',
      lastName: label,
      billingAddressStreet: 'Benchstraße 0',
      billingAddressPostalCode: '10115',
      billingAddressCity: 'Berlin',
      billingAddressCountry: 'Deutschland',
    }).id;
  },
  /** A user changes the billing street in EspoCRM; answers the changed attributes, as EspoCRM's webhook item carries them. */
  editEspoAddressStreet(espoId: string, street: string): Record<string, unknown> {
    espocrm.userUpdate(ENTITY, espoId, { billingAddressStreet: street });
    return { id: espoId, billingAddressStreet: street };
  },
  /** Resolves with the time (`nowMs`) both sides held `street`. */
  waitAddressSynced(espoId: string, street: string, timeoutMs: number): Promise<number> {
    return waitFor(espoId, () => addressSynced(espoId, street), timeoutMs, `${street} synced`);
  },
  /** A party in Advoware and linked in EspoCRM (betnr set), as the Bankverbindungen part starts from. */
  createLinkedParty(label: string): string {
    const betNr = advoware.createBeteiligte({ name: label, vorname: 'Bench' }).betNr;
    return espocrm.userCreate(ENTITY, { firstName: 'Bench', lastName: label, betnr: betNr, syncStatus: 'clean' }).id;
  },
  /** A user enters a bank account of the party in EspoCRM. */
  createBankAccount(partyId: string, iban: string): string {
    return espocrm.userCreate('CBankverbindungen', {
      name: 'Bench',
      iban,
      bic: 'COBADEFFXXX',
      bank: 'Commerzbank',
      kontoinhaber: 'Bench',
      cBeteiligteId: partyId,
    }).id;
  },
  /**
   * `count` linked parties with a mobile number each (every tenth also with an office line), straight into the
   * EspoCRM simulator as a migration would leave them; returns their ids and mobile numbers in E.164. Synced just now,
   * so no later sweep (the drains of the production part) takes them up.
   */
  createCallerParties(count: number, label: string): { ids: string[]; numbers: string[] } {
    const ids: string[] = [];
    const numbers: string[] = [];
    const base = 15_100_000_000 + Math.floor(Math.random() * 1_000_000) * 100;
    const syncedAt = toEspoDateTime(new Date());
    for (let i = 0; i < count; i++) {
      const mobile = `+49${base + i * 7}`;
      const phoneNumberData = [{ phoneNumber: mobile, type: 'Mobile', primary: true }];
      if (i % 10 === 0) phoneNumberData.push({ phoneNumber: `030 ${4_000_000 + i}`, type: 'Office', primary: false });
      ids.push(
        espocrm.userCreate(ENTITY, {
          firstName: 'Bench',
          lastName: `${label} ${i}`,
          betnr: 900_000 + i,
          syncStatus: 'clean',
          advowareLastSync: syncedAt,
          phoneNumberData,
        }).id,
      );
      numbers.push(mobile);
    }
    return { ids, numbers };
  },
  /** Leads (by e-mail) whose follow-up, a call or a Task, is recorded on the Lead. */
  leadsFollowedUp(emails: string[]): number {
    const wanted = new Set(emails);
    const emailsOf = (lead: Record<string, unknown>): string[] =>
      Array.isArray(lead.emailAddressData) ? (lead.emailAddressData as { emailAddress: string }[]).map((e) => e.emailAddress) : [];
    return espocrm.listRecords('Lead').list.filter((lead) => lead.vmhFollowUp && emailsOf(lead).some((email) => wanted.has(email))).length;
  },
  notClean(espoIds: string[]): number {
    return espoIds.filter((id) => espocrm.getRecord(ENTITY, id)?.syncStatus !== 'clean').length;
  },
  resetCalls(): void {
    for (const sim of [advoware, espocrm, google, threecx]) sim.calls.reset();
  },
  apiCalls(): { advoware: number; espocrm: number; google: number; threecx: number } {
    return {
      advoware: apiCalls(advoware.calls.filter()),
      espocrm: apiCalls(espocrm.calls.filter()),
      google: google.calls.count(),
      threecx: threecx.calls.count(),
    };
  },
  /** A fixed delay before every call of each system (0: none): a latency-only fault matching every path. */
  setLatency(latency: { advowareMs: number; espocrmMs: number }): void {
    advoware.faults.clear();
    espocrm.faults.clear();
    if (latency.advowareMs > 0) advoware.faults.add({ latencyMs: latency.advowareMs });
    if (latency.espocrmMs > 0) espocrm.faults.add({ latencyMs: latency.espocrmMs });
  },
  seedCalendar(kuerzels: string[], termine: NewTermin[]): void {
    advoware.setMitarbeiter(kuerzels.map((kuerzel) => ({ kuerzel, name: `Bench ${kuerzel}`, vorname: null, email: null, aktiv: true })));
    for (const termin of termine) advoware.addTermin(termin);
  },
  /** Arrival times (epoch ms) of every Google call since the last reset. */
  googleCallTimes(): number[] {
    return google.calls.filter().map((c) => c.at);
  },
  advowareRoutes(): string[] {
    return advoware.calls
      .filter()
      .filter((c) => !TOKEN_ROUTE.test(c.route))
      .map((c) => c.route);
  },
  /** Events of the calendar named `summary` that carry the hub's tags. */
  taggedEvents(summary: string): number {
    const calendar = google.listCalendars().find((c) => c.summary === summary);
    if (!calendar) return 0;
    return (google.listEvents(calendar.id) as HubEvent[]).filter((e) => readTags(e) !== undefined).length;
  },
};

export type SimHandlers = typeof handlers;
export type SimMethod = keyof SimHandlers;

export interface SimRequest {
  id: number;
  method: SimMethod;
  args: unknown[];
}
export type SimResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
export interface SimReady {
  ready: true;
  urls: { advoware: string; espocrm: string; google: string; threecx: string };
  hubEnv: Record<string, string>;
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('bench/sim-process.ts runs as a child of the bench (fork with IPC)');
  const send = (message: SimResponse | SimReady): void => void process.send?.(message);
  const [advowareUrl, espocrmUrl, googleUrl, threecxUrl] = await Promise.all([advoware.start(), espocrm.start(), google.start(), threecx.start()]);
  process.on('message', (message: SimRequest) => {
    void (async () => {
      let response: SimResponse;
      try {
        // The method is one of the handlers by the protocol; its arguments are what the typed client sent.
        const fn = handlers[message.method].bind(handlers) as (...args: unknown[]) => unknown;
        response = { id: message.id, ok: true, result: await fn(...message.args) };
      } catch (err) {
        response = { id: message.id, ok: false, error: err instanceof Error ? err.message : String(err) };
      }
      send(response);
    })();
  });
  // The parent going away (even by SIGKILL) closes the channel: nothing may outlive the bench.
  process.on(
    'disconnect',
    () => void Promise.allSettled([advoware.stop(), espocrm.stop(), google.stop(), threecx.stop()]).then(() => process.exit(0)),
  );
  const ready: SimReady = {
    ready: true,
    urls: { advoware: advowareUrl, espocrm: espocrmUrl, google: googleUrl, threecx: threecxUrl },
    hubEnv: {
      ...advowareEnvFor(advowareUrl),
      ...espocrmEnvFor(espocrmUrl),
      ...googleEnvFor(googleUrl),
      ...threecxEnvFor(threecxUrl),
      VERMIETERHELDEN_WEBHOOK_SECRET: SANDBOX_VERMIETERHELDEN.webhookSecret,
    },
  };
  send(ready);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
