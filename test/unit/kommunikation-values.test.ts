import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { contactKey, isMobileNumber, maskValue, normaliseEmail, normalisePhone } from '../../domain/contact-values';
import { base64Decode, base64Encode } from '../../domain/kommunikation/base64';
import { espoPlaceOf, fitsEspo, KOMM_KZ, kommKzForEspo, kommKzName, recoverKommKz } from '../../domain/kommunikation/kommkz';
import { formatMarker, formatSlot, parseBemerkung } from '../../domain/kommunikation/marker';
import { md5Hex } from '../../domain/kommunikation/md5';

describe('normalisePhone', () => {
  it('gives one E.164 form for the ways German numbers are typed', () => {
    const spellings = [
      '030 1234567',
      '030/1234567',
      '030-123 45 67',
      '(030) 1234567',
      '+49 30 1234567',
      '+49 (0)30 1234567',
      '0049 30 1234567',
      ' +49301234567 ',
    ];
    for (const spelling of spellings) assert.equal(normalisePhone(spelling), '+49301234567', spelling);
  });

  it('reads mobile numbers and foreign numbers with their country code', () => {
    assert.equal(normalisePhone('0171 2345678'), '+491712345678');
    assert.equal(normalisePhone('+49 171 2345678'), '+491712345678');
    assert.equal(normalisePhone('+43 1 2345678'), '+4312345678');
  });

  it('is null for what cannot be a phone number', () => {
    for (const value of ['', '   ', '12', 'abc', 'www.kanzlei.de', null, undefined]) assert.equal(normalisePhone(value), null, String(value));
  });
});

describe('normaliseEmail', () => {
  it('lower-cases and trims', () => {
    assert.equal(normaliseEmail('  Max.Mustermann@Example.DE '), 'max.mustermann@example.de');
    assert.equal(normaliseEmail('max.mustermann@example.de'), normaliseEmail('MAX.MUSTERMANN@EXAMPLE.DE'));
  });

  it('is null without an @ or with whitespace inside', () => {
    for (const value of ['max.example.de', 'max@', '@example.de', 'max @example.de', '', null])
      assert.equal(normaliseEmail(value), null, String(value));
  });
});

describe('contact values', () => {
  it('detects mobile numbers by the numbering plan', () => {
    assert.equal(isMobileNumber('0171 2345678'), true);
    assert.equal(isMobileNumber('0151-23456789'), true);
    assert.equal(isMobileNumber('030 1234567'), false);
    assert.equal(isMobileNumber('not a number'), false);
  });

  it('keys values of either kind', () => {
    assert.equal(contactKey(' Info@Kanzlei.DE'), 'info@kanzlei.de');
    assert.equal(contactKey('030 1234567'), '+49301234567');
    assert.equal(contactKey('kein Wert'), null);
  });

  it('masks all but the last four characters', () => {
    assert.equal(maskValue('+49 30 1234567'), '**********4567');
    assert.equal(maskValue('info@kanzlei.de'), '***********i.de');
    assert.equal(maskValue('1234'), '****');
    assert.equal(maskValue(null), '');
  });
});

describe('base64 and MD5 without node:crypto', () => {
  const samples = [
    '',
    'a',
    'ab',
    'abc',
    '+49 30 1234567',
    'müller@straße.de',
    '€ 😀',
    'x'.repeat(55),
    'x'.repeat(56),
    'x'.repeat(64),
    'x'.repeat(1000),
  ];

  it('base64 matches Buffer and round-trips', () => {
    for (const s of samples) {
      assert.equal(base64Encode(s), Buffer.from(s, 'utf8').toString('base64'), s);
      assert.equal(base64Decode(base64Encode(s)), s, s);
    }
  });

  it('base64 rejects what the hub never wrote', () => {
    for (const bad of ['abc', 'YR==', 'Y===', '!!!!', 'YQ==YQ==', '/w==']) assert.equal(base64Decode(bad), null, bad);
  });

  it('MD5 matches node:crypto', () => {
    for (const s of samples) assert.equal(md5Hex(s), createHash('md5').update(s, 'utf8').digest('hex'), s);
    assert.equal(md5Hex(''), 'd41d8cd98f00b204e9800998ecf8427e');
  });
});

