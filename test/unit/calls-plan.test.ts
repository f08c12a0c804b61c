import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallEvent, CallParty } from '../../contracts/calls';
import { applyCallEvent, applyCallEvents, emptyFacts, mergeFacts, parseStoredFacts, statusEvents } from '../../domain/calls/facts';
import { planCallRecord, planMissedCallTask, recordPatch } from '../../domain/calls/plan';
import { espocrmRecordUrl, espocrmSiteUrl, screenPop } from '../../domain/calls/screen-pop';

const CALL = 'c-1';
const STAFF = [
  { userId: 'u-abc', kuerzel: 'ABC', extension: '201' },
  { userId: 'u-def', kuerzel: 'DEF', extension: '202' },
];
const MAX: CallParty = { entityType: 'CBeteiligte', espoId: 'p-max', name: 'Max Mustermann', betNr: 100001, assignedUserId: 'u-abc' };
const ANNA: CallParty = { entityType: 'CBeteiligte', espoId: 'p-anna', name: 'Anna Schmidt', betNr: null, assignedUserId: null };

const started = (parties: CallParty[] = [MAX], over: Partial<Extract<CallEvent, { kind: 'started' }>> = {}): CallEvent => ({
  kind: 'started',
  callId: CALL,
  direction: 'inbound',
  from: '+49301234567',
  to: '+4930999000',
  extension: '201',
  startedAt: '2026-03-02T09:00:00.000Z',
  parties,
  receivedAt: '2026-03-02T09:00:00.100Z',
  ...over,
});
const ended = (over: Partial<Extract<CallEvent, { kind: 'ended' }>> = {}): CallEvent => ({
  kind: 'ended',
  callId: CALL,
  duration: 95,
  outcome: 'answered',
  recordingUrl: 'https://pbx.example/rec/c-1.wav',
  receivedAt: '2026-03-02T09:01:40.000Z',
  ...over,
});
const transferred: CallEvent = {
  kind: 'transferred',
  callId: CALL,
  fromExtension: '201',
  toExtension: '202',
  transferredAt: '2026-03-02T09:00:30.000Z',
  receivedAt: '2026-03-02T09:00:30.100Z',
};

const fold = (...events: CallEvent[]) => applyCallEvents(emptyFacts(CALL), events).facts;

describe('calls: folding events (SPEC §8)', () => {
  it('takes the same event twice once', () => {
    const once = applyCallEvent(emptyFacts(CALL), started());
    assert.equal(once.changed, true);
    const twice = applyCallEvent(once.facts, started());
    assert.equal(twice.changed, false);
    assert.equal(applyCallEvents(emptyFacts(CALL), [transferred, transferred, ended(), ended()]).changed, 2);
  });

  it('gives the same facts in any order', () => {
    assert.deepEqual(fold(ended(), transferred, started()), fold(started(), transferred, ended()));
  });

  it("ignores another call's events", () => {
    assert.equal(applyCallEvent(emptyFacts(CALL), { ...ended(), callId: 'other' }).changed, false);
  });

  it("the outbound hand-over wins over a webhook's started, and 3CX's end over a polled one", () => {
    const inbound = fold(started([]));
    const outbound = applyCallEvent(inbound, started([MAX], { direction: 'outbound', from: '201', to: '+49301234567' }));
    assert.equal(outbound.facts.started?.direction, 'outbound');
    assert.deepEqual(outbound.facts.started?.parties, [MAX]);
    const polled = fold(ended({ polled: true, recordingUrl: undefined }));
    const webhook = applyCallEvent(polled, ended());
    assert.equal(webhook.changed, true);
    assert.equal(webhook.facts.ended?.recordingUrl, 'https://pbx.example/rec/c-1.wav');
    assert.equal(applyCallEvent(webhook.facts, ended({ polled: true })).changed, false);
  });

  it('merges facts stored by an earlier run with a late event, counting only what is new', () => {
    const stored = fold(started(), ended());
    const late = fold(transferred);
    const merged = mergeFacts(stored, late);
    assert.equal(merged.changed, 1);
    assert.deepEqual(merged.facts, fold(started(), transferred, ended()));
    assert.equal(mergeFacts(stored, fold(ended())).changed, 0, 'a late duplicate adds nothing');
    assert.deepEqual(parseStoredFacts(JSON.stringify(stored), CALL), stored);
    assert.equal(parseStoredFacts('not json', CALL), null);
    assert.equal(parseStoredFacts(JSON.stringify(stored), 'other'), null);
  });

  it('reads a 3CX status: the end of an ended call, and its start', () => {
    const events = statusEvents(
      {
        call_id: CALL,
        direction: 'outbound',
        status: 'ended',
        outcome: 'answered',
        from: '201',
        to: '+49301234567',
        extension: '201',
        started_at: '2026-03-02T09:00:00.000Z',
        ended_at: '2026-03-02T09:02:00.000Z',
        duration: 100,
      },
      'now',
    );
    assert.deepEqual(
      events.map((e) => e.kind),
      ['started', 'ended'],
    );
    assert.equal((events[1] as Extract<CallEvent, { kind: 'ended' }>).polled, true);
  });
});

