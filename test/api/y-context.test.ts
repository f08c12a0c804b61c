import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { YContextService } from '../../api/y-context/service';
import { EspoCrmClient } from '../../clients/espocrm/client';
import { CallerIndexStore } from '../../clients/redis/caller-index';
import { YContextCache } from '../../clients/redis/y-context-cache';
import { beteiligteEntries } from '../../domain/caller-index/entries';
import { BANKVERBINDUNG_STATUS_ATTRIBUTES, type YProfile } from '../../domain/y-context/profile';
import { AdvowareSimulator } from '../../simulators/advoware/simulator';
import { EspoCrmSimulator } from '../../simulators/espocrm/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS, SANDBOX_ESPOCRM } from '../../simulators/sandbox-credentials';
import { TEST_API_KEY, advowareClientFor, startTestGateway, type TestGateway } from '../support/gateway';
import { testRedis } from '../support/services';

const MAX = 'ya1f0c2b3d4e5f601';
const BERGER = 'ya1f0c2b3d4e5f602';
const KONTO = 'ya2f0c2b3d4e5f601';
const IBAN = 'DE89370400440532013000';
const BIC = 'COBADEFFXXX';
const SHARED_LINE = '+49 30 5559999';

/** A date `days` from now as Advoware writes it. */
const advowareDay = (days: number) => `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)}T00:00:00`;

function espoSeed() {
  const calls = Array.from({ length: 12 }, (_, i) => ({
    id: `ycall${String(i).padStart(2, '0')}`,
    name: `Anruf ${i}`,
    status: 'Held',
    direction: i % 2 === 0 ? 'Inbound' : 'Outbound',
    dateStart: `2026-01-${String(i + 1).padStart(2, '0')} 10:00:00`,
    duration: 60 + i,
    description: 'Aufnahme: https://pbx.example/rec/secret-token',
    parentType: 'CBeteiligte',
    parentId: MAX,
  }));
  return {
    entities: {
      CBeteiligte: [
        {
          id: MAX,
          firstName: 'Max',
          lastName: 'Mustermann',
          salutationName: 'Herr',
          dateOfBirth: '1980-04-12',
          firmenname: null,
          emailAddressData: [{ emailAddress: 'max.mustermann@example.de', primary: true }],
          phoneNumberData: [
            { phoneNumber: '+49 30 5550001', type: 'Home', primary: true },
            { phoneNumber: SHARED_LINE, type: 'Office', primary: false },
          ],
          billingAddressStreet: 'Hauptstraße 1',
          billingAddressPostalCode: '10115',
          billingAddressCity: 'Berlin',
          billingAddressCountry: 'Deutschland',
          betnr: 200001,
          syncStatus: 'clean',
          stammdatenHash: 'internal-stammdaten-hash',
          assignedUserId: 'u-abc',
        },
        {
          id: BERGER,
          firstName: null,
          lastName: null,
          firmenname: 'Hausverwaltung Berger GmbH',
          rechtsform: 'GmbH',
          phoneNumberData: [{ phoneNumber: SHARED_LINE, type: 'Office', primary: true }],
          betnr: 200002,
          syncStatus: 'failed',
          syncErrorMessage: 'AdvowareServerError: Advoware GET …/Beteiligte/200002: 500',
          syncRetryCount: 1,
          syncNextRetry: '2030-01-01 10:00:00',
        },
      ],
      CBankverbindungen: [
        {
          id: KONTO,
          name: `Girokonto ${IBAN}`,
          iban: IBAN,
          bic: BIC,
          bank: 'Commerzbank',
          kontoinhaber: 'Max und Erika Mustermann',
          cBeteiligteId: MAX,
          syncStatus: 'failed',
          syncErrorMessage: 'BeteiligteNotSynced: the party has no betNr yet',
          syncRetryCount: 2,
        },
      ],
      Call: [...calls, { id: 'ycallberger', name: 'Anruf Berger', parentType: 'CBeteiligte', parentId: BERGER, dateStart: '2026-02-01 10:00:00' }],
    },
  };
}

