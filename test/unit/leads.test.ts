import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LeadSubmission, OfficeHoursAnswer } from '../../contracts/leads';
import { planFollowUp } from '../../domain/leads/follow-up';
import { toSubmission } from '../../domain/leads/normalise';
import { officeHoursAt, type HolidayLookup, type OfficeHours } from '../../domain/leads/office-hours';
import { leadWrite, recordedFollowUp, type LeadRecord } from '../../domain/leads/record';
import { vermieterheldenWebhook } from '../../domain/leads/schema';

const HOURS: OfficeHours = { days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' };
const noHolidays: HolidayLookup = () => null;
const christmas: HolidayLookup = (date) => (date === '2026-12-25' || date === '2026-12-26' ? 'Weihnachten' : null);

describe('leads: office hours (Europe/Berlin)', () => {
  it('open on a weekday between opening and closing, by Berlin wall clock in winter and summer', () => {
    assert.equal(officeHoursAt('2026-12-01T08:00:00Z', HOURS, noHolidays).open, true, '09:00 CET');
    assert.equal(officeHoursAt('2026-12-01T07:59:00Z', HOURS, noHolidays).open, false, '08:59 CET');
    assert.equal(officeHoursAt('2026-12-01T16:00:00Z', HOURS, noHolidays).open, false, '17:00 CET is closed');
    assert.equal(officeHoursAt('2026-07-01T07:00:00Z', HOURS, noHolidays).open, true, '09:00 CEST');
    assert.equal(officeHoursAt('2026-07-01T15:30:00Z', HOURS, noHolidays).open, false, '17:30 CEST');
  });

  it('the next opening: later today, tomorrow, after the weekend, after holidays', () => {
    assert.equal(officeHoursAt('2026-12-01T06:00:00Z', HOURS, noHolidays).nextOpening, '2026-12-01T08:00:00Z');
    assert.equal(officeHoursAt('2026-12-01T19:00:00Z', HOURS, noHolidays).nextOpening, '2026-12-02T08:00:00Z');
    assert.equal(officeHoursAt('2026-12-04T17:00:00Z', HOURS, noHolidays).nextOpening, '2026-12-07T08:00:00Z', 'Friday evening → Monday');
    const xmas = officeHoursAt('2026-12-25T09:00:00Z', HOURS, christmas);
    assert.deepEqual(xmas, { open: false, nextOpening: '2026-12-28T08:00:00Z', holiday: 'Weihnachten' });
  });
});

const submission = (over: Partial<LeadSubmission> = {}): LeadSubmission => ({
  event: 'lead.created',
  type: 'mieter',
  externalId: null,
  firstName: 'Erika',
  lastName: 'Mustermann',
  email: 'erika@example.de',
  phone: '+491701234567',
  phoneRaw: '0170 1234567',
  message: null,
  details: {},
  consent: { privacy: true, newsletter: false, phoneContact: false },
  receivedAt: '2026-12-01T09:00:00.000Z',
  ...over,
});

describe('leads: the follow-up plan', () => {
  const open: OfficeHoursAnswer = { open: true, nextOpening: '2026-12-01T09:00:00Z', holiday: null };
  const closed: OfficeHoursAnswer = { open: false, nextOpening: '2026-12-02T08:00:00Z', holiday: null };
  const at = '2026-12-01T09:00:00.000Z';

  it('Mieter and Vermieter requests with a phone are called within office hours', () => {
    assert.deepEqual(planFollowUp(submission(), open, at, 120), { kind: 'call', to: '+491701234567' });
    assert.deepEqual(planFollowUp(submission({ type: 'vermieter' }), open, at, 120), { kind: 'call', to: '+491701234567' });
  });

  it('outside office hours, without a phone or for a contact message: a Task; a newsletter: nothing', () => {
    assert.deepEqual(planFollowUp(submission(), closed, at, 120), {
      kind: 'task',
      reason: 'outside-office-hours',
      dueAt: '2026-12-02T10:00:00.000Z',
    });
    assert.deepEqual(planFollowUp(submission({ phone: null }), open, at, 30), {
      kind: 'task',
      reason: 'no-phone',
      dueAt: '2026-12-01T09:30:00.000Z',
    });
    assert.equal(planFollowUp(submission({ type: 'kontakt' }), open, at, 30).kind, 'task');
    assert.deepEqual(planFollowUp(submission({ type: 'newsletter' }), open, at, 30), { kind: 'none' });
  });
});

describe('leads: the Lead write', () => {
  const ctx = { dedupKey: 'k1', assignedUserId: 'u1', party: null };

  it('a new Lead gets every attribute, source, status, its key and its user', () => {
    const fields = leadWrite(null, submission({ details: { concern: 'Kündigung', monthlyRent: 700 }, message: 'Hilfe' }), ctx);
    assert.equal(fields.source, 'Vermieterhelden');
    assert.equal(fields.vmhLeadType, 'Mieter-Anfrage');
    assert.equal(fields.vmhDedupKey, 'k1');
    assert.equal(fields.assignedUserId, 'u1');
    assert.equal(fields.vmhConcern, 'Kündigung');
    assert.equal(fields.vmhMonthlyRent, 700);
    assert.deepEqual(fields.emailAddressData, [{ emailAddress: 'erika@example.de', primary: true }]);
    assert.deepEqual(fields.phoneNumberData, [{ phoneNumber: '+491701234567', type: 'Mobile', primary: true }]);
    assert.equal(fields.description, 'Mieter-Anfrage (2026-12-01): Hilfe');
  });

  it('an update writes only what changed, adds addresses, keeps consents and the stronger type, never reassigns', () => {
    const current: LeadRecord = {
      id: 'L1',
      ...leadWrite(null, submission({ consent: { privacy: true, newsletter: true, phoneContact: false } }), ctx),
    };
    assert.deepEqual(leadWrite(current, submission({ consent: { privacy: true, newsletter: false, phoneContact: false } }), ctx), {});
    const patch = leadWrite(current, submission({ type: 'newsletter', email: 'other@example.de', phone: null, lastName: 'Neu' }), {
      ...ctx,
      assignedUserId: 'u2',
    });
    assert.deepEqual(patch, {
      lastName: 'Neu',
      emailAddressData: [
        { emailAddress: 'erika@example.de', primary: true },
        { emailAddress: 'other@example.de', primary: false },
      ],
    });
  });

  it('the follow-up an earlier run recorded', () => {
    assert.equal(recordedFollowUp({ id: 'L1' }), null);
    assert.equal(recordedFollowUp({ id: 'L1', vmhFollowUp: 'task', vmhFollowUpId: 'T1' }), 'task:T1');
  });
});

describe('leads: the webhook schema and normalisation', () => {
  it('normalises e-mail to lower case and phone to E.164 (German by default)', () => {
    const body = vermieterheldenWebhook.parse({
      event: 'lead.created',
      lead: {
        type: 'vermieter',
        first_name: 'Hans',
        last_name: 'Haus',
        email: ' Hans@Example.DE ',
        phone: '(030) 123 4567',
        concern: 'Kündigung',
        consent: { privacy: true },
      },
    });
    const s = toSubmission(body, '2026-12-01T09:00:00.000Z');
    assert.equal(s.email, 'hans@example.de');
    assert.equal(s.phone, '+49301234567');
    assert.equal(s.phoneRaw, '(030) 123 4567');
    assert.equal(s.decideAt, undefined);
  });

  it('messages name the field', () => {
    const fields = (value: unknown) => {
      const parsed = vermieterheldenWebhook.safeParse(value);
      assert.equal(parsed.success, false);
      return parsed.error?.issues.map((i) => i.path.join('.')) ?? [];
    };
    assert.deepEqual(fields({ event: 'lead.created', lead: { type: 'newsletter', email: 'x' } }), ['lead.email']);
    assert.deepEqual(fields({ event: 'lead.updated', lead: {} }), ['event']);
    assert.deepEqual(fields({ event: 'lead.created', lead: { type: 'x', email: 'a@b.de' } }), ['lead.type']);
    assert.ok(fields({ event: 'contact.submitted', lead: { email: 'a@b.de', consent: { privacy: true } } }).includes('lead.message'));
  });
});
