/**
 * Client data encrypted in Temporal's history (issue 16), end to end: a Beteiligte with a distinctive name and phone
 * number and its bank account are synced by the hub's worker on the real Temporal dev server; the histories Temporal
 * stores, read without the codec (the temporal CLI, a plain Client), hold none of it, and the CLI pointed at the
 * gateway's codec endpoint shows it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import type { Redis } from 'ioredis';
import { bankverbindungenSyncWorkflowId, type BankverbindungenSyncWorkflow } from '../../contracts/bankverbindungen';
import { beteiligteSyncWorkflowId } from '../../contracts/beteiligte';
import { useBeteiligteHarness } from '../support/beteiligte-harness';
import { TEST_API_KEY, startTestGateway, type TestGateway } from '../support/gateway';
import { cliCodecFlags, temporalAddress, testRedis } from '../support/services';
import { settledRuns } from '../support/settled';

const run = promisify(execFile);

const FIRST_NAME = 'Zacharias';
const LAST_NAME = 'Quellmann-Obersteiner';
const PHONE = '+49 170 5550123';
const IBAN = 'DE89 3704 0044 0532 0130 00';

/** Every form a value could take in a payload: as typed, without spaces (E.164, IBAN electronic), the name alone. */
const SECRETS = [LAST_NAME, PHONE, PHONE.replace(/ /g, ''), '1705550123', IBAN, IBAN.replace(/ /g, '')];

/**
 * All text a history exposes: its strings and bytes as they are, and every base64 string decoded (the CLI's JSON and
 * the proto JSON print payload data as base64, so a plain JSON payload would hide from a plain search).
 */
function exposedText(value: unknown): string {
  const parts: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      parts.push(v);
      if (v.length >= 8 && /^[A-Za-z0-9+/]+={0,2}$/.test(v)) parts.push(Buffer.from(v, 'base64').toString('latin1'));
    } else if (v instanceof Uint8Array) parts.push(Buffer.from(v).toString('latin1'));
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(value);
  // UTF-8 decoded as latin1 leaves ASCII intact: every secret here is ASCII.
  return parts.join('\n');
}

describe('client data in Temporal history is encrypted (issue 16)', () => {
  const harness = useBeteiligteHarness();
  const { espocrm } = harness;
  let gateway: TestGateway;
  let redis: Redis;
  let workflowIds: string[] = [];

  const cli = (args: string[]) =>
    run(process.env.TEMPORAL_CLI ?? 'temporal', [...args, '--address', temporalAddress(), '--namespace', 'default'], { maxBuffer: 64 * 1024 * 1024 });
  const show = async (workflowId: string, codec: string[] = []) =>
    exposedText(JSON.parse((await cli(['workflow', 'show', '--workflow-id', workflowId, '--output', 'json', ...codec])).stdout) as unknown);

  before(async () => {
    redis = testRedis();
    gateway = await startTestGateway({ advowareUrl: 'http://127.0.0.1:9', tokenRedis: redis });

    // A new party with a phone number: its first sync creates it in Advoware (name and number in activity inputs).
    const party = espocrm.userCreate('CBeteiligte', {
      firstName: FIRST_NAME,
      lastName: LAST_NAME,
      salutationName: 'Mr.',
      dateOfBirth: '1971-09-14',
      phoneNumberData: [{ phoneNumber: PHONE, type: 'Mobile', primary: true }],
    });
    const [created] = await harness.sync(party.id);
    assert.equal(created?.decision, 'create');
    // Its bank account: the run reads the IBAN from EspoCRM and writes it to Advoware.
    const account = espocrm.userCreate('CBankverbindungen', {
      name: 'Girokonto',
      iban: IBAN,
      bic: 'COBADEFFXXX',
      bank: 'Commerzbank',
      kontoinhaber: `${FIRST_NAME} ${LAST_NAME}`,
      cBeteiligteId: party.id,
    });
    const hub = harness.hub();
    await harness.requester().requestBankverbindungSync(account.id, 'manual');
    const runs = await hub.run(() =>
      settledRuns(hub.client.workflow.getHandle<BankverbindungenSyncWorkflow>(bankverbindungenSyncWorkflowId(account.id))),
    );
    assert.equal(runs.at(-1)?.decision, 'create');
    assert.equal(harness.advoware.listBankverbindungen(harness.entity(party.id).betnr as number).length, 1, 'the account reached Advoware');
    workflowIds = [beteiligteSyncWorkflowId(party.id), bankverbindungenSyncWorkflowId(account.id)];
  });
  after(async () => {
    await gateway?.close();
    redis?.disconnect();
  });

  it('the temporal CLI without the codec finds no name, phone number or IBAN in the stored histories', async () => {
    for (const id of workflowIds) {
      const text = await show(id);
      assert.match(text, /binary\/encrypted/, `${id}: the payloads are marked encrypted`);
      for (const secret of SECRETS) assert.ok(!text.includes(secret), `${id}: "${secret}" is readable without the codec`);
    }
  });

  it('a Client without the codec reads the same ciphertext (fetchHistory)', async () => {
    const connection = await Connection.connect({ address: temporalAddress() });
    try {
      const plain = new Client({ connection });
      for (const id of workflowIds) {
        const text = exposedText(await plain.workflow.getHandle(id).fetchHistory());
        assert.match(text, /binary\/encrypted/);
        for (const secret of SECRETS) assert.ok(!text.includes(secret), `${id}: "${secret}" is readable without the codec`);
      }
    } finally {
      await connection.close();
    }
  });

  it("the temporal CLI with the gateway's codec endpoint and the API key shows them", async () => {
    const codec = cliCodecFlags(gateway.url, TEST_API_KEY);
    const party = await show(workflowIds[0]!, codec);
    for (const secret of [LAST_NAME, FIRST_NAME, PHONE]) assert.ok(party.includes(secret), `"${secret}" decoded`);
    const account = await show(workflowIds[1]!, codec);
    assert.ok(account.includes(IBAN), 'the IBAN decoded');
    assert.doesNotMatch(party + account, /binary\/encrypted/, 'nothing left encrypted');
  });

  it('the temporal CLI with the codec endpoint but a wrong key fails (it retries the 401 until its deadline) and shows nothing', async () => {
    await assert.rejects(show(workflowIds[0]!, cliCodecFlags(gateway.url, 'wrong-key')), (err: Error & { stdout?: string; stderr?: string }) => {
      assert.match(err.message, /Command failed/);
      assert.ok(!`${err.stdout ?? ''}${err.stderr ?? ''}`.includes(LAST_NAME));
      return true;
    });
  });
});