describe('gateway: GET /y/context', () => {
  const espocrm = new EspoCrmSimulator({ apiKey: SANDBOX_ESPOCRM.apiKey, seed: espoSeed() });
  const advoware = new AdvowareSimulator({
    credentials: SANDBOX_ADVOWARE_CREDENTIALS,
    seed: {
      mitarbeiter: [{ kuerzel: 'ABC', name: 'Becker', vorname: 'Anna', email: null, aktiv: true }],
      beteiligte: [],
      termine: [
        {
          kuerzel: 'ABC',
          betreff: 'Mandantengespräch Dritter',
          ort: 'Besprechungsraum 1',
          notiz: 'vertraulich',
          datum: advowareDay(3),
          uhrzeitVon: '10:00:00',
          datumBis: advowareDay(3),
          uhrzeitBis: '11:00:00',
        },
        { kuerzel: 'ABC', betreff: 'Urlaub', datum: advowareDay(30), datumBis: advowareDay(31), dauertermin: true },
      ],
    },
  });
  const prefix = `test:${randomUUID()}:`;
  let redis: Redis;
  let gateway: TestGateway;
  let callerIndex: CallerIndexStore;
  let cache: YContextCache;

  const get = (query: string, apiKey: string | null = TEST_API_KEY) =>
    fetch(`${gateway.url}/y/context${query}`, { headers: apiKey === null ? {} : { 'X-API-Key': apiKey } });
  const profileOf = async (res: Response) => {
    const text = await res.text();
    assert.equal(res.status, 200, text);
    return { text, profile: JSON.parse(text) as YProfile };
  };
  const upstreamCalls = () => espocrm.calls.count() + advoware.calls.count();

  before(async () => {
    const [espoUrl, advowareUrl] = await Promise.all([espocrm.start(), advoware.start()]);
    redis = testRedis();
    callerIndex = new CallerIndexStore(redis, `${prefix}caller:`);
    cache = new YContextCache(redis, `${prefix}y:`);
    const yContext = new YContextService({
      espocrm: new EspoCrmClient({ baseUrl: `${espoUrl}/api/v1`, apiKey: SANDBOX_ESPOCRM.apiKey, timeoutMs: 2_000 }),
      advoware: advowareClientFor(advowareUrl, redis, `${prefix}token`),
      callerIndex,
      cache,
      staff: [{ userId: 'u-abc', kuerzel: 'ABC', extension: '201' }],
      cacheSeconds: 60,
      appointmentDays: 14,
      logger: pino({ level: 'silent' }),
    });
    gateway = await startTestGateway({
      advowareUrl,
      tokenRedis: redis,
      readinessRedis: redis,
      tokenKey: `${prefix}proxy-token`,
      overrides: { yContext },
    });
  });
  after(async () => {
    await gateway.close();
    await Promise.all([espocrm.stop(), advoware.stop()]);
    redis.disconnect();
  });
  beforeEach(async () => {
    espocrm.reset();
    advoware.reset();
    await cache.invalidate(MAX, BERGER);
    await callerIndex.clear();
    // As the Beteiligte sync keeps it: every party's numbers.
    for (const id of [MAX, BERGER]) {
      const record = espocrm.getRecord('CBeteiligte', id);
      assert.ok(record);
      await callerIndex.replaceParty(id, beteiligteEntries(record).entries);
    }
  });

  it('espo_id: the whole profile in one cold build of 3 EspoCRM calls and 1 Advoware list', async () => {
    const res = await get(`?espo_id=${MAX}`);
    assert.equal(res.headers.get('x-y-context-cache'), 'miss');
    const { profile } = await profileOf(res);
    assert.equal(profile.espoId, MAX);
    assert.equal(profile.betNr, 200001);
    assert.equal(profile.kind, 'person');
    assert.equal(profile.name, 'Max Mustermann');
    assert.deepEqual(
      profile.kommunikation.phones.map((p) => p.e164),
      ['+49305550001', '+49305559999'],
    );
    assert.deepEqual(profile.kommunikation.emails, [{ address: 'max.mustermann@example.de', primary: true, optOut: false, invalid: false }]);
    assert.deepEqual(profile.addresses, [
      { kind: 'billing', street: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', state: null, country: 'Deutschland' },
    ]);
    // The last 10 of 12, newest first; not Berger's.
    assert.equal(profile.recentCalls.length, 10);
    assert.deepEqual(profile.recentCalls[0], {
      start: '2026-01-12T10:00:00Z',
      direction: 'Outbound',
      status: 'Held',
      durationSeconds: 71,
      subject: 'Anruf 11',
    });
    assert.equal(profile.recentCalls.at(-1)?.subject, 'Anruf 2');
    assert.deepEqual(profile.assignedEmployee, { userId: 'u-abc', kuerzel: 'ABC' });
    assert.ok('items' in profile.appointments, JSON.stringify(profile.appointments));
    // The holiday 30 days ahead is outside the 14 days.
    assert.equal(profile.appointments.items.length, 1);
    assert.equal(profile.appointments.items[0]?.allDay, false);
    assert.match(profile.appointments.items[0]?.start ?? '', /^\d{4}-\d{2}-\d{2}T10:00:00\+0[12]:00$/);
    assert.deepEqual(profile.syncProblems, [
      {
        entity: 'CBankverbindungen',
        id: KONTO,
        status: 'failed',
        message: 'BeteiligteNotSynced: the party has no betNr yet',
        since: profile.syncProblems[0]?.since,
        nextRetry: null,
        retries: 2,
      },
    ]);
    assert.match(profile.syncProblems[0]?.since ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    assert.equal(espocrm.calls.count(), 3);
    assert.equal(espocrm.calls.count(/^GET \/api\/v1\/:entityType\/:id$/), 1, JSON.stringify(espocrm.calls.byRoute()));
    assert.equal(advoware.calls.count(/Termine/), 1);
  });

  it('no bank data, appointment texts, call notes or internal fields anywhere in the answer', async () => {
    const { text } = await profileOf(await get(`?espo_id=${MAX}`));
    for (const secret of [
      IBAN,
      '0532',
      BIC,
      'Commerzbank',
      'Erika',
      'Girokonto',
      'Mandantengespräch',
      'vertraulich',
      'secret-token',
      'internal-stammdaten-hash',
    ]) {
      assert.ok(!text.includes(secret), `${secret} is in the answer`);
    }
    // Not even fetched: the bank accounts are listed with their status attributes only.
    for (const field of ['iban', 'bic', 'bank', 'kontoinhaber', 'name'])
      assert.ok(!(BANKVERBINDUNG_STATUS_ATTRIBUTES as readonly string[]).includes(field), field);
  });

  it('phone (in any format) and betnr find the same party', async () => {
    const byPhone = await profileOf(await get(`?phone=${encodeURIComponent('030 5550001')}`));
    assert.equal(byPhone.profile.espoId, MAX);
    const byBetNr = await profileOf(await get('?betnr=200001'));
    assert.equal(byBetNr.profile.espoId, MAX);
    const company = await profileOf(await get('?betnr=200002'));
    assert.equal(company.profile.kind, 'company');
    assert.equal(company.profile.firmenname, 'Hausverwaltung Berger GmbH');
    assert.deepEqual(company.profile.appointments, { unavailable: 'the party has no assigned employee' });
    assert.deepEqual(
      company.profile.syncProblems.map((p) => [p.entity, p.status, p.nextRetry, p.retries]),
      [['CBeteiligte', 'failed', '2030-01-01T10:00:00Z', 1]],
    );
  });

  it('400 for no selector, two selectors, a bad phone number or betnr; 401 without the key', async () => {
    const cases: [string, RegExp][] = [
      ['', /exactly one of phone, betnr or espo_id/],
      [`?phone=${encodeURIComponent('030 5550001')}&betnr=200001`, /got phone and betnr/],
      ['?phone=abc', /phone is not a phone number/],
      ['?betnr=-1', /betnr must be a positive whole number/],
      ['?espo_id=a%2Fb', /espo_id must be an EspoCRM id/],
    ];
    for (const [query, message] of cases) {
      const res = await get(query);
      assert.equal(res.status, 400, query);
      assert.match(((await res.json()) as { error: string }).error, message);
    }
    assert.equal((await get(`?espo_id=${MAX}`, null)).status, 401);
    assert.equal((await get(`?espo_id=${MAX}`, 'wrong')).status, 401);
    assert.equal(upstreamCalls(), 0);
  });

  it('404 for a party no selector finds', async () => {
    for (const query of ['?espo_id=doesnotexist', '?betnr=999999', `?phone=${encodeURIComponent('+49 40 1111111')}`]) {
      const res = await get(query);
      assert.equal(res.status, 404, query);
    }
  });

  it('409 with the candidates when a phone number belongs to several parties; never a guess', async () => {
    const res = await get(`?phone=${encodeURIComponent('030 5559999')}`);
    assert.equal(res.status, 409);
    const body = (await res.json()) as { error: string; candidates: unknown[] };
    assert.deepEqual(body.candidates, [
      { espoId: MAX, name: 'Max Mustermann', betNr: 200001 },
      { espoId: BERGER, name: 'Hausverwaltung Berger GmbH', betNr: 200002 },
    ]);
    assert.match(body.error, /2 parties match/);
    assert.equal(upstreamCalls(), 0);

    // A betNr should be unique; when two parties carry one after a mistake, the answer is the same question.
    const twin = espocrm.userCreate('CBeteiligte', { firstName: 'Moritz', lastName: 'Mustermann', betnr: 200001 });
    const byBetNr = await get('?betnr=200001');
    assert.equal(byBetNr.status, 409);
    assert.deepEqual(((await byBetNr.json()) as { candidates: { espoId: string }[] }).candidates.map((c) => c.espoId).sort(), [MAX, twin.id].sort());
  });

  it('a cached profile costs no API call (espo_id and phone); invalidating it rebuilds it', async () => {
    const first = await profileOf(await get(`?espo_id=${MAX}`));
    espocrm.calls.reset();
    advoware.calls.reset();

    const warm = await get(`?espo_id=${MAX}`);
    assert.equal(warm.headers.get('x-y-context-cache'), 'hit');
    assert.equal((await profileOf(warm)).text, first.text);
    const warmByPhone = await get(`?phone=${encodeURIComponent('+49305550001')}`);
    assert.equal(warmByPhone.headers.get('x-y-context-cache'), 'hit');
    assert.equal((await profileOf(warmByPhone)).text, first.text);
    assert.equal(upstreamCalls(), 0, JSON.stringify({ ...espocrm.calls.byRoute(), ...advoware.calls.byRoute() }));

    // A change the cache does not know about stays unseen until the entry goes (the syncs drop it).
    espocrm.userUpdate('CBeteiligte', MAX, { lastName: 'Mustermann-Schulz' });
    assert.equal((await profileOf(await get(`?espo_id=${MAX}`))).profile.lastName, 'Mustermann');
    await cache.invalidate(MAX);
    const rebuilt = await get(`?espo_id=${MAX}`);
    assert.equal(rebuilt.headers.get('x-y-context-cache'), 'miss');
    assert.equal((await profileOf(rebuilt)).profile.lastName, 'Mustermann-Schulz');
    assert.equal(espocrm.calls.count(), 3);
  });

  it('Advoware down: 200 with the appointments unavailable, and that answer is not cached', async () => {
    const fault = advoware.faults.add({ path: 'Termine', status: 503 });
    const res = await get(`?espo_id=${MAX}`);
    assert.equal(res.headers.get('x-y-context-cache'), 'bypass');
    const { profile } = await profileOf(res);
    assert.deepEqual(profile.appointments, { unavailable: 'Advoware failed (ServerError)' });
    assert.equal(profile.name, 'Max Mustermann');
    assert.equal(await cache.get(MAX), null);

    advoware.faults.remove(fault.id);
    const healed = await get(`?espo_id=${MAX}`);
    assert.equal(healed.headers.get('x-y-context-cache'), 'miss');
    assert.ok('items' in (await profileOf(healed)).profile.appointments);
  });

  it('a slow Advoware costs the appointments, not the answer: the call gives up at its time-out', async () => {
    advoware.faults.add({ path: 'Termine', latencyMs: 4_000 });
    const started = Date.now();
    const { profile } = await profileOf(await get(`?espo_id=${MAX}`));
    assert.ok(Date.now() - started < 3_500, `answered after ${Date.now() - started} ms`);
    assert.deepEqual(profile.appointments, { unavailable: 'Advoware failed (Timeout)' });
  });

  it('EspoCRM down: 503, nothing cached', async () => {
    espocrm.faults.add({ status: 500 });
    const res = await get(`?espo_id=${MAX}`);
    assert.equal(res.status, 503);
    assert.match(((await res.json()) as { error: string }).error, /EspoCRM is unreachable/);
    assert.equal((await get('?betnr=200001')).status, 503);
    assert.equal(await cache.get(MAX), null);
  });
});
