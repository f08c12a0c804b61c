import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EspoBeteiligte } from '../../contracts/espocrm';
import type { TerminWrite } from '../../domain/calendar/types';
import { appointmentWindow, upcomingAppointments } from '../../domain/y-context/appointments';
import { buildProfile, maskIbans, type ProfileSources } from '../../domain/y-context/profile';
import { parseSelector } from '../../domain/y-context/selector';

const NOW = new Date('2026-03-10T08:00:00Z'); // 09:00 in Berlin
const WINDOW = { from: '2026-03-10', to: '2026-03-24' };
const IBAN = 'DE89370400440532013000';

function termin(extra: Partial<TerminWrite>): TerminWrite {
  return {
    kuerzel: 'ABC',
    betreff: 'Mandantengespräch Dritter',
    ort: 'Raum 1',
    notiz: 'vertraulich',
    datum: '2026-03-12T00:00:00',
    uhrzeitVon: '10:00:00',
    datumBis: '2026-03-12T00:00:00',
    uhrzeitBis: '11:00:00',
    dauertermin: false,
    turnus: 0,
    turnusArt: 0,
    turnusBis: null,
    ...extra,
  };
}

function sources(extra: Partial<ProfileSources> = {}, beteiligte: Partial<EspoBeteiligte> = {}): ProfileSources {
  return {
    beteiligte: {
      id: 'b1',
      name: 'Max Mustermann',
      firstName: 'Max',
      lastName: 'Mustermann',
      firmenname: null,
      salutationName: 'Herr',
      dateOfBirth: '1980-04-12',
      betnr: 100001,
      syncStatus: 'clean',
      assignedUserId: 'u-abc',
      emailAddressData: [{ emailAddress: 'Max@Example.de', primary: true }],
      phoneNumberData: [
        { phoneNumber: '030 1234567', type: 'Home', primary: true },
        { phoneNumber: '+49 171 2345678', type: 'Mobile', primary: false, optOut: true },
      ],
      billingAddressStreet: 'Hauptstraße 1',
      billingAddressPostalCode: '10115',
      billingAddressCity: 'Berlin',
      billingAddressCountry: 'Deutschland',
      // Internal fields the answer must never carry.
      stammdatenHash: 'secret-hash',
      advowareRowId: 'row-id',
      kommunikationHash: 'k-hash',
      adressenReported: 'reported',
      ...beteiligte,
    },
    calls: [],
    bankverbindungen: [],
    assignee: { userId: 'u-abc', kuerzel: 'ABC' },
    appointments: { kind: 'listed', kuerzel: 'ABC', window: WINDOW, termine: [] },
    now: NOW,
    ...extra,
  };
}

describe('y context: selector', () => {
  it('takes exactly one of phone, betnr, espo_id', () => {
    assert.deepEqual(parseSelector({ phone: '030 1234567' }), { ok: true, selector: { kind: 'phone', number: '+49301234567' } });
    assert.deepEqual(parseSelector({ betnr: '100001' }), { ok: true, selector: { kind: 'betnr', betNr: 100001 } });
    assert.deepEqual(parseSelector({ espo_id: '66a1f0c2b3d4e5f63' }), { ok: true, selector: { kind: 'espo_id', espoId: '66a1f0c2b3d4e5f63' } });
  });

  it('refuses none, two, a repeated one, an empty one and malformed values with a message naming the problem', () => {
    const error = (query: Record<string, unknown>) => {
      const result = parseSelector(query);
      assert.equal(result.ok, false, JSON.stringify(query));
      return result.ok ? '' : result.error;
    };
    assert.match(error({}), /exactly one of phone, betnr or espo_id \(none was given\)/);
    assert.match(error({ phone: '030 1234567', betnr: '1' }), /got phone and betnr/);
    assert.match(error({ phone: ['030 1234567', '030 7654321'] }), /phone must be given once/);
    assert.match(error({ espo_id: ' ' }), /espo_id is empty/);
    assert.match(error({ phone: 'not a number' }), /phone is not a phone number/);
    assert.match(error({ phone: '12' }), /phone is not a phone number/);
    assert.match(error({ betnr: '0' }), /betnr must be a positive whole number/);
    assert.match(error({ betnr: '12a' }), /betnr must be a positive whole number/);
    assert.match(error({ espo_id: '../CBankverbindungen/x' }), /espo_id must be an EspoCRM id/);
  });

  it('ignores parameters that are no selector', () => {
    assert.equal(parseSelector({ betnr: '7', verbose: '1' }).ok, true);
  });
});

