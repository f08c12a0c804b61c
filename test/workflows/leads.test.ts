import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { EspoCrmClient } from '../../clients/espocrm/client';
import { CallerIndexStore } from '../../clients/redis/caller-index';
import { LeadDedupStore } from '../../clients/redis/lead-dedup';
import type { LeadWorkflow, LeadWorkflowResult } from '../../contracts/leads';
import { beteiligteEntries } from '../../domain/caller-index/entries';
import { signVermieterheldenBody } from '../../lib/vermieterhelden-signature';
import { EspoCrmSimulator } from '../../simulators/espocrm/simulator';
import { SANDBOX_ESPOCRM, threecxEnvFor, SANDBOX_THREECX } from '../../simulators/sandbox-credentials';
import { ThreeCxSimulator } from '../../simulators/threecx/simulator';
import { startTestGateway, TEST_API_KEY, type TestGateway } from '../support/gateway';
import { testRedis } from '../support/services';
import { createTestWorker, type TestWorker } from '../support/worker';

const SECRET = 'test-vermieterhelden-secret';
const LEAD_USER = 'u-lead';
const PARTY_USER = 'u-party';

/** Tuesday 1 December 2026, Berlin wall clock (UTC+1). */
const TUESDAY_10 = new Date('2026-12-01T09:00:00Z');
const TUESDAY_20 = new Date('2026-12-01T19:00:00Z');
/** Friday 25 December 2026, 10:00 in Berlin: a working day's hour, but Christmas. */
const CHRISTMAS_10 = new Date('2026-12-25T09:00:00Z');