describe('marker and slot', () => {
  it('writes the original format and reads it back', () => {
    const bemerkung = formatMarker('+49 30 1234567', KOMM_KZ.TelGesch, 'Zentrale');
    assert.equal(bemerkung, `[ESPOCRM:${Buffer.from('+49 30 1234567').toString('base64')}:1] Zentrale`);
    assert.deepEqual(parseBemerkung(bemerkung), { kind: 'marker', syncedValue: '+49 30 1234567', kommKz: 1, userText: 'Zentrale' });
    assert.equal(formatMarker('a@b.de', 4), `[ESPOCRM:${Buffer.from('a@b.de').toString('base64')}:4]`);
  });

  it('keeps the user text around a marker, wherever the user put it', () => {
    const marker = formatMarker('030 1234567', 1);
    assert.equal(parseBemerkung(`nur vormittags ${marker}`).userText, 'nur vormittags');
    assert.equal(parseBemerkung(`${marker} Zeile 1\nZeile 2`).userText, 'Zeile 1\nZeile 2');
  });

  it('reads slots, and treats broken markers as the user’s text', () => {
    assert.equal(formatSlot(3), '[ESPOCRM-SLOT:3]');
    assert.deepEqual(parseBemerkung('[ESPOCRM-SLOT:3]'), { kind: 'slot', kommKz: 3, userText: '' });
    assert.deepEqual(parseBemerkung('[ESPOCRM:!!!:1] x'), { kind: 'none', userText: '[ESPOCRM:!!!:1] x' });
    assert.equal(parseBemerkung(`[ESPOCRM:${base64Encode('a@b.de')}:13]`).kind, 'none');
    assert.deepEqual(parseBemerkung(null), { kind: 'none', userText: '' });
  });
});

describe('kommKz table', () => {
  it('names all twelve codes and places each in EspoCRM', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((kz) => kommKzName(kz as 1)),
      ['TelGesch', 'FaxGesch', 'Mobil', 'MailGesch', 'Internet', 'TelPrivat', 'FaxPrivat', 'MailPrivat', 'AutoTelefon', 'Sonstige', 'EPost', 'Bea'],
    );
    assert.equal(espoPlaceOf(KOMM_KZ.Internet), null);
    assert.deepEqual(espoPlaceOf(KOMM_KZ.FaxPrivat), { kind: 'phone', type: 'Fax' });
    assert.deepEqual(espoPlaceOf(KOMM_KZ.MailPrivat), { kind: 'email' });
  });

  it('maps EspoCRM phone types both ways', () => {
    assert.equal(kommKzForEspo('phone', '030 1234567', 'Office'), 1);
    assert.equal(kommKzForEspo('phone', '030 1234567', 'Mobile'), 3);
    assert.equal(kommKzForEspo('phone', '030 1234567', 'Home'), 6);
    assert.equal(kommKzForEspo('phone', '030 1234567', 'Fax'), 2);
    assert.equal(kommKzForEspo('phone', '030 1234567', 'Other'), 10);
    assert.equal(kommKzForEspo('phone', '0171 2345678', undefined), 3);
    assert.equal(kommKzForEspo('email', 'a@b.de'), 4);
    assert.equal(fitsEspo(KOMM_KZ.FaxPrivat, 'phone', 'Fax'), true);
    assert.equal(fitsEspo(KOMM_KZ.TelGesch, 'phone', 'Mobile'), false);
    assert.equal(fitsEspo(KOMM_KZ.MailPrivat, 'email'), true);
  });

  it('recovers the code GET hides, in order: marker, Advoware, @, EspoCRM type, mobile number, TelGesch', () => {
    assert.deepEqual(recoverKommKz({ markerKommKz: 7, advowareKommKz: 0, value: '030 1234567' }), { kommKz: 7, source: 'marker' });
    assert.deepEqual(recoverKommKz({ advowareKommKz: 6, value: '030 1234567' }), { kommKz: 6, source: 'advoware' });
    assert.deepEqual(recoverKommKz({ advowareKommKz: 0, value: 'a@b.de', espoType: 'Fax' }), { kommKz: 4, source: 'email' });
    assert.deepEqual(recoverKommKz({ advowareKommKz: 0, value: '030 1234567', espoType: 'Fax' }), { kommKz: 2, source: 'espoType' });
    assert.deepEqual(recoverKommKz({ advowareKommKz: 0, value: '0171 2345678', espoType: 'Office' }), { kommKz: 1, source: 'espoType' });
    assert.deepEqual(recoverKommKz({ advowareKommKz: 0, value: '0171 2345678' }), { kommKz: 3, source: 'mobile' });
    assert.deepEqual(recoverKommKz({ advowareKommKz: 0, value: '030 1234567' }), { kommKz: 1, source: 'default' });
  });
});
