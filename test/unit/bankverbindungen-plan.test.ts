import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AdvowareBankverbindung, EspoBankverbindung } from '../../contracts/bankverbindungen';
import {
  bankverbindungHash,
  bankverbindungWrite,
  invalidPatch,
  isRecorded,
  planBankverbindung,
  syncedPatch,
} from '../../domain/bankverbindungen/plan';
import { checkAccount, maskIban } from '../../domain/bankverbindungen/validate';

const ACCOUNT: EspoBankverbindung = {
  id: 'konto1',
  iban: 'de89 3704 0044 0532 0130 00',
  bic: 'cobadeffxxx',
  bank: ' Commerzbank ',
  kontoinhaber: 'Erika Mustermann',
  cBeteiligteId: 'party1',
};

function valid(entity: EspoBankverbindung) {
  const check = checkAccount(entity);
  assert.ok(check.valid, 'valid account');
  return check.account;
}

describe('Bankverbindungen: validation (SPEC §5.5)', () => {
  it('accepts an IBAN with spaces and lower case, and writes it in electronic format', () => {
    assert.deepEqual(valid(ACCOUNT), { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' });
    assert.deepEqual(valid({ ...ACCOUNT, bic: '' }), { iban: 'DE89370400440532013000', bic: null });
  });

  it('refuses a wrong checksum, a wrong length, an unknown country and an empty IBAN, masked', () => {
    const reason = (iban: string | null) => {
      const check = checkAccount({ iban, bic: null });
      assert.ok(!check.valid, `${String(iban)} is refused`);
      return check.reason;
    };
    assert.match(reason('DE89370400440532013001'), /^invalid IBAN \*{18}3001: check digits do not match/);
    assert.match(reason('DE8937040044053201300'), /wrong length/);
    assert.match(reason('XX89370400440532013000'), /unknown country/);
    assert.match(reason(null), /invalid IBAN \(empty\)/);
    assert.ok(!reason('DE89370400440532013001').includes('37040044'), 'the account number never appears');
  });

  it('refuses a BIC of the wrong format', () => {
    const check = checkAccount({ iban: 'DE89370400440532013000', bic: 'COBA-DE' });
    assert.ok(!check.valid);
    assert.match(check.reason, /invalid BIC "COBA-DE"/);
  });

  it('masks all but the last four characters', () => {
    assert.equal(maskIban('DE89 3704 0044 0532 0130 00'), '******************3000');
  });
});

describe('Bankverbindungen: plan', () => {
  const write = bankverbindungWrite(ACCOUNT, valid(ACCOUNT));
  const entry = (fields: Partial<AdvowareBankverbindung>): AdvowareBankverbindung => ({ id: 7, rowId: 'r7', ...write, ...fields });

  it('writes every field with the marker, blanks as null', () => {
    assert.deepEqual(write, {
      iban: 'DE89370400440532013000',
      bic: 'COBADEFFXXX',
      bank: 'Commerzbank',
      kontoinhaber: 'Erika Mustermann',
      bemerkung: 'EspoCRM-ID: konto1',
    });
    assert.equal(bankverbindungWrite({ ...ACCOUNT, kontoinhaber: '  ' }, valid(ACCOUNT)).kontoinhaber, null);
  });

  it('creates when no entry carries the marker, even when one has the same IBAN', () => {
    const plan = planBankverbindung('konto1', [entry({ bemerkung: 'Mietkonto' })], write);
    assert.equal(plan.kind, 'create');
  });

  it('updates the marked entry when any field differs, and does nothing when all are equal', () => {
    const marked = entry({ bank: 'Andere Bank' });
    const plan = planBankverbindung('konto1', [entry({ id: 1, bemerkung: null }), marked], write);
    assert.equal(plan.kind, 'update');
    assert.equal(plan.kind === 'update' && plan.entry.id, 7);
    assert.equal(planBankverbindung('konto1', [entry({})], write).kind, 'no_change');
  });

  it('hashes the values and the party link', () => {
    const hash = bankverbindungHash(ACCOUNT, write);
    assert.equal(bankverbindungHash({ ...ACCOUNT }, write), hash);
    assert.notEqual(bankverbindungHash({ ...ACCOUNT, cBeteiligteId: 'party2' }, write), hash);
    assert.notEqual(bankverbindungHash(ACCOUNT, { ...write, bank: 'ING' }), hash);
  });

  it('knows when the stored state needs no write, and refreshes a stale sync point', () => {
    const now = new Date('2025-01-10T08:00:00Z');
    const state = { now, betNr: 100001, entry: { id: 7, rowId: 'r7' }, hash: 'h' };
    const stored: EspoBankverbindung = { ...ACCOUNT, ...syncedPatch(state) };
    assert.equal(stored.syncStatus, 'clean');
    assert.ok(isRecorded(stored, state, 86_400_000));
    assert.ok(!isRecorded({ ...stored, syncStatus: 'dirty' }, state, 86_400_000));
    assert.ok(!isRecorded(stored, { ...state, entry: { id: 7, rowId: 'r8' } }, 86_400_000));
    assert.ok(!isRecorded(stored, { ...state, now: new Date('2025-01-11T08:00:00Z') }, 86_400_000));
  });

  it('an invalid account is failed, its next retry put off', () => {
    const patch = invalidPatch(new Date('2025-01-10T08:00:00Z'), 'invalid BIC', 86_400_000);
    assert.deepEqual(patch, { syncStatus: 'failed', syncErrorMessage: 'invalid BIC', syncRetryCount: 0, syncNextRetry: '2025-01-11 08:00:00' });
  });
});
