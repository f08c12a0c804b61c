import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isOwnWriteEcho } from '../../domain/beteiligte/echo';

describe("isOwnWriteEcho: the hub's own EspoCRM write coming back as a webhook item", () => {
  it('an update carrying the stammdatenHash the hub wrote with its values is an echo', () => {
    assert.equal(isOwnWriteEcho('update', { id: 'a', firstName: 'Erika Maria', stammdatenHash: 'f00d' }), true);
    assert.equal(isOwnWriteEcho('update', { id: 'a', stammdatenHash: 'f00d' }), true);
  });

  it("a user's edit (no stammdatenHash among the changed attributes) is no echo", () => {
    assert.equal(isOwnWriteEcho('update', { id: 'a', lastName: 'Musterfrau' }), false);
    assert.equal(isOwnWriteEcho('update', { id: 'a' }), false);
  });

  it('an empty, blank or non-string stammdatenHash (cleared, not written by the hub) is no echo', () => {
    for (const stammdatenHash of ['', '  ', null, 42, { x: 1 }]) {
      assert.equal(isOwnWriteEcho('update', { id: 'a', lastName: 'X', stammdatenHash }), false, JSON.stringify(stammdatenHash));
    }
  });

  it('create and delete items are never echoes, whatever they carry', () => {
    assert.equal(isOwnWriteEcho('create', { id: 'a', firstName: 'Erika', stammdatenHash: 'f00d' }), false);
    assert.equal(isOwnWriteEcho('delete', { id: 'a', stammdatenHash: 'f00d' }), false);
  });
});

describe("isOwnWriteEcho: the hub's EspoCRM write of e-mail and phone data", () => {
  it('an update carrying a kommunikationEspoHash (final or pending) is the hub’s own', () => {
    const phoneNumberData = [{ phoneNumber: '+49 30 1234567', type: 'Office', primary: true }];
    assert.equal(isOwnWriteEcho('update', { id: 'a', phoneNumberData, kommunikationEspoHash: '0123456789abcdef' }), true);
    assert.equal(isOwnWriteEcho('update', { id: 'a', phoneNumberData, kommunikationEspoHash: 'pending:0123456789abcdef' }), true);
  });

  it('a user changing the arrays is no echo', () => {
    assert.equal(isOwnWriteEcho('update', { id: 'a', phoneNumberData: [], phoneNumber: null }), false);
    assert.equal(isOwnWriteEcho('update', { id: 'a', emailAddressData: [], kommunikationEspoHash: '' }), false);
  });
});
