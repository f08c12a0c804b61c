/**
 * The Kommunikation planner (SPEC §5.3). Test names starting with "seed" follow the 32-scenario matrix of the
 * original system (6 single-side, 5 conflict, 5 initial sync, 4 empty slots, 4 direction, 3 hash, 5 kommKz
 * detection) and its four fixed bugs (BUG-3, #1, #2, #3). Every scenario also performs the plan against both
 * sides and checks that the next run finds nothing to do: the plan converges.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Kommunikation } from '../../contracts/advoware';
import type { EspoEmailAddress, EspoPhoneNumber } from '../../contracts/espocrm';
import { summarizeKommunikationPlan, type AdvowareKommunikationAction, type KommunikationPlan } from '../../domain/kommunikation/actions';
import type { StoredKommunikationHashes } from '../../domain/kommunikation/decision';
import { espoKommunikationHash, kommunikationHash } from '../../domain/kommunikation/hash';
import { formatMarker, formatSlot, parseBemerkung } from '../../domain/kommunikation/marker';
import { planKommunikationSync } from '../../domain/kommunikation/plan';

interface World {
  espo: { emailAddressData: EspoEmailAddress[]; phoneNumberData: EspoPhoneNumber[] };
  advoware: Kommunikation[];
  stored: StoredKommunikationHashes;
}

let rowSeq = 0;
const newRowId = (): string => `AAAAAAAA${String(++rowSeq).padStart(4, '0')}=`;

function entry(id: number, tlf: string, bemerkung: string | null, online = false): Kommunikation {
  return { id, rowId: newRowId(), kommKz: 0, tlf, bemerkung, online };
}
const synced = (id: number, value: string, kommKz: Parameters<typeof formatMarker>[1], online = false, userText = ''): Kommunikation =>
  entry(id, value, formatMarker(value, kommKz, userText), online);
const slot = (id: number, kommKz: Parameters<typeof formatSlot>[0]): Kommunikation => entry(id, '', formatSlot(kommKz));

function settle(world: Omit<World, 'stored'>): World {
  return { ...world, stored: { kommunikationHash: kommunikationHash(world.advoware), kommunikationEspoHash: espoKommunikationHash(world.espo) } };
}

/** A synced Beteiligte: one e-mail, an office number with a remark and a mobile number. */
function baseline(): World {
  return settle({
    espo: {
      emailAddressData: [{ emailAddress: 'info@kanzlei-nord.de', primary: true, optOut: false, invalid: false }],
      phoneNumberData: [
        { phoneNumber: '+49 30 1234567', type: 'Office', primary: true, optOut: false, invalid: false },
        { phoneNumber: '0171 2345678', type: 'Mobile', primary: false, optOut: true, invalid: false },
      ],
    },
    advoware: [synced(1, 'info@kanzlei-nord.de', 4, true), synced(2, '+49 30 1234567', 1, true, 'Zentrale'), synced(3, '0171 2345678', 3)],
  });
}

/** A user's edit in Advoware: like every write there it gives the entry a new rowId. */
function editAdvoware(world: World, id: number, patch: Partial<Kommunikation>): void {
  const target = world.advoware.find((e) => e.id === id);
  assert.ok(target, `entry ${id}`);
  Object.assign(target, patch, { rowId: newRowId() });
}

function plan(world: World, forceEspoWins = false): KommunikationPlan {
  return planKommunikationSync({ espo: world.espo, advoware: world.advoware, stored: world.stored, forceEspoWins });
}

/** Performs a plan as the two systems would, and stores the hashes as the executor will. */
function perform(world: World, p: KommunikationPlan): World {
  const advoware = world.advoware.map((e) => ({ ...e }));
  for (const action of p.advoware) {
    if (action.kind === 'createEntry') {
      const { kommKz: _realKommKz, ...body } = action.body;
      advoware.push({ id: Math.max(0, ...advoware.map((e) => e.id)) + 1, rowId: newRowId(), kommKz: 0, ...body });
    } else {
      const target = advoware.find((e) => e.id === action.entryId);
      assert.ok(target, `entry ${action.entryId}`);
      Object.assign(target, action.body, { rowId: newRowId() });
    }
  }
  if (p.advoware.length > 0) assert.equal(p.advowareHashAfter, null, 'after writes the executor must re-read Advoware');
  const espo = p.espo ? { emailAddressData: p.espo.emailAddressData, phoneNumberData: p.espo.phoneNumberData } : world.espo;
  assert.equal(p.espoHashAfter, espoKommunikationHash(espo));
  return {
    espo,
    advoware,
    stored: { kommunikationHash: p.advowareHashAfter ?? kommunikationHash(advoware), kommunikationEspoHash: p.espoHashAfter },
  };
}

/** Performs the plan and checks the next run is empty and both sides hold the same values; returns the new world. */
function converges(world: World, p: KommunikationPlan): World {
  const next = perform(world, p);
  const again = plan(next);
  assert.deepEqual(again.advoware, [], 'second run writes nothing to Advoware');
  assert.equal(again.espo, null, 'second run writes nothing to EspoCRM');
  assert.deepEqual(advowareValues(next), espoValues(next), 'both sides hold the same values');
  return next;
}

