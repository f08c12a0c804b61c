/**
 * The party sync keeps the caller index warm (SPEC §8) and drops the AI assistant's cached profile (SPEC §9) in the
 * run that changed the party, so the next `call.started` finds a new number without `phone-index:rebuild`.
 * The Beteiligte workflow on the real Temporal server against the in-process simulators; the index is read back
 * from Redis under the suite's own prefix.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EspoPhoneNumber } from '../../contracts/espocrm';
import { useBeteiligteHarness } from '../support/beteiligte-harness';

const ENTITY = 'CBeteiligte';

const phone = (phoneNumber: string, type = 'Mobile', primary = false): EspoPhoneNumber => ({ phoneNumber, type, primary });

describe('Beteiligte sync workflow: caller index and AI profile cache kept current by the run', () => {
  const harness = useBeteiligteHarness();
  const { advoware, espocrm, entity, sync, syncCounted } = harness;

  async function linkedPerson(phones: EspoPhoneNumber[]): Promise<{ id: string; betNr: number }> {
    const created = espocrm.userCreate(ENTITY, {
      firstName: 'Erika',
      lastName: 'Mustermann',
      salutationName: 'Ms.',
      dateOfBirth: '1980-02-03',
      assignedUserId: 'u-abc',
      phoneNumberData: phones,
    });
    const [run] = await sync(created.id);
    assert.equal(run?.decision, 'create');
    return { id: created.id, betNr: entity(created.id).betnr as number };
  }

  const lookup = (number: string) => harness.callerIndex().lookup(number);

  it('a created Beteiligte answers for its numbers with its betNr, name and assigned user, in any notation', async () => {
    const { id, betNr } = await linkedPerson([phone('0171 2345678', 'Mobile', true), phone('+49 30 1234567', 'Office')]);
    for (const written of ['+491712345678', '0171/2345678', '+49 (30) 1234567']) {
      const { matches } = await lookup(written);
      assert.deepEqual(
        matches.map((m) => ({ espoId: m.espoId, betNr: m.betNr, name: m.name, assignedUserId: m.assignedUserId })),
        [{ espoId: id, betNr, name: 'Erika Mustermann', assignedUserId: 'u-abc' }],
        written,
      );
    }
  });

  it('a number added in EspoCRM is found after the run, a removed one no longer answers, and the cached profile goes', async () => {
    const { id } = await linkedPerson([phone('0171 2345678')]);
    await harness.yContextCache().set(id, '{"stale":true}', 600);

    espocrm.userUpdate(ENTITY, id, { phoneNumberData: [phone('0160 9876543', 'Mobile', true)] });
    const { run } = await syncCounted(id);
    assert.equal(run.decision, 'no_change', 'Stammdaten unchanged; the Kommunikation step carried the number');

    assert.deepEqual(
      (await lookup('+491609876543')).matches.map((m) => m.espoId),
      [id],
    );
    assert.deepEqual((await lookup('+491712345678')).matches, [], 'the removed number no longer names the party');
    assert.equal(await harness.yContextCache().get(id), null, 'the cached profile was dropped');
  });

  it('a name changed in Advoware reaches the screen pop; a run that changes nothing leaves index and cache alone', async () => {
    const { id, betNr } = await linkedPerson([phone('0171 2345678')]);
    advoware.editBeteiligte(betNr, { vorname: 'Erika Maria' });
    assert.equal((await sync(id))[0]?.decision, 'advoware_newer');
    assert.equal((await lookup('+491712345678')).matches[0]?.name, 'Erika Maria Mustermann');

    await harness.yContextCache().set(id, '{"kept":true}', 600);
    const { run, writes } = await syncCounted(id);
    assert.equal(run.decision, 'no_change');
    assert.equal(writes, 0);
    assert.equal(await harness.yContextCache().get(id), '{"kept":true}', 'a no-change run touches neither');
  });

  it('a Beteiligte deleted in EspoCRM no longer answers calls; numbers shared with another party keep naming that one', async () => {
    const shared = phone('030 555 0100', 'Office');
    const first = await linkedPerson([shared]);
    const second = await linkedPerson([shared, phone('0171 1111111')]);
    assert.deepEqual(
      (await lookup('+49305550100')).matches.map((m) => m.espoId).sort(),
      [first.id, second.id].sort(),
      'two parties on one line: both, never a guess',
    );

    const [run] = await sync(second.id, 'delete');
    assert.equal(run?.decision, 'deleted_in_espocrm');
    assert.deepEqual(
      (await lookup('+49305550100')).matches.map((m) => m.espoId),
      [first.id],
    );
    assert.deepEqual((await lookup('+491711111111')).matches, []);
  });

  it('a failing Redis does not fail the sync: the run ends clean and the index is mended by the next change', async () => {
    const { id } = await linkedPerson([phone('0171 2345678')]);
    const index = harness.callerIndex();
    const original = index.replaceParty.bind(index);
    index.replaceParty = () => Promise.reject(new Error('Redis unavailable'));
    try {
      espocrm.userUpdate(ENTITY, id, { phoneNumberData: [phone('0160 1112223', 'Mobile', true)] });
      await sync(id);
      assert.equal(entity(id).syncStatus, 'clean');
      assert.deepEqual((await lookup('+491601112223')).matches, [], 'the index missed this change');
    } finally {
      index.replaceParty = original;
    }
    espocrm.userUpdate(ENTITY, id, { phoneNumberData: [phone('0160 1112223', 'Mobile', true), phone('0170 3334445')] });
    await sync(id);
    assert.deepEqual(
      (await lookup('+491601112223')).matches.map((m) => m.espoId),
      [id],
    );
  });
});