describe('calls: the Call record', () => {
  it('an answered inbound call of one party: linked, Held, duration, EspoCRM datetimes, recording, the extension user', () => {
    const facts = { ...fold(started(), ended()), recording: { url: 'https://pbx.example/rec/c-1.wav', duration: 94 } };
    const { fields, gaps } = planCallRecord(facts, STAFF);
    assert.deepEqual(gaps, []);
    assert.equal(fields.name, 'Call from Max Mustermann');
    assert.equal(fields.status, 'Held');
    assert.equal(fields.direction, 'Inbound');
    assert.equal(fields.dateStart, '2026-03-02 09:00:00');
    assert.equal(fields.dateEnd, '2026-03-02 09:01:35');
    assert.equal(fields.duration, 95);
    assert.equal(fields.parentType, 'CBeteiligte');
    assert.equal(fields.parentId, 'p-max');
    assert.equal(fields.assignedUserId, 'u-abc');
    assert.equal(fields.threecxCallId, CALL);
    assert.equal(fields.threecxNumber, '+49301234567');
    assert.equal(fields.recordingUrl, 'https://pbx.example/rec/c-1.wav');
    assert.equal(fields.recordingDuration, 94);
    assert.deepEqual(JSON.parse(fields.threecxFacts), facts);
  });

  it('several parties on the number: no parent, all named in the description', () => {
    const { fields } = planCallRecord(fold(started([ANNA, MAX]), ended({ outcome: 'missed', duration: 0, recordingUrl: undefined })), STAFF);
    assert.equal(fields.parentId, undefined);
    assert.equal(fields.parentType, undefined);
    assert.equal(fields.status, 'Not Held');
    assert.equal(fields.name, 'Missed call from +49301234567 (2 parties)');
    assert.match(fields.description, /Anna Schmidt \(CBeteiligte p-anna\); Max Mustermann \(CBeteiligte p-max, betNr 100001\)/);
    assert.equal(fields.assignedUserId, 'u-abc', 'the user of the extension that rang');
  });

  it('a transfer moves the extension and the user, and is a line of the description', () => {
    const { fields } = planCallRecord(fold(started(), transferred, ended()), STAFF);
    assert.equal(fields.threecxExtension, '202');
    assert.equal(fields.assignedUserId, 'u-def');
    assert.match(fields.description, /Transferred from extension 201 to 202 at 2026-03-02 09:00:30 UTC/);
  });

  it('call.ended without call.started: logged with what is known, the start from the end minus the talk time', () => {
    const { fields, gaps } = planCallRecord(fold(ended({ endedAt: '2026-03-02T09:01:35.000Z' })), STAFF);
    assert.deepEqual(gaps, ['call.started never arrived']);
    assert.equal(fields.dateStart, '2026-03-02 09:00:00');
    assert.equal(fields.parentId, undefined);
    assert.equal(fields.name, 'Call from unknown number');
    assert.match(fields.description, /Logged incomplete: call\.started never arrived/);
  });

  it('stores the outside number in E.164, however 3CX wrote it', () => {
    assert.equal(planCallRecord(fold(started([], { from: '030 1234567' })), STAFF).fields.threecxNumber, '+49301234567');
  });

  it('an outbound call says so', () => {
    const { fields } = planCallRecord(fold(started([MAX], { direction: 'outbound', from: '201', to: '+49301234567' }), ended()), STAFF);
    assert.equal(fields.direction, 'Outbound');
    assert.equal(fields.name, 'Call to Max Mustermann');
    assert.equal(fields.threecxNumber, '+49301234567');
  });

  it('the patch holds only what changed; the same plan again writes nothing', () => {
    const first = planCallRecord(fold(started(), ended()), STAFF).fields;
    assert.deepEqual(recordPatch({ ...first }, first), {});
    const second = planCallRecord(fold(started(), transferred, ended()), STAFF).fields;
    assert.deepEqual(Object.keys(recordPatch({ ...first }, second)).sort(), ['assignedUserId', 'description', 'threecxExtension', 'threecxFacts']);
  });
});