describe('y context: profile (whitelist)', () => {
  it('copies master data, Kommunikation and addresses, and nothing internal', () => {
    const { profile, complete } = buildProfile(sources());
    assert.equal(complete, true);
    assert.equal(profile.espoId, 'b1');
    assert.equal(profile.betNr, 100001);
    assert.equal(profile.kind, 'person');
    assert.equal(profile.name, 'Max Mustermann');
    assert.equal(profile.salutation, 'Herr');
    assert.equal(profile.dateOfBirth, '1980-04-12');
    assert.deepEqual(profile.assignedEmployee, { userId: 'u-abc', kuerzel: 'ABC' });
    assert.deepEqual(profile.kommunikation, {
      phones: [
        { number: '030 1234567', e164: '+49301234567', type: 'Home', primary: true, doNotCall: false, invalid: false },
        { number: '+49 171 2345678', e164: '+491712345678', type: 'Mobile', primary: false, doNotCall: true, invalid: false },
      ],
      emails: [{ address: 'max@example.de', primary: true, optOut: false, invalid: false }],
    });
    assert.deepEqual(profile.addresses, [
      { kind: 'billing', street: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', state: null, country: 'Deutschland' },
    ]);
    assert.deepEqual(profile.syncProblems, []);
    assert.equal(profile.generatedAt, NOW.toISOString());
    const json = JSON.stringify(profile);
    for (const internal of ['secret-hash', 'row-id', 'k-hash', 'reported', 'stammdatenHash', 'advowareRowId']) {
      assert.ok(!json.includes(internal), `${internal} leaked`);
    }
  });

  it('an unknown field of the source does not reach the answer', () => {
    const withExtra = sources({}, { apiKey: 'sk-123' } as Partial<EspoBeteiligte>);
    assert.ok(!JSON.stringify(buildProfile(withExtra).profile).includes('sk-123'));
  });

  it('a company has no person names, salutation or birth date, even when leftovers are stored', () => {
    const { profile } = buildProfile(
      sources({}, { name: 'Schmidt Immobilien GmbH', firmenname: 'Schmidt Immobilien GmbH', rechtsform: 'GmbH', firstName: 'Alt', lastName: 'Rest' }),
    );
    assert.equal(profile.kind, 'company');
    assert.equal(profile.firmenname, 'Schmidt Immobilien GmbH');
    assert.equal(profile.firstName, null);
    assert.equal(profile.lastName, null);
    assert.equal(profile.salutation, null);
    assert.equal(profile.dateOfBirth, null);
  });

  it('an address with only a state is none; a shipping address is listed after billing', () => {
    const { profile } = buildProfile(
      sources(
        {},
        {
          billingAddressStreet: null,
          billingAddressPostalCode: null,
          billingAddressCity: null,
          billingAddressCountry: null,
          billingAddressState: 'Bayern',
          shippingAddressStreet: 'Leopoldstraße 8\n3. OG',
          shippingAddressCity: 'München',
        },
      ),
    );
    assert.deepEqual(
      profile.addresses.map((a) => [a.kind, a.street]),
      [['shipping', 'Leopoldstraße 8\n3. OG']],
    );
  });

  it('lists at most 10 calls with their time in ISO, direction, status, duration and subject', () => {
    const calls = Array.from({ length: 12 }, (_, i) => ({
      id: `c${i}`,
      name: `Anruf ${i}`,
      status: 'Held',
      direction: 'Inbound',
      dateStart: `2026-03-0${(i % 9) + 1} 10:00:00`,
      duration: 60 + i,
      description: 'internal note',
    }));
    const { profile } = buildProfile(sources({ calls }));
    assert.equal(profile.recentCalls.length, 10);
    assert.deepEqual(profile.recentCalls[0], {
      start: '2026-03-01T10:00:00Z',
      direction: 'Inbound',
      status: 'Held',
      durationSeconds: 60,
      subject: 'Anruf 0',
    });
    assert.ok(!JSON.stringify(profile).includes('internal note'));
  });

  it('open sync problems of the party and its bank accounts, with message, since, next retry; never bank data', () => {
    const { profile } = buildProfile(
      sources(
        {
          bankverbindungen: [
            { id: 'k1', syncStatus: 'clean' },
            {
              id: 'k2',
              syncStatus: 'failed',
              syncErrorMessage: `IBAN ${IBAN} ist ungültig; auch DE89 3704 0044 0532 0130 00 wurde abgelehnt`,
              syncRetryCount: 2,
              syncNextRetry: '2026-03-10 09:00:00',
              modifiedAt: '2026-03-10 07:55:00',
            },
          ],
        },
        {
          syncStatus: 'deleted_in_advoware',
          advowareDeletedAt: '2026-03-01 12:00:00',
          modifiedAt: '2026-03-02 00:00:00',
          syncErrorMessage: 'x'.repeat(2000),
        },
      ),
    );
    assert.equal(profile.syncProblems.length, 2);
    const [party, account] = profile.syncProblems;
    assert.equal(party?.entity, 'CBeteiligte');
    assert.equal(party?.status, 'deleted_in_advoware');
    assert.equal(party?.since, '2026-03-01T12:00:00Z');
    assert.equal(party?.message?.length, 300);
    assert.deepEqual(account, {
      entity: 'CBankverbindungen',
      id: 'k2',
      status: 'failed',
      message: 'IBAN ******************3000 ist ungültig; auch ******************3000 wurde abgelehnt',
      since: '2026-03-10T07:55:00Z',
      nextRetry: '2026-03-10T09:00:00Z',
      retries: 2,
    });
    assert.ok(!JSON.stringify(profile).includes('0532'));
  });

  it('maskIbans leaves ordinary text alone', () => {
    assert.equal(maskIbans('Telefon +49 30 1234567, Az. 12 C 345/24'), 'Telefon +49 30 1234567, Az. 12 C 345/24');
    assert.equal(maskIbans(null), null);
  });

  it('an unavailable part is named, and only a passing failure makes the profile incomplete', () => {
    const down = buildProfile(sources({ appointments: { kind: 'unavailable', reason: 'Advoware failed (ServerError)', transient: true } }));
    assert.deepEqual(down.profile.appointments, { unavailable: 'Advoware failed (ServerError)' });
    assert.equal(down.complete, false);
    const unassigned = buildProfile(sources({ assignee: null, appointments: { kind: 'unavailable', reason: 'no assignee', transient: false } }));
    assert.equal(unassigned.complete, true);
    assert.equal(unassigned.profile.assignedEmployee, null);
  });

  it('appointments: times only, never subject, place or notes', () => {
    const { profile } = buildProfile(sources({ appointments: { kind: 'listed', kuerzel: 'ABC', window: WINDOW, termine: [termin({})] } }));
    assert.deepEqual(profile.appointments, {
      kuerzel: 'ABC',
      from: WINDOW.from,
      to: WINDOW.to,
      items: [{ allDay: false, start: '2026-03-12T10:00:00+01:00', end: '2026-03-12T11:00:00+01:00', recurring: false }],
      total: 1,
    });
    const json = JSON.stringify(profile);
    for (const text of ['Mandantengespräch', 'Raum 1', 'vertraulich']) assert.ok(!json.includes(text), text);
  });
});

describe('y context: upcoming appointments', () => {
  it('the window runs from today in Berlin', () => {
    assert.deepEqual(appointmentWindow(new Date('2026-03-09T23:30:00Z'), 14), { from: '2026-03-10', to: '2026-03-24' });
  });

  it('sorted by start; ended ones and those outside the window are left out; all-day ends inclusive', () => {
    const { items, total } = upcomingAppointments(
      [
        termin({ datum: '2026-03-20T00:00:00', datumBis: '2026-03-20T00:00:00' }),
        termin({ datum: '2026-03-10T00:00:00', datumBis: '2026-03-10T00:00:00', uhrzeitVon: '07:00:00', uhrzeitBis: '08:00:00' }), // ended
        termin({ datum: '2026-03-10T00:00:00', datumBis: '2026-03-11T00:00:00', dauertermin: true, uhrzeitVon: null, uhrzeitBis: null }),
        termin({ datum: '2026-03-30T00:00:00', datumBis: '2026-03-30T00:00:00' }), // after the window
        termin({ datum: '2026-03-15T00:00:00', datumBis: '2026-03-15T00:00:00', uhrzeitBis: null }), // one hour
      ],
      WINDOW,
      NOW,
    );
    assert.equal(total, 3);
    assert.deepEqual(items, [
      { allDay: true, start: '2026-03-10', end: '2026-03-11', recurring: false },
      { allDay: false, start: '2026-03-15T10:00:00+01:00', end: '2026-03-15T11:00:00+01:00', recurring: false },
      { allDay: false, start: '2026-03-20T10:00:00+01:00', end: '2026-03-20T11:00:00+01:00', recurring: false },
    ]);
  });

  it('a weekly series from long ago yields its occurrences in the window, up to turnusBis, across DST', () => {
    const series = termin({
      datum: '2024-01-02T00:00:00',
      datumBis: '2024-01-02T00:00:00',
      uhrzeitVon: '09:30:00',
      turnus: 1,
      turnusArt: 2,
      turnusBis: '2026-04-07T00:00:00',
    });
    const { items } = upcomingAppointments([series], { from: '2026-03-10', to: '2026-04-30' }, NOW);
    assert.deepEqual(
      items.map((i) => i.start),
      [
        '2026-03-10T09:30:00+01:00',
        '2026-03-17T09:30:00+01:00',
        '2026-03-24T09:30:00+01:00',
        '2026-03-31T09:30:00+02:00',
        '2026-04-07T09:30:00+02:00',
      ],
    );
    assert.ok(items.every((i) => i.recurring));
  });

  it('a monthly series on the 31st skips months without one (as Google expands it); at most `limit` items', () => {
    const monthly = termin({ datum: '2026-01-31T00:00:00', datumBis: '2026-01-31T00:00:00', turnus: 1, turnusArt: 3 });
    const { items } = upcomingAppointments([monthly], { from: '2026-01-01', to: '2026-06-30' }, new Date('2026-01-01T00:00:00Z'));
    assert.deepEqual(
      items.map((i) => i.start.slice(0, 10)),
      ['2026-01-31', '2026-03-31', '2026-05-31'],
    );
    const daily = termin({
      datum: '2026-03-10T00:00:00',
      datumBis: '2026-03-10T00:00:00',
      uhrzeitVon: '12:00:00',
      uhrzeitBis: '12:30:00',
      turnus: 1,
      turnusArt: 1,
    });
    const limited = upcomingAppointments([daily], WINDOW, NOW, 5);
    assert.equal(limited.items.length, 5);
    assert.equal(limited.total, 15);
  });

  it('an unknown turnusArt counts as a single appointment', () => {
    const odd = termin({ turnus: 1, turnusArt: 9 });
    assert.deepEqual(
      upcomingAppointments([odd], WINDOW, NOW).items.map((i) => [i.start, i.recurring]),
      [['2026-03-12T10:00:00+01:00', false]],
    );
  });
});