describe('Vermieterhelden leads: gateway → lead workflow → EspoCRM and 3CX, on the real Temporal server', () => {
  const espocrm = new EspoCrmSimulator({ apiKey: SANDBOX_ESPOCRM.apiKey });
  const threecx = new ThreeCxSimulator({ apiKey: SANDBOX_THREECX.apiKey, webhookSecret: SANDBOX_THREECX.webhookSecret });
  let redis: Redis;
  let hub: TestWorker;
  let gateway: TestGateway;
  let callerIndex: CallerIndexStore;
  let dedupPrefix: string;
  let now = TUESDAY_10;

  before(async () => {
    const [espocrmUrl, threecxUrl] = await Promise.all([espocrm.start(), threecx.start()]);
    redis = testRedis();
    const prefix = `test:${randomUUID()}:`;
    callerIndex = new CallerIndexStore(redis, `${prefix}caller_index:`);
    dedupPrefix = `${prefix}lead_dedup:`;
    hub = await createTestWorker({
      espocrm: new EspoCrmClient({ baseUrl: `${espocrmUrl}/api/v1`, apiKey: SANDBOX_ESPOCRM.apiKey, timeoutMs: 5_000 }),
      callerIndex,
      env: {
        ...threecxEnvFor(threecxUrl),
        ESPOCRM_ADMIN_USER_ID: 'admin-user',
        STAFF_DIRECTORY: `${LEAD_USER}=LEA/201,${PARTY_USER}=PAR/202`,
        LEAD_DEFAULT_USER_ID: LEAD_USER,
        LEAD_HOLIDAY_STATE: 'BY',
        LEAD_OFFICE_HOURS: '09:00-17:00',
        LEAD_TASK_DUE_MINUTES: '120',
        LEAD_WORKFLOW_IDLE_SECONDS: '2',
        LEAD_CALL_TIMEOUT_SECONDS: '5',
        THREECX_CALL_TIMEOUT_SECONDS: '5',
      },
    });
    gateway = await startTestGateway({
      advowareUrl: 'http://127.0.0.1:9',
      tokenRedis: redis,
      taskQueue: hub.taskQueue,
      overrides: {
        leads: {
          secret: SECRET,
          dedup: new LeadDedupStore(redis, dedupPrefix),
          windowSeconds: 24 * 3600,
          client: hub.client,
          taskQueue: hub.taskQueue,
          deadlineMs: 2_500,
          clock: () => now,
        },
      },
    });
  });
  after(async () => {
    await gateway?.close();
    await hub?.close();
    await Promise.all([espocrm.stop(), threecx.stop()]);
    redis?.disconnect();
  });
  beforeEach(() => {
    espocrm.reset();
    threecx.faults.clear();
    threecx.calls.reset();
    now = TUESDAY_10;
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}/api/leads/vermieterhelden`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
  const signed = (body: string) => ({ 'X-Webhook-Signature': signVermieterheldenBody(SECRET, body) });

  /** Sends a signed lead; returns the workflow it went to. */
  async function send(payload: unknown): Promise<{ workflowId: string; duplicate: boolean }> {
    const body = JSON.stringify(payload);
    const res = await post(body, signed(body));
    const answer = (await res.json()) as { workflowId: string; duplicate: boolean };
    assert.equal(res.status, 200, JSON.stringify(answer));
    return answer;
  }
  const result = (workflowId: string): Promise<LeadWorkflowResult> => hub.run(() => hub.client.workflow.getHandle<LeadWorkflow>(workflowId).result());

  const leads = () => espocrm.listRecords('Lead').list;
  const tasks = () => espocrm.listRecords('Task').list;
  const dials = () => threecx.calls.filter().filter((c) => c.method === 'POST' && c.path.endsWith('/calls/initiate')).length;
  const dedupKeys = async () => (await redis.keys(`${dedupPrefix}*`)).length;

  const email = () => `Erika.${randomUUID().slice(0, 8)}@Example.DE`;
  const phone = () => `0170 ${String(Math.floor(1_000_000 + Math.random() * 8_999_999))}`;
  const mieter = (mail = email(), tel: string | undefined = phone()) => ({
    event: 'lead.created',
    id: `wp-${randomUUID().slice(0, 6)}`,
    lead: {
      type: 'mieter',
      first_name: 'Erika',
      last_name: 'Mustermann',
      email: mail,
      ...(tel !== undefined && { phone: tel }),
      concern: 'Mieterhöhung',
      address: 'Lindenstraße 5, 50674 Köln',
      monthly_rent: 850,
      message: 'Mein Vermieter will 20 % mehr.',
      consent: { privacy: true, phone_contact: true },
    },
  });

  it('a Mieter-Anfrage within office hours: one Lead with every field, normalised, and one qualification call from the user’s extension', async () => {
    const mail = email();
    const { workflowId, duplicate } = await send(mieter(mail, '0170 1234567'));
    assert.equal(duplicate, false);
    const r = await result(workflowId);
    assert.equal(r.created, true);
    assert.equal(r.followUp?.kind, 'call');
    const [lead, ...more] = leads();
    assert.equal(more.length, 0);
    assert.equal(lead?.id, r.leadId);
    assert.equal(lead?.source, 'Vermieterhelden');
    assert.equal(lead?.vmhLeadType, 'Mieter-Anfrage');
    assert.equal(lead?.emailAddress, mail.toLowerCase(), 'e-mail in lower case');
    assert.equal(lead?.phoneNumber, '+491701234567', 'phone in E.164');
    assert.equal(lead?.vmhConcern, 'Mieterhöhung');
    assert.equal(lead?.vmhMonthlyRent, 850);
    assert.equal(lead?.vmhConsentPrivacy, true);
    assert.equal(lead?.vmhConsentPhoneContact, true);
    assert.equal(lead?.vmhConsentNewsletter, false);
    assert.equal(lead?.assignedUserId, LEAD_USER);
    assert.equal(lead?.vmhFollowUp, 'call');
    assert.match(String(lead?.description), /20 % mehr/);
    assert.equal(dials(), 1);
    const dialled = r.followUp?.kind === 'call' ? threecx.getCall(r.followUp.callId) : undefined;
    assert.deepEqual([dialled?.from, dialled?.to], ['201', '+491701234567'], 'the assigned user’s extension dials the lead');
    assert.equal(tasks().length, 0);
    assert.deepEqual(
      (await callerIndex.lookup('0170 1234567')).matches.map((m) => [m.espoId, m.source]),
      [[lead?.id, 'lead']],
      'the caller index knows the lead’s number',
    );
  });

  it('a Vermieter-Anfrage outside office hours: a Task due two hours after the next opening, no call', async () => {
    now = TUESDAY_20;
    const { workflowId } = await send({
      event: 'lead.created',
      lead: {
        type: 'vermieter',
        first_name: 'Hans',
        last_name: 'Haus',
        email: email(),
        phone: phone(),
        concern: 'Mietnomaden',
        units: 4,
        consent: { privacy: true },
      },
    });
    const r = await result(workflowId);
    assert.equal(r.followUp?.kind, 'task');
    assert.equal(r.followUp?.kind === 'task' && r.followUp.reason, 'outside-office-hours');
    assert.equal(dials(), 0);
    const [task] = tasks();
    assert.equal(task?.assignedUserId, LEAD_USER);
    assert.equal(task?.parentType, 'Lead');
    assert.equal(task?.parentId, r.leadId);
    assert.equal(task?.dateEnd, '2026-12-02 10:00:00', 'Wednesday 09:00 Berlin + 120 min, in UTC');
    assert.equal(leads()[0]?.vmhLeadType, 'Vermieter-Anfrage');
    assert.equal(leads()[0]?.vmhUnits, 4);
  });

  it('a request on a public holiday of the configured state gets a Task due after the next working day opens', async () => {
    now = CHRISTMAS_10;
    const { workflowId } = await send(mieter());
    const r = await result(workflowId);
    assert.equal(r.followUp?.kind === 'task' && r.followUp.reason, 'outside-office-hours');
    assert.equal(dials(), 0);
    // 26 Dec is a holiday and a Saturday, 27 a Sunday: Monday 28 Dec 09:00 Berlin + 2 h.
    assert.equal(tasks()[0]?.dateEnd, '2026-12-28 10:00:00');
  });

  it('a 3CX failure within office hours falls back to a Task', async () => {
    threecx.faults.add({ method: 'POST', path: '/calls/initiate$', status: 403 });
    const { workflowId } = await send(mieter());
    const r = await result(workflowId);
    assert.equal(r.followUp?.kind, 'task');
    assert.equal(r.followUp?.kind === 'task' && r.followUp.reason, 'call-failed');
    assert.equal(tasks().length, 1);
    assert.equal(leads()[0]?.vmhFollowUp, 'task');
    assert.equal(leads()[0]?.vmhFollowUpId, tasks()[0]?.id);
  });

  it('a Kontaktformular (contact.submitted, type left out) gets a Task, never a call', async () => {
    const { workflowId } = await send({
      event: 'contact.submitted',
      lead: { email: email(), message: 'Bitte um Rückruf.', consent: { privacy: true } },
    });
    const r = await result(workflowId);
    assert.equal(r.followUp?.kind === 'task' && r.followUp.reason, 'not-a-call-type');
    assert.equal(leads()[0]?.vmhLeadType, 'Kontaktformular');
    assert.equal(dials(), 0);
  });

  it('a newsletter sign-up with consent creates a Lead and no follow-up; without consent it is refused and nothing is written', async () => {
    const withConsent = await send({ event: 'lead.created', lead: { type: 'newsletter', email: email(), consent: { newsletter: true } } });
    const r1 = await result(withConsent.workflowId);
    assert.equal(r1.created, true);
    assert.equal(r1.followUp, null);
    assert.equal(leads()[0]?.vmhLeadType, 'Newsletter-Anmeldung');
    assert.equal(leads()[0]?.vmhConsentNewsletter, true);

    espocrm.reset();
    const without = await send({ event: 'lead.created', lead: { type: 'newsletter', email: email(), consent: { newsletter: false } } });
    const r2 = await result(without.workflowId);
    assert.equal(r2.leadId, null);
    assert.deepEqual(
      r2.refused.map((x) => x.reason),
      ['newsletter sign-up without consent'],
    );
    assert.equal(leads().length, 0);
    assert.equal(tasks().length, 0);
  });

  it('the same e-mail again (other case, no phone) updates the running lead: one Lead, one follow-up', async () => {
    const mail = email();
    const first = await send(mieter(mail));
    const second = await send({
      event: 'contact.submitted',
      lead: { email: mail.toUpperCase(), first_name: 'Erika', last_name: 'Musterfrau', message: 'Noch eine Frage.', consent: { privacy: true } },
    });
    assert.equal(second.workflowId, first.workflowId);
    assert.equal(second.duplicate, true);
    const r = await result(first.workflowId);
    assert.equal(r.submissions, 2);
    assert.equal(r.updates, 1);
    assert.equal(leads().length, 1);
    assert.equal(leads()[0]?.lastName, 'Musterfrau', 'the newer name');
    assert.equal(leads()[0]?.vmhLeadType, 'Mieter-Anfrage', 'a contact message does not downgrade a request');
    assert.match(String(leads()[0]?.description), /Noch eine Frage/);
    assert.equal(dials() + tasks().length, 1, 'one follow-up');
  });

  it('the same phone with another e-mail after the workflow closed: the later run finds the Lead and its recorded follow-up', async () => {
    const tel = phone();
    const first = await send(mieter(email(), tel));
    const r1 = await result(first.workflowId);
    assert.equal(r1.followUp?.kind, 'call');

    const otherMail = email();
    const second = await send(mieter(otherMail, tel.replace(/^0/, '+49 ')));
    assert.equal(second.workflowId, first.workflowId);
    const r2 = await result(second.workflowId);
    assert.equal(r2.created, false);
    assert.equal(r2.leadId, r1.leadId);
    assert.equal(r2.followUp?.kind, 'already-done');
    assert.equal(leads().length, 1);
    assert.deepEqual(
      (leads()[0]?.emailAddressData as { emailAddress: string }[]).map((e) => e.emailAddress),
      [leads()[0]?.emailAddress, otherMail.toLowerCase()],
      'the second address is added to the Lead',
    );
    assert.equal(dials(), 1, 'called once');
    assert.equal(tasks().length, 0);
  });

  it('two duplicates sent at the same moment: one workflow, one Lead, one follow-up', async () => {
    const mail = email();
    const tel = phone();
    const answers = await Promise.all([send(mieter(mail, tel)), send(mieter(mail.toLowerCase(), tel)), send(mieter(email(), tel))]);
    assert.equal(new Set(answers.map((a) => a.workflowId)).size, 1);
    assert.equal(answers.filter((a) => !a.duplicate).length, 1);
    const r = await result(answers[0].workflowId);
    assert.equal(r.submissions, 3);
    assert.equal(leads().length, 1);
    assert.equal(dials(), 1);
    assert.equal(tasks().length, 0);
  });

  it('links the lead to a known party by e-mail (EspoCRM) or by phone (caller index) and gives it to that party’s user', async () => {
    const mail = email();
    const byEmail = espocrm.userCreate('CBeteiligte', {
      firstName: 'Erika',
      lastName: 'Mustermann',
      emailAddress: mail.toLowerCase(),
      assignedUserId: PARTY_USER,
    });
    const r1 = await result((await send(mieter(mail))).workflowId);
    assert.deepEqual(r1.linkedParty, { espoId: byEmail.id, by: 'email' });
    assert.equal(espocrm.getRecord('Lead', r1.leadId!)?.vmhBeteiligteId, byEmail.id);
    assert.equal(espocrm.getRecord('Lead', r1.leadId!)?.assignedUserId, PARTY_USER);
    assert.equal(r1.followUp?.kind === 'call' && threecx.getCall(r1.followUp.callId)?.from, '202', 'the party’s user calls');

    const tel = phone();
    const byPhone = espocrm.userCreate('CBeteiligte', {
      firstName: 'Max',
      lastName: 'Muster',
      assignedUserId: PARTY_USER,
      phoneNumberData: [{ phoneNumber: tel, type: 'Mobile', primary: true }],
    });
    await callerIndex.replaceParty(byPhone.id, beteiligteEntries({ ...byPhone, id: byPhone.id }).entries);
    const r2 = await result((await send(mieter(email(), tel))).workflowId);
    assert.deepEqual(r2.linkedParty, { espoId: byPhone.id, by: 'phone' });
  });

  describe('rejected input writes nothing and starts nothing', () => {
    const rejected = async (res: Response, status: number, field?: string) => {
      const body = (await res.json()) as { error: string };
      assert.equal(res.status, status, JSON.stringify(body));
      if (field) assert.match(body.error, new RegExp(field.replace('.', '\\.')));
      assert.equal(await dedupKeys(), keysBefore, 'no dedup claim');
      assert.equal(leads().length, 0);
    };
    let keysBefore = 0;
    beforeEach(async () => {
      keysBefore = await dedupKeys();
    });

    it('401 for a bad signature, a wrong secret and no credentials; the secret itself and an API key are accepted', async () => {
      const body = JSON.stringify(mieter());
      await rejected(await post(body, { 'X-Webhook-Signature': signVermieterheldenBody('wrong', body) }), 401);
      await rejected(await post(body, { 'X-Webhook-Secret': 'wrong' }), 401);
      await rejected(await post(body), 401);
      const tampered = JSON.stringify({ ...mieter(), id: 'other' });
      await rejected(await post(tampered, signed(body)), 401);
      for (const headers of [{ 'X-Webhook-Secret': SECRET }, { 'X-API-Key': TEST_API_KEY }] as Record<string, string>[]) {
        const res = await post(JSON.stringify(mieter()), headers);
        assert.equal(res.status, 200);
        await result(((await res.json()) as { workflowId: string }).workflowId);
      }
    });

    it('400 naming the field: invalid e-mail, phone, missing concern, unknown type and event, no privacy consent', async () => {
      const send400 = async (payload: unknown, field: string) => {
        const body = JSON.stringify(payload);
        await rejected(await post(body, signed(body)), 400, field);
      };
      const base = mieter();
      await send400({ ...base, lead: { ...base.lead, email: 'nicht-da' } }, 'lead.email');
      await send400({ ...base, lead: { ...base.lead, phone: '12' } }, 'lead.phone');
      await send400({ ...base, lead: { ...base.lead, concern: undefined } }, 'lead.concern');
      await send400({ ...base, lead: { ...base.lead, type: 'makler' } }, 'lead.type');
      await send400({ ...base, event: 'lead.deleted' }, 'event');
      await send400({ ...base, lead: { ...base.lead, consent: { privacy: false } } }, 'lead.consent.privacy');
      const notJson = '{"event":';
      await rejected(await post(notJson, signed(notJson)), 400);
    });

    it('413 for an oversize body', async () => {
      const body = JSON.stringify({ ...mieter(), padding: 'x'.repeat(100_000) });
      await rejected(await post(body, signed(body)), 413);
    });
  });
});
