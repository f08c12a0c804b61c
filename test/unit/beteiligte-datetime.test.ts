import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { espoDateTimeAfter, parseEspoDateTime, toEspoDateTime } from '../../domain/espocrm-datetime';

describe('EspoCRM DateTime', () => {
  it('formats UTC without zone and milliseconds', () => {
    assert.equal(toEspoDateTime(new Date('2025-03-10T12:34:56.999Z')), '2025-03-10 12:34:56');
    assert.equal(toEspoDateTime(new Date('2025-03-10T14:00:00+02:00')), '2025-03-10 12:00:00');
  });

  it('parses as UTC, seconds optional', () => {
    assert.equal(parseEspoDateTime('2025-03-10 12:34:56')?.toISOString(), '2025-03-10T12:34:56.000Z');
    assert.equal(parseEspoDateTime('2025-03-10 12:34')?.toISOString(), '2025-03-10T12:34:00.000Z');
  });

  it('round-trips', () => {
    const text = '2024-02-29 23:59:59';
    const parsed = parseEspoDateTime(text);
    assert.ok(parsed);
    assert.equal(toEspoDateTime(parsed), text);
  });

  it('answers undefined for anything that is not an EspoCRM DateTime', () => {
    for (const bad of [
      null,
      undefined,
      '',
      'gestern',
      '2025-03-10',
      '2025-03-10T12:00:00Z',
      '2025-02-30 10:00:00',
      '2025-13-01 10:00:00',
      '2025-03-10 25:00:00',
    ]) {
      assert.equal(parseEspoDateTime(bad), undefined, String(bad));
    }
  });

  it('shifts by milliseconds', () => {
    assert.equal(espoDateTimeAfter(new Date('2025-12-31T23:59:30Z'), 60_000), '2026-01-01 00:00:30');
    assert.equal(espoDateTimeAfter(new Date('2025-03-10T12:00:00Z'), -86_400_000), '2025-03-09 12:00:00');
  });
});
