/**
 * Advoware's Beteiligte POST carries no marker and Advoware has no search, so a POST that landed but whose completion
 * Temporal never recorded (worker killed, server down; test/production/ rehearses both) is found through the note the
 * activity keeps in Redis, not created twice. Here the note of such an earlier attempt is in place before the run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { CreatedBeteiligteNotes } from '../../clients/redis/created-beteiligte';
import { useBeteiligteHarness } from '../support/beteiligte-harness';
import { testRedis } from '../support/services';

const ENTITY = 'CBeteiligte';
const POST_BETEILIGTE = /^POST .*\/Beteiligte$/;

describe('Beteiligte sync workflow: a create retried after its POST landed', () => {
  const harness = useBeteiligteHarness();
  const { advoware, espocrm, entity, sync } = harness;
  let redis: Redis;
  before(() => {
    redis = testRedis();
  });
  after(() => redis.disconnect());

  it('takes the noted betNr instead of POSTing again: one Beteiligte in Advoware, linked and clean', async () => {
    const created = espocrm.userCreate(ENTITY, { firstName: 'Nora', lastName: 'Notiz', salutationName: 'Ms.' });
    // What the first attempt did before its completion was lost: the POST landed and the activity noted the answer.
    const landed = advoware.createBeteiligte({ name: 'Notiz', vorname: 'Nora' });
    await new CreatedBeteiligteNotes(redis).note(harness.advowareClient().origin, created.id, { betNr: landed.betNr, rowId: landed.rowId });
    advoware.calls.reset();

    const [run] = await sync(created.id);
    assert.equal(run?.decision, 'create');
    assert.equal(advoware.calls.count(POST_BETEILIGTE), 0, 'no second POST');
    assert.equal(entity(created.id).betnr, landed.betNr);
    assert.equal(entity(created.id).syncStatus, 'clean');
  });

  it('a party without a note is created once, and the note it leaves answers a retry with the same betNr', async () => {
    const created = espocrm.userCreate(ENTITY, { firstName: 'Otto', lastName: 'Once', salutationName: 'Mr.' });
    const [run] = await sync(created.id);
    assert.equal(run?.decision, 'create');
    assert.equal(advoware.calls.count(POST_BETEILIGTE), 1);
    const noted = await new CreatedBeteiligteNotes(redis).get(harness.advowareClient().origin, created.id);
    assert.equal(noted?.betNr, entity(created.id).betnr);
  });
});