describe('calls: the follow-up Task of a missed call', () => {
  const options = { defaultUserId: 'u-admin', dueMs: 60 * 60_000 };
  const missed = ended({ outcome: 'missed', duration: 0, recordingUrl: undefined });

  it("for the party's assigned user, linked, due an hour after the call", () => {
    const task = planMissedCallTask(fold(started(), missed), options);
    assert.ok(task);
    assert.equal(task.assignedUserId, 'u-abc');
    assert.equal(task.parentId, 'p-max');
    assert.equal(task.dateEnd, '2026-03-02 10:00:00');
    assert.equal(task.name, 'Call back Max Mustermann');
    assert.equal(task.threecxCallId, CALL);
  });

  it('for the default user when the party has none or the number is shared', () => {
    assert.equal(planMissedCallTask(fold(started([ANNA]), missed), options)?.assignedUserId, 'u-admin');
    const shared = planMissedCallTask(fold(started([ANNA, MAX]), missed), options);
    assert.equal(shared?.assignedUserId, 'u-admin');
    assert.equal(shared?.parentId, undefined);
  });

  it('none for an answered call, an outbound call, or a call whose end is unknown', () => {
    assert.equal(planMissedCallTask(fold(started(), ended()), options), null);
    assert.equal(planMissedCallTask(fold(started([MAX], { direction: 'outbound' }), missed), options), null);
    assert.equal(planMissedCallTask(fold(started()), options), null);
  });
});

describe('calls: the screen pop', () => {
  const site = espocrmSiteUrl('https://crm.example/api/v1/');

  it('links to the record in the EspoCRM UI (site from the API base, or configured)', () => {
    assert.equal(site, 'https://crm.example');
    assert.equal(espocrmSiteUrl('https://crm.example/api/v1', 'https://ui.example/'), 'https://ui.example');
    assert.equal(espocrmRecordUrl(site, 'CBeteiligte', 'p-max'), 'https://crm.example/#CBeteiligte/view/p-max');
  });

  it('one party: its name, betNr, link, assigned user with kuerzel and extension, last contact', () => {
    const pop = screenPop([{ ...MAX, lastContact: '2026-03-01T10:00:00.000Z' }], STAFF, site);
    assert.deepEqual(
      { ...pop, matches: pop.matches.length },
      {
        known: true,
        ambiguous: false,
        name: 'Max Mustermann',
        betNr: 100001,
        espocrmUrl: 'https://crm.example/#CBeteiligte/view/p-max',
        assignedUser: { userId: 'u-abc', kuerzel: 'ABC', extension: '201' },
        lastContact: '2026-03-01T10:00:00.000Z',
        matches: 1,
      },
    );
  });

  it('several parties: all of them, no guess', () => {
    const pop = screenPop(
      [
        { ...ANNA, lastContact: null },
        { ...MAX, lastContact: null },
      ],
      STAFF,
      site,
    );
    assert.equal(pop.known, true);
    assert.equal(pop.ambiguous, true);
    assert.equal(pop.name, null);
    assert.equal(pop.espocrmUrl, null);
    assert.deepEqual(
      pop.matches.map((m) => m.espoId),
      ['p-anna', 'p-max'],
    );
    assert.equal(pop.matches[0]?.assignedUser, null);
  });

  it('unknown: known false', () => {
    assert.deepEqual(screenPop([], STAFF, site), {
      known: false,
      ambiguous: false,
      name: null,
      betNr: null,
      espocrmUrl: null,
      assignedUser: null,
      lastContact: null,
      matches: [],
    });
  });
});