const digits = (value: string): string => (value.includes('@') ? value.trim().toLowerCase() : value.replace(/\D/g, '').replace(/^(?:0049|49|0)/, ''));
function espoValues(world: World): string[] {
  const mails = world.espo.emailAddressData.map((e) => `mail ${digits(e.emailAddress)}${e.primary ? ' *' : ''}`);
  const phones = world.espo.phoneNumberData.map((p) => `tel ${digits(p.phoneNumber)}${p.primary ? ' *' : ''}`);
  return [...mails, ...phones].sort();
}
function advowareValues(world: World): string[] {
  return world.advoware
    .filter((e) => e.tlf.trim() !== '')
    .map((e) => `${e.tlf.includes('@') ? 'mail' : 'tel'} ${digits(e.tlf)}${e.online ? ' *' : ''}`)
    .sort();
}

const kinds = (p: KommunikationPlan): string[] => p.advoware.map((a) => `${a.kind}:${a.case}${'entryId' in a ? `#${a.entryId}` : ''}`);
const espoChanges = (p: KommunikationPlan): string[] => (p.espo?.changes ?? []).map((c) => `${c.change}:${c.case}:${c.value}`);
function action(p: KommunikationPlan, index = 0): AdvowareKommunikationAction {
  const found = p.advoware[index];
  assert.ok(found, `action ${index}`);
  return found;
}

describe('seed single-side changes (Var1–Var6)', () => {
  it('seed single-side 1 (Var1): a value new in EspoCRM is POSTed with its marker and kommKz', () => {
    const world = baseline();
    world.espo.phoneNumberData.push({ phoneNumber: '030 7654321', type: 'Fax', primary: false });
    const p = plan(world);
    assert.equal(p.decision.espoChanged, true);
    assert.deepEqual(p.advoware, [
      {
        kind: 'createEntry',
        case: 'Var1',
        kommKz: 2,
        body: { tlf: '030 7654321', bemerkung: formatMarker('030 7654321', 2), online: false, kommKz: 2 },
        value: '030 7654321',
        note: 'new in EspoCRM',
      },
    ]);
    assert.equal(p.espo, null);
    converges(world, p);
  });

  it('seed single-side 2 (Var2): a value deleted in EspoCRM turns its entry into an empty slot', () => {
    const world = baseline();
    world.espo.phoneNumberData.splice(1, 1);
    const p = plan(world);
    assert.deepEqual(kinds(p), ['makeSlot:Var2#3']);
    assert.deepEqual(action(p).body, { tlf: '', bemerkung: '[ESPOCRM-SLOT:3]', online: false });
    converges(world, p);
  });

  it('seed single-side 3 (Var3): a value deleted in Advoware only is removed from EspoCRM', () => {
    const world = baseline();
    world.advoware = world.advoware.filter((e) => e.id !== 3);
    const p = plan(world);
    assert.deepEqual(p.decision, { ...p.decision, advowareChanged: true, espoChanged: false, espoWins: false });
    assert.deepEqual(kinds(p), []);
    assert.deepEqual(espoChanges(p), ['remove:Var3:0171 2345678']);
    assert.deepEqual(p.espo?.phoneNumberData, [{ phoneNumber: '+49 30 1234567', type: 'Office', primary: true, optOut: false, invalid: false }]);
    converges(world, p);
  });

  it('seed single-side 3b (Var3): a value cleared in Advoware is removed from EspoCRM, the entry stays a free slot', () => {
    const world = baseline();
    editAdvoware(world, 3, { tlf: '' });
    const p = plan(world);
    assert.deepEqual(espoChanges(p), ['remove:Var3:0171 2345678']);
    assert.deepEqual(kinds(p), []);
    const next = converges(world, p);
    next.espo.phoneNumberData.push({ phoneNumber: '0160 1112223', type: 'Mobile', primary: false });
    assert.deepEqual(kinds(plan(next)), ['reuseSlot:Var1#3']);
  });

  it('seed single-side 4 (Var4): a value new in Advoware is added to EspoCRM and gets a marker', () => {
    const world = baseline();
    world.advoware.push(entry(4, '030 99887766', 'Sekretariat'));
    const p = plan(world);
    assert.deepEqual(kinds(p), ['writeMarker:Var4#4']);
    assert.deepEqual(action(p).body, { tlf: '030 99887766', bemerkung: formatMarker('030 99887766', 1, 'Sekretariat'), online: false });
    assert.deepEqual(espoChanges(p), ['add:Var4:030 99887766']);
    assert.deepEqual(p.espo?.phoneNumberData.at(-1), { phoneNumber: '030 99887766', type: 'Office', primary: false });
    converges(world, p);
  });

  it('seed single-side 5 (Var5): a primary flag changed in EspoCRM updates online in Advoware', () => {
    const world = baseline();
    world.espo.phoneNumberData[0]!.primary = false;
    world.espo.phoneNumberData[1]!.primary = true;
    const p = plan(world);
    assert.deepEqual(kinds(p), ['updateEntry:Var5#2', 'updateEntry:Var5#3']);
    assert.equal(action(p, 0).body.online, false);
    assert.equal(action(p, 1).body.online, true);
    // The marker and the user's remark stay as they are.
    assert.equal(action(p, 0).body.bemerkung, formatMarker('+49 30 1234567', 1, 'Zentrale'));
    converges(world, p);
  });

  it('seed single-side 6 (Var6): a value changed in Advoware goes to EspoCRM, the marker follows, the remark stays', () => {
    const world = baseline();
    editAdvoware(world, 2, { tlf: '030 1234599' });
    const p = plan(world);
    assert.deepEqual(kinds(p), ['writeMarker:Var6#2']);
    assert.deepEqual(action(p).body, { tlf: '030 1234599', bemerkung: formatMarker('030 1234599', 1, 'Zentrale'), online: true });
    assert.deepEqual(espoChanges(p), ['replace:Var6:030 1234599']);
    assert.deepEqual(p.espo?.phoneNumberData[0], { phoneNumber: '030 1234599', type: 'Office', primary: true, optOut: false, invalid: false });
    converges(world, p);
  });
});

describe('seed conflicts: both sides changed, EspoCRM wins', () => {
  it('seed conflict 1: Var6 is reverted to EspoCRM’s value while EspoCRM’s own change goes through', () => {
    const world = baseline();
    editAdvoware(world, 3, { tlf: '0171 9999999' });
    world.espo.emailAddressData.push({ emailAddress: 'fristen@kanzlei-nord.de', primary: false });
    const p = plan(world);
    assert.equal(p.decision.espoWins, true);
    assert.deepEqual(kinds(p), ['updateEntry:Var6#3', 'createEntry:Var1']);
    assert.deepEqual(action(p).body, { tlf: '0171 2345678', bemerkung: formatMarker('0171 2345678', 3), online: false });
    assert.equal(p.espo, null);
    converges(world, p);
  });

  it('seed conflict 2 (bug #1): a Var4 entry becomes an empty slot instead of staying Advoware-only', () => {
    const world = baseline();
    world.advoware.push(entry(4, 'privat@example.de', null));
    world.espo.phoneNumberData[1]!.type = 'Home';
    world.espo.phoneNumberData[1]!.phoneNumber = '030 5556667';
    const p = plan(world);
    assert.equal(p.decision.espoWins, true);
    assert.ok(kinds(p).includes('makeSlot:Var4#4'));
    assert.equal(p.espo, null, 'nothing of Advoware’s reaches EspoCRM');
    converges(world, p);
  });

  it('seed conflict 3: Var3 is re-created as Var1, reusing the cleared entry', () => {
    const world = baseline();
    editAdvoware(world, 3, { tlf: '' });
    world.espo.emailAddressData[0]!.primary = false;
    const p = plan(world);
    assert.equal(p.decision.espoWins, true);
    assert.deepEqual(kinds(p), ['updateEntry:Var5#1', 'reuseSlot:Var1#3']);
    assert.equal(p.espo, null);
    converges(world, p);
  });

  it('seed conflict 4: the same value changed on both sides: EspoCRM’s new value takes the entry in one PUT', () => {
    const world = baseline();
    editAdvoware(world, 2, { tlf: '030 1111111' });
    world.espo.phoneNumberData[0]!.phoneNumber = '030 2222222';
    const p = plan(world);
    assert.equal(p.decision.espoWins, true);
    assert.deepEqual(kinds(p), ['reuseSlot:Var2+Var1#2']);
    assert.deepEqual(action(p).body, { tlf: '030 2222222', bemerkung: formatMarker('030 2222222', 1, 'Zentrale'), online: true });
    converges(world, p);
  });

  it('seed conflict 5: values unchanged on both sides are not touched in a conflict', () => {
    const world = baseline();
    editAdvoware(world, 3, { online: true });
    world.espo.emailAddressData[0]!.emailAddress = 'INFO@kanzlei-nord.de ';
    world.espo.phoneNumberData.push({ phoneNumber: '040 123456', type: 'Office', primary: false });
    const p = plan(world);
    assert.equal(p.decision.espoWins, true);
    // Only the new number and the online flag EspoCRM (master) holds; the reformatted e-mail is no change.
    assert.deepEqual(kinds(p), ['updateEntry:Var5#3', 'createEntry:Var1']);
    assert.equal(action(p).body.online, false);
    converges(world, p);
  });
});

describe('seed initial sync (no stored hash)', () => {
  const initial = (world: Omit<World, 'stored'>): World => ({ ...world, stored: {} });

  it('seed initial 1 (BUG-3): equal values on both sides only get markers, nothing is duplicated', () => {
    const world = initial({
      espo: {
        emailAddressData: [{ emailAddress: 'max@example.de', primary: true }],
        phoneNumberData: [{ phoneNumber: '030 1234567', type: 'Office', primary: true }],
      },
      advoware: [entry(10, 'max@example.de', null, true), entry(11, '030 1234567', 'Durchwahl', true)],
    });
    const p = plan(world);
    assert.equal(p.decision.initialSync, true);
    assert.deepEqual(kinds(p), ['writeMarker:initialMatch#10', 'writeMarker:initialMatch#11']);
    assert.deepEqual(action(p, 1).body, { tlf: '030 1234567', bemerkung: formatMarker('030 1234567', 1, 'Durchwahl'), online: true });
    assert.equal(p.espo, null);
    converges(world, p);
  });

  it('seed initial 2: values spelled differently on the two sides still match', () => {
    const world = initial({
      espo: {
        emailAddressData: [{ emailAddress: 'Max@Example.de', primary: true }],
        phoneNumberData: [{ phoneNumber: '+49 30 1234567', type: 'Office', primary: true }],
      },
      advoware: [entry(10, ' max@example.DE', null, false), entry(11, '(030) 123 45 67', null, true)],
    });
    const p = plan(world);
    assert.deepEqual(kinds(p), ['writeMarker:initialMatch#10', 'writeMarker:initialMatch#11']);
    assert.equal(action(p, 0).body.online, true, 'EspoCRM’s primary flag is taken over');
    assert.equal(action(p, 1).body.tlf, '(030) 123 45 67', 'Advoware keeps its own spelling');
    converges(world, p);
  });

  it('seed initial 3: values only in EspoCRM are created (never taken as deleted in Advoware)', () => {
    const world = initial({
      espo: {
        emailAddressData: [{ emailAddress: 'max@example.de', primary: true }],
        phoneNumberData: [{ phoneNumber: '0171 2345678', type: 'Mobile', primary: true }],
      },
      advoware: [],
    });
    const p = plan(world);
    assert.deepEqual(kinds(p), ['createEntry:Var1', 'createEntry:Var1']);
    assert.deepEqual(
      p.advoware.map((a) => a.kommKz),
      [4, 3],
    );
    converges(world, p);
  });

  it('seed initial 4: values only in Advoware are added to EspoCRM with markers', () => {
    const world = initial({
      espo: { emailAddressData: [], phoneNumberData: [] },
      advoware: [entry(10, 'max@example.de', null, true), entry(11, '0171 2345678', null, true), entry(12, '030 1234567', null, false)],
    });
    const p = plan(world);
    assert.deepEqual(kinds(p), ['writeMarker:Var4#10', 'writeMarker:Var4#11', 'writeMarker:Var4#12']);
    assert.deepEqual(p.espo?.phoneNumberData, [
      { phoneNumber: '0171 2345678', type: 'Mobile', primary: true },
      { phoneNumber: '030 1234567', type: 'Office', primary: false },
    ]);
    assert.deepEqual(p.espo?.emailAddressData, [{ emailAddress: 'max@example.de', primary: true }]);
    converges(world, p);
  });

  it('seed initial 5: matches, EspoCRM-only and Advoware-only values in one run', () => {
    const world = initial({
      espo: {
        emailAddressData: [{ emailAddress: 'max@example.de', primary: true }],
        phoneNumberData: [
          { phoneNumber: '030 1234567', type: 'Office', primary: true },
          { phoneNumber: '030 7654321', type: 'Fax', primary: false },
        ],
      },
      advoware: [entry(10, 'max@example.de', null, true), entry(11, '0171 2345678', null, false), entry(12, '', null, false)],
    });
    const p = plan(world);
    // Order is free: every action touches its own entry.
    assert.deepEqual(kinds(p).sort(), ['createEntry:Var1', 'createEntry:Var1', 'writeMarker:Var4#11', 'writeMarker:initialMatch#10']);
    assert.equal(p.advowareHashAfter, null);
    converges(world, p);
  });
});

describe('seed empty slots', () => {
  it('seed slot 1: a slot is tlf "", the slot marker and online false', () => {
    const world = baseline();
    world.espo.emailAddressData = [];
    const p = plan(world);
    assert.deepEqual(p.advoware, [
      {
        kind: 'makeSlot',
        case: 'Var2',
        kommKz: 4,
        entryId: 1,
        body: { tlf: '', bemerkung: '[ESPOCRM-SLOT:4]', online: false },
        value: 'info@kanzlei-nord.de',
        note: 'deleted in EspoCRM',
      },
    ]);
    converges(world, p);
  });

  it('seed slot 2: a new value reuses a slot of its kommKz before POSTing, never one of another kommKz', () => {
    const world = baseline();
    world.advoware.push(slot(7, 2), slot(8, 3));
    Object.assign(world, settle(world));
    world.espo.phoneNumberData.push(
      { phoneNumber: '0160 1112223', type: 'Mobile', primary: false },
      { phoneNumber: '030 5556667', type: 'Home', primary: false },
    );
    const p = plan(world);
    assert.deepEqual(kinds(p), ['reuseSlot:Var1#8', 'createEntry:Var1']);
    assert.deepEqual(action(p).body, { tlf: '0160 1112223', bemerkung: formatMarker('0160 1112223', 3), online: false });
    assert.equal(action(p, 1).kommKz, 6);
    converges(world, p);
  });

  it('seed slot 3: Var2 + Var1 of the same kommKz are one PUT of the entry, the remark kept', () => {
    const world = baseline();
    world.espo.phoneNumberData[0]!.phoneNumber = '030 7777777';
    const p = plan(world);
    assert.deepEqual(kinds(p), ['reuseSlot:Var2+Var1#2']);
    assert.deepEqual(action(p).body, { tlf: '030 7777777', bemerkung: formatMarker('030 7777777', 1, 'Zentrale'), online: true });
    converges(world, p);
  });

  it('seed slot 4: slots are not synced, not hashed and not taken for Advoware values', () => {
    const world = baseline();
    const before = world.stored.kommunikationHash;
    world.advoware.push(slot(7, 1), entry(8, '', null));
    assert.equal(kommunikationHash(world.advoware), before);
    const p = plan(world);
    assert.deepEqual(p.advoware, []);
    assert.equal(p.espo, null);
    assert.equal(p.advowareHashAfter, before);
  });
});

describe('seed direction: forceEspoWins (the original’s direction=to_advoware after a Stammdaten conflict)', () => {
  it('seed direction 1 (bug #2): a Var6 change is reverted even when only Advoware changed', () => {
    const world = baseline();
    editAdvoware(world, 2, { tlf: '+49 30 1111112', bemerkung: `${formatMarker('+49 30 1234567', 1)} Zentrale neu` });
    const p = plan(world, true);
    assert.equal(p.decision.espoChanged, false);
    assert.equal(p.decision.espoWins, true);
    assert.deepEqual(kinds(p), ['updateEntry:Var6#2']);
    assert.deepEqual(action(p).body, { tlf: '+49 30 1234567', bemerkung: formatMarker('+49 30 1234567', 1, 'Zentrale neu'), online: true });
    converges(world, p);
  });

  it('seed direction 2: Var4 entries become slots', () => {
    const world = baseline();
    world.advoware.push(entry(4, '030 99887766', null));
    const p = plan(world, true);
    assert.deepEqual(kinds(p), ['makeSlot:Var4#4']);
    assert.deepEqual(action(p).body, { tlf: '', bemerkung: '[ESPOCRM-SLOT:1]', online: false });
    converges(world, p);
  });

  it('seed direction 3: Var3 is re-created as Var1', () => {
    const world = baseline();
    world.advoware = world.advoware.filter((e) => e.id !== 1);
    const p = plan(world, true);
    assert.deepEqual(kinds(p), ['createEntry:Var1']);
    assert.equal(p.espo, null);
    converges(world, p);
  });

  it('seed direction 4: without force, Advoware-only changes flow to EspoCRM and Advoware gets only markers', () => {
    const world = baseline();
    editAdvoware(world, 3, { tlf: '0171 9999999' });
    world.advoware.push(entry(4, 'kanzlei@example.de', null));
    const p = plan(world, false);
    assert.equal(p.decision.espoWins, false);
    assert.deepEqual(kinds(p), ['writeMarker:Var6#3', 'writeMarker:Var4#4']);
    assert.deepEqual(espoChanges(p), ['replace:Var6:0171 9999999', 'add:Var4:kanzlei@example.de']);
    converges(world, p);
  });
});

describe('seed hash calculation', () => {
  it('seed hash 1: kommunikationHash is the first 16 hex digits of MD5 over the sorted, joined rowIds', () => {
    const entries = [entry(1, 'a@b.de', null), entry(2, '030 1234567', null)];
    entries[0]!.rowId = 'ZZZ=';
    entries[1]!.rowId = 'AAA=';
    assert.equal(kommunikationHash(entries), createHash('md5').update('AAA=ZZZ=').digest('hex').slice(0, 16));
    assert.equal(kommunikationHash([...entries].reverse()), kommunikationHash(entries));
  });

  it('seed hash 2 (bug #3): only sync-relevant entries count, slots and empty entries do not', () => {
    const entries = [entry(1, 'a@b.de', null)];
    const hash = kommunikationHash(entries);
    assert.equal(kommunikationHash([...entries, slot(2, 1), entry(3, '  ', 'Notiz')]), hash);
    assert.notEqual(kommunikationHash([...entries, entry(4, 'www.kanzlei.de', null)]), hash);
  });

  it('seed hash 3: an unchanged Beteiligte plans nothing and needs no re-read; the EspoCRM hash ignores formatting, order and flags', () => {
    const world = baseline();
    const p = plan(world);
    assert.deepEqual(p.advoware, []);
    assert.equal(p.espo, null);
    assert.equal(p.advowareHashAfter, world.stored.kommunikationHash);
    assert.equal(p.espoHashAfter, world.stored.kommunikationEspoHash);
    const reformatted = structuredClone(world.espo);
    reformatted.phoneNumberData.reverse();
    reformatted.phoneNumberData[0]!.phoneNumber = '0171/234 56 78';
    reformatted.phoneNumberData[0]!.optOut = false;
    reformatted.emailAddressData[0]!.emailAddress = 'Info@Kanzlei-Nord.de';
    assert.equal(espoKommunikationHash(reformatted), world.stored.kommunikationEspoHash);
    reformatted.phoneNumberData[0]!.primary = true;
    assert.notEqual(espoKommunikationHash(reformatted), world.stored.kommunikationEspoHash);
  });
});

describe('seed kommKz detection (GET answers kommKz = 0)', () => {
  const initialWith = (espo: World['espo'], advoware: Kommunikation[]): World => ({ espo, advoware, stored: {} });

  it('seed kommKz 1: the marker’s code wins over anything the value suggests', () => {
    const world = baseline();
    world.advoware.push(synced(4, '030 5556667', 7));
    world.espo.phoneNumberData.push({ phoneNumber: '030 5556667', type: 'Fax', primary: false });
    Object.assign(world, settle(world));
    world.espo.phoneNumberData.pop();
    const p = plan(world);
    assert.deepEqual(kinds(p), ['makeSlot:Var2#4']);
    assert.equal(action(p).kommKz, 7);
    assert.equal(action(p).body.bemerkung, '[ESPOCRM-SLOT:7]');
  });

  it('seed kommKz 2: a value with @ is an e-mail (MailGesch)', () => {
    const p = plan(initialWith({ emailAddressData: [], phoneNumberData: [] }, [entry(1, 'max@example.de', null)]));
    assert.equal(action(p).kommKz, 4);
    assert.deepEqual(parseBemerkung(action(p).body.bemerkung), { kind: 'marker', syncedValue: 'max@example.de', kommKz: 4, userText: '' });
  });

  it('seed kommKz 3: a mobile number is Mobil and lands in EspoCRM as Mobile', () => {
    const p = plan(initialWith({ emailAddressData: [], phoneNumberData: [] }, [entry(1, '0151 23456789', null)]));
    assert.equal(action(p).kommKz, 3);
    assert.deepEqual(p.espo?.phoneNumberData, [{ phoneNumber: '0151 23456789', type: 'Mobile', primary: false }]);
  });

  it('seed kommKz 4: EspoCRM’s type of the equal value names the code (a fax looks like any landline)', () => {
    const p = plan(
      initialWith({ emailAddressData: [], phoneNumberData: [{ phoneNumber: '030 7654321', type: 'Fax', primary: false }] }, [
        entry(1, '030 7654321', null),
      ]),
    );
    assert.deepEqual(kinds(p), ['writeMarker:initialMatch#1']);
    assert.equal(action(p).kommKz, 2);
  });

  it('seed kommKz 5: anything else is TelGesch; a code Advoware does report is used', () => {
    const p = plan(
      initialWith({ emailAddressData: [], phoneNumberData: [] }, [entry(1, '030 1234567', null), { ...entry(2, '089 1234567', null), kommKz: 6 }]),
    );
    assert.deepEqual(
      p.advoware.map((a) => a.kommKz),
      [1, 6],
    );
    assert.deepEqual(
      p.espo?.phoneNumberData.map((x) => x.type),
      ['Office', 'Home'],
    );
  });
});

describe('more combinations', () => {
  it('two values of the same kommKz are two entries, each matched by its own marker', () => {
    const world = baseline();
    world.espo.phoneNumberData.push({ phoneNumber: '030 2223334', type: 'Office', primary: false });
    const first = plan(world);
    assert.deepEqual(kinds(first), ['createEntry:Var1']);
    const next = converges(world, first);
    next.espo.phoneNumberData = next.espo.phoneNumberData.filter((x) => x.phoneNumber !== '+49 30 1234567');
    const second = plan(next);
    assert.deepEqual(kinds(second), ['makeSlot:Var2#2']);
    converges(next, second);
  });

  it('a value moved from one type to another: the old entry becomes a slot, the value gets an entry of its new kommKz', () => {
    const world = baseline();
    world.advoware.push(slot(7, 6));
    Object.assign(world, settle(world));
    world.espo.phoneNumberData[0]!.type = 'Home';
    const p = plan(world);
    assert.deepEqual(kinds(p), ['reuseSlot:Var1#7', 'makeSlot:Var2#2']);
    assert.equal(action(p).kommKz, 6);
    converges(world, p);
  });

  it('a value moved type while Advoware alone changed elsewhere is still re-created, never deleted', () => {
    const world = baseline();
    world.espo.phoneNumberData[1]!.type = 'Other';
    Object.assign(world, { stored: { ...world.stored, kommunikationEspoHash: espoKommunikationHash(world.espo) } });
    editAdvoware(world, 1, { online: false });
    const p = plan(world);
    assert.equal(p.decision.espoChanged, false);
    assert.deepEqual(kinds(p), ['updateEntry:Var5#1', 'createEntry:Var1', 'makeSlot:Var2#3']);
    assert.equal(p.espo, null);
    converges(world, p);
  });

  it('the primary flag moved from one number to another', () => {
    const world = baseline();
    world.espo.phoneNumberData.push({ phoneNumber: '030 2223334', type: 'Office', primary: false });
    const next = converges(world, plan(world));
    next.espo.phoneNumberData = next.espo.phoneNumberData.map((x) => ({ ...x, primary: x.phoneNumber === '030 2223334' }));
    const p = plan(next);
    assert.deepEqual(
      p.advoware.map((a) => `${a.kind}:${a.case}:${a.body.online}`),
      ['updateEntry:Var5:false', 'updateEntry:Var5:true'],
    );
    converges(next, p);
  });

  it('an Advoware value takes EspoCRM’s primary flag only when EspoCRM has none of its kind', () => {
    const world = baseline();
    world.advoware.push(entry(4, '030 99887766', null, true));
    const p = plan(world);
    assert.equal(action(p).body.online, false, 'EspoCRM already has a primary phone');
    assert.deepEqual(p.espo?.phoneNumberData.at(-1), { phoneNumber: '030 99887766', type: 'Office', primary: false });
    converges(world, p);
  });

  it('user text is kept through a value change on either side', () => {
    const world = baseline();
    editAdvoware(world, 2, { tlf: '030 1234599' });
    const next = converges(world, plan(world));
    assert.equal(parseBemerkung(next.advoware.find((e) => e.id === 2)?.bemerkung).userText, 'Zentrale');
    next.espo.phoneNumberData[0]!.phoneNumber = '030 1234500';
    const p = plan(next);
    assert.deepEqual(kinds(p), ['reuseSlot:Var2+Var1#2']);
    assert.equal(parseBemerkung(action(p).body.bemerkung).userText, 'Zentrale');
  });

  it('a value changed in Advoware into one EspoCRM already holds (its own entry gone) replaces the old one there', () => {
    const world = initialWithMatches();
    world.advoware = world.advoware.filter((e) => e.id !== 12);
    editAdvoware(world, 11, { tlf: '030 2223334' });
    const p = plan(world);
    assert.deepEqual(espoChanges(p), ['remove:Var6:030 1234567']);
    assert.deepEqual(kinds(p), ['writeMarker:Var6#11']);
    assert.equal(action(p).body.online, false, 'the flag of the value EspoCRM holds');
    converges(world, p);
  });

  it('a value changed in Advoware into one another entry holds: EspoCRM drops the old value, the copy is reported', () => {
    const world = initialWithMatches();
    editAdvoware(world, 11, { tlf: '030 2223334' });
    const p = plan(world);
    assert.deepEqual(espoChanges(p), ['remove:Var6:030 1234567']);
    assert.deepEqual(kinds(p), ['writeMarker:Var6#11']);
    assert.deepEqual(p.skipped, [{ side: 'advoware', reason: 'duplicate', value: '*******3334', entryId: 11 }]);
    // Not `converges`: Advoware keeps the copy, so its list holds the value twice.
    const next = perform(world, p);
    assert.deepEqual(plan(next).advoware, []);
    assert.equal(plan(next).espo, null);
    next.espo.phoneNumberData.push({ phoneNumber: '030 9998887', type: 'Office', primary: false });
    next.stored = { ...next.stored, kommunikationEspoHash: espoKommunikationHash(next.espo) };
    editAdvoware(next, 11, { tlf: '030 9998887' });
    assert.deepEqual(kinds(plan(next)), ['writeMarker:match#11'], 'a copy that gets a value of its own is judged by that value');
  });

  it('unusable values are skipped and reported; the others are synced', () => {
    const world = baseline();
    world.espo.emailAddressData.push({ emailAddress: 'kein-at-zeichen.de', primary: false });
    world.espo.phoneNumberData.push(
      { phoneNumber: '12', type: 'Office', primary: false },
      { phoneNumber: '030 2223334', type: 'Office', primary: false },
    );
    world.advoware.push(entry(4, 'www.kanzlei-nord.de', null));
    const p = plan(world);
    assert.deepEqual(kinds(p), ['createEntry:Var1']);
    assert.deepEqual(p.skipped, [
      { side: 'espocrm', reason: 'invalidEmail', value: '**************n.de' },
      { side: 'espocrm', reason: 'invalidPhone', value: '**' },
      { side: 'advoware', reason: 'notSyncable', value: '***************d.de', entryId: 4 },
    ]);
  });

  it('EspoCRM’s unusable values survive an EspoCRM write untouched', () => {
    const world = baseline();
    world.espo.phoneNumberData.push({ phoneNumber: 'bitte erfragen', type: 'Other', primary: false });
    Object.assign(world, settle(world));
    world.advoware.push(entry(4, 'sekretariat@kanzlei-nord.de', null));
    const p = plan(world);
    assert.ok(p.espo?.phoneNumberData.some((x) => x.phoneNumber === 'bitte erfragen'));
  });

  it('a Beteiligte last synced by the original system (no EspoCRM hash) never loses EspoCRM values', () => {
    const world = baseline();
    world.stored = { kommunikationHash: world.stored.kommunikationHash };
    world.advoware = world.advoware.filter((e) => e.id !== 3);
    const p = plan(world);
    assert.equal(p.decision.espoChanged, null);
    assert.deepEqual(kinds(p), ['createEntry:Var1']);
    assert.equal(p.espo, null);
  });

  it('the summary lists case, kommKz and entry, with values masked', () => {
    const world = baseline();
    world.espo.phoneNumberData.splice(1, 1);
    world.advoware.push(entry(4, 'sekretariat@kanzlei-nord.de', null));
    Object.assign(world, { stored: { ...world.stored, kommunikationEspoHash: espoKommunikationHash(world.espo) } });
    world.espo.phoneNumberData.push({ phoneNumber: '040 123456', type: 'Office', primary: false });
    const p = plan(world);
    const summary = summarizeKommunikationPlan(p);
    assert.ok(summary.length > 0);
    for (const line of summary) assert.doesNotMatch(line.value, /kanzlei|040 1/);
    assert.deepEqual(
      summary.map((l) => `${l.case} ${l.action} ${l.kommKz ?? '-'} ${l.entryId ?? '-'} ${l.value}`),
      p.advoware
        .map(
          (a) =>
            `${a.case} ${a.kind} ${a.kommKz} ${'entryId' in a ? a.entryId : '-'} ${'*'.repeat(Math.max(0, a.value.length - 4))}${a.value.length > 4 ? a.value.slice(-4) : ''}`,
        )
        .concat(
          (p.espo?.changes ?? []).map(
            (c) => `${c.case} espo:${c.change} - ${c.entryId ?? '-'} ${'*'.repeat(c.value.length - 4)}${c.value.slice(-4)}`,
          ),
        ),
    );
  });
});

describe('a run that stops after the EspoCRM write (the executor writes EspoCRM first)', () => {
  /** Only the EspoCRM part of the plan happened; no hash was stored. */
  function espoOnly(world: World, p: KommunikationPlan): World {
    assert.ok(p.espo);
    return { ...world, espo: { emailAddressData: p.espo.emailAddressData, phoneNumberData: p.espo.phoneNumberData } };
  }

  it('Var4: the next run only writes the marker, the value is not lost', () => {
    const world = baseline();
    world.advoware.push(entry(4, '030 99887766', null));
    const halfDone = espoOnly(world, plan(world));
    const p = plan(halfDone);
    assert.deepEqual(kinds(p), ['writeMarker:match#4']);
    assert.equal(p.espo, null);
    converges(halfDone, p);
  });

  it('Var6: the next run puts EspoCRM’s value (the new one) into the entry', () => {
    const world = baseline();
    editAdvoware(world, 2, { tlf: '030 1234599' });
    const halfDone = espoOnly(world, plan(world));
    const p = plan(halfDone);
    assert.deepEqual(kinds(p), ['reuseSlot:Var2+Var1#2']);
    assert.equal(action(p).body.tlf, '030 1234599');
    converges(halfDone, p);
  });
});

/** A pair after its initial sync with two office numbers. */
function initialWithMatches(): World {
  const start: World = {
    espo: {
      emailAddressData: [],
      phoneNumberData: [
        { phoneNumber: '030 1234567', type: 'Office', primary: true },
        { phoneNumber: '030 2223334', type: 'Office', primary: false },
      ],
    },
    advoware: [entry(11, '030 1234567', null, true), entry(12, '030 2223334', null, false)],
    stored: {},
  };
  return perform(start, plan(start));
}

describe('random edits on both sides (deterministic)', () => {
  it('every run converges: the next run writes nothing, both sides hold the same values, EspoCRM is never written when it wins', () => {
    let state = 7;
    const random = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const phones = ['030 1234567', '030 7654321', '0171 2345678', '0160 1112223', '040 123456', '089 1234567'];
    const mails = ['a@example.de', 'b@example.de', 'c@example.de'];
    const types = ['Office', 'Mobile', 'Home', 'Fax', 'Other'];
    const distinct = (values: string[]): string[] => [...new Set(values)].sort();
    const uniquePhones = (items: EspoPhoneNumber[]): EspoPhoneNumber[] =>
      items.filter((x, i) => items.findIndex((y) => digits(y.phoneNumber) === digits(x.phoneNumber)) === i);

    for (let round = 0; round < 400; round++) {
      let world: World = { espo: { emailAddressData: [], phoneNumberData: [] }, advoware: [], stored: {} };
      for (let i = 0; i < 3; i++)
        if (random() < 0.5) world.espo.phoneNumberData.push({ phoneNumber: pick(phones), type: pick(types), primary: random() < 0.3 });
      if (random() < 0.5) world.espo.emailAddressData.push({ emailAddress: pick(mails), primary: true });
      world.espo.phoneNumberData = uniquePhones(world.espo.phoneNumberData);
      for (let i = 1; i <= 3; i++) if (random() < 0.5) world.advoware.push(entry(i, pick([...phones, ...mails]), null, random() < 0.3));

      for (let step = 0; step < 5; step++) {
        for (let run = 0; ; run++) {
          assert.ok(run < 3, `round ${round}: no convergence within 3 runs`);
          const p = plan(world, run === 0 && random() < 0.25);
          if (p.decision.espoWins) assert.equal(p.espo, null, `round ${round}: EspoCRM written although it wins`);
          if (p.advoware.length === 0 && p.espo === null) break;
          world = perform(world, p);
        }
        const strip = (values: string[]): string[] => distinct(values.map((v) => v.replace(/ \*$/, '')));
        assert.deepEqual(strip(advowareValues(world)), strip(espoValues(world)), `round ${round}, step ${step}`);

        for (let edits = Math.floor(random() * 3); edits > 0; edits--) {
          const r = random();
          const phonesData = world.espo.phoneNumberData;
          if (r < 0.15) phonesData.push({ phoneNumber: pick(phones), type: pick(types), primary: false });
          else if (r < 0.3 && phonesData.length) phonesData.splice(Math.floor(random() * phonesData.length), 1);
          else if (r < 0.4 && phonesData.length) pick(phonesData).type = pick(types);
          else if (r < 0.5 && phonesData.length) pick(phonesData).phoneNumber = pick(phones);
          else if (r < 0.6 && world.advoware.length) {
            const target = pick(world.advoware);
            const isMail = target.tlf.includes('@') || /:[48]\]/.test(target.bemerkung ?? '');
            editAdvoware(world, target.id, { tlf: pick(isMail ? [...mails, ''] : [...phones, '']) });
          } else if (r < 0.7) world.advoware.push(entry(Math.max(0, ...world.advoware.map((e) => e.id)) + 1, pick(phones), null));
          else if (r < 0.8 && world.advoware.length) {
            const target = pick(world.advoware);
            editAdvoware(world, target.id, { online: !target.online });
          } else if (r < 0.9 && phonesData.length) {
            for (const x of phonesData) x.primary = false;
            pick(phonesData).primary = true;
          } else if (world.advoware.length) world.advoware.splice(Math.floor(random() * world.advoware.length), 1);
        }
        world.espo.phoneNumberData = uniquePhones(world.espo.phoneNumberData);
      }
    }
  });
});
