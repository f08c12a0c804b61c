import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { signTokenRequest } from '../../clients/advoware/signature';
import { requestAdvowareToken } from '../../clients/advoware/token-source';
import { advowareEnv, parseEnv, type AdvowareConfig } from '../../config/env';
import { AdvowareSimulator, type AdvowareSimulatorOptions } from '../../simulators/advoware/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS, advowareEnvFor } from '../../simulators/sandbox-credentials';

const CREDS = SANDBOX_ADVOWARE_CREDENTIALS;
const ADVONET = '/api/v1/advonet';
const BETEILIGTE = `${ADVONET}/Beteiligte`;
const GET_PARTY_ROUTE = `GET ${BETEILIGTE}/:betNr`;

type Row = Record<string, unknown>;

interface Answer {
  status: number;
  body: unknown;
}

/** A started simulator with the hub's config pointing at it and one way to call it over HTTP. */
interface Harness {
  sim: AdvowareSimulator;
  config: AdvowareConfig;
  token: string;
  api(method: string, path: string, body?: unknown, token?: string | null): Promise<Answer>;
}

async function startHarness(options: Partial<AdvowareSimulatorOptions> = {}): Promise<Harness> {
  const sim = new AdvowareSimulator({ credentials: CREDS, ...options });
  const url = await sim.start();
  const config = parseEnv(advowareEnv, { ...advowareEnvFor(url), ADVOWARE_TIMEOUT_MS: '5000' });
  const harness: Harness = {
    sim,
    config,
    token: '',
    async api(method, path, body, token = harness.token) {
      const headers: Record<string, string> = {};
      if (token !== null) headers.Authorization = `Bearer ${token}`;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
    },
  };
  return harness;
}

/** A token request body signed like the hub signs it; `overrides` replace fields after signing. */
function signedBody(overrides: Partial<Record<string, string>> = {}, apiKeyBase64 = CREDS.apiKeyBase64): Record<string, string> {
  const nonce = overrides.Nonce ?? randomUUID();
  const timestamp = overrides.RequestTimeStamp ?? new Date().toISOString();
  return {
    AppID: CREDS.appId,
    Kanzlei: CREDS.kanzlei,
    Database: CREDS.database,
    User: CREDS.user,
    Role: CREDS.role,
    Product: CREDS.productId,
    Password: CREDS.password,
    Nonce: nonce,
    RequestTimeStamp: timestamp,
    HMAC512Signature: signTokenRequest({ productId: CREDS.productId, appId: CREDS.appId, nonce, timestamp, apiKeyBase64 }),
    ...overrides,
  };
}

const row = (v: unknown): Row => v as Row;
const rows = (v: unknown): Row[] => v as Row[];
/** The entity of a single-entity answer, whichever shape it came in. */
const single = (v: unknown): Row => (Array.isArray(v) ? row(v[0]) : row(v));

describe('Advoware simulator: token endpoint', () => {
  let h: Harness;
  const postToken = (body: unknown) => h.api('POST', '/api/v1/Token', body, null);

  before(async () => {
    h = await startHarness();
  });
  after(() => h.sim.stop());
  beforeEach(() => h.sim.reset());

  it("issues a token to the hub's own signed request (empty Role included) with a 55-minute lifetime", async () => {
    const token = await requestAdvowareToken(h.config);
    assert.ok(token.length >= 20);
    assert.equal(h.sim.tokensIssued, 1);
    assert.equal((await h.api('GET', `${ADVONET}/Mitarbeiter`, undefined, token)).status, 200);

    const raw = await postToken(signedBody());
    assert.equal(raw.status, 200);
    assert.equal(row(raw.body).token_type, 'Bearer');
    assert.equal(row(raw.body).expires_in, 55 * 60);
    assert.equal(h.sim.tokensIssued, 2);
  });

  it('rejects a bad signature, a signature made with the raw (not decoded) key, and wrong credentials with 401', async () => {
    const rawKey = Buffer.from(CREDS.apiKeyBase64).toString('base64');
    const rejected = [
      signedBody({ HMAC512Signature: Buffer.alloc(64, 1).toString('base64') }),
      signedBody({}, rawKey),
      signedBody({}, Buffer.from('another-key').toString('base64')),
      signedBody({ Password: 'wrong-password' }),
      signedBody({ User: 'someone-else' }),
      signedBody({ Kanzlei: 'OTHER' }),
    ];
    for (const body of rejected) {
      const res = await postToken(body);
      assert.equal(res.status, 401, JSON.stringify(res.body));
      assert.equal(typeof row(res.body).Message, 'string');
      assert.doesNotMatch(JSON.stringify(res.body), /wrong-password|access_token/);
    }
    assert.equal(h.sim.tokensIssued, 0);
  });

  it('rejects a replayed nonce', async () => {
    const body = signedBody();
    assert.equal((await postToken(body)).status, 200);
    const replay = await postToken(body);
    assert.equal(replay.status, 401);
    assert.match(String(row(replay.body).Message), /Nonce/);
    assert.equal(h.sim.tokensIssued, 1);
  });

  it('a forged request does not burn the nonce of a legitimate one', async () => {
    const nonce = randomUUID();
    assert.equal((await postToken(signedBody({ Nonce: nonce, HMAC512Signature: 'forged' }))).status, 401);
    assert.equal((await postToken(signedBody({ Nonce: nonce }))).status, 200);
  });

  it('rejects a stale or future timestamp even when correctly signed, and an unparseable one', async () => {
    for (const offsetMs of [-10 * 60_000, 10 * 60_000]) {
      const res = await postToken(signedBody({ RequestTimeStamp: new Date(Date.now() + offsetMs).toISOString() }));
      assert.equal(res.status, 401, `offset ${offsetMs}`);
      assert.match(String(row(res.body).Message), /RequestTimeStamp/);
    }
    assert.equal((await postToken(signedBody({ RequestTimeStamp: 'yesterday' }))).status, 401);
    // A little clock skew is tolerated.
    assert.equal((await postToken(signedBody({ RequestTimeStamp: new Date(Date.now() - 60_000).toISOString() }))).status, 200);
  });

  it("the hub's requestAdvowareToken with a skewed clock fails non-retryably", async () => {
    await assert.rejects(
      requestAdvowareToken(h.config, () => new Date(Date.now() - 3_600_000)),
      (err: unknown) => {
        assert.ok(err instanceof ApplicationFailure);
        assert.equal(err.type, 'AdvowareAuthenticationFailed');
        assert.equal(err.nonRetryable, true);
        return true;
      },
    );
  });

  it('answers 400 for missing fields and a missing body', async () => {
    const { Password: _password, ...noPassword } = signedBody();
    const missing = await postToken(noPassword);
    assert.equal(missing.status, 400);
    assert.match(String(row(missing.body).Message), /Password/);
    assert.equal((await postToken(undefined)).status, 400);
  });

  it('expireTokens() and POST /__admin/tokens/expire make every issued token answer 401', async () => {
    const first = await requestAdvowareToken(h.config);
    const second = await requestAdvowareToken(h.config);
    h.sim.expireTokens();
    for (const token of [first, second]) {
      assert.equal((await h.api('GET', `${BETEILIGTE}/100001`, undefined, token)).status, 401);
    }
    const third = await requestAdvowareToken(h.config);
    assert.equal((await h.api('GET', `${BETEILIGTE}/100001`, undefined, third)).status, 200);
    assert.equal((await h.api('POST', '/__admin/tokens/expire', undefined, null)).status, 204);
    assert.equal((await h.api('GET', `${BETEILIGTE}/100001`, undefined, third)).status, 401);
    assert.deepEqual((await h.api('GET', '/__admin/tokens', undefined, null)).body, { tokensIssued: 3 });
  });
});

describe('Advoware simulator: token lifetime', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ tokenTtlSeconds: 1 });
  });
  after(() => h.sim.stop());

  it('a token stops working when its TTL has run out', async () => {
    const token = await requestAdvowareToken(h.config);
    assert.equal((await h.api('GET', `${ADVONET}/Mitarbeiter`, undefined, token)).status, 200);
    await sleep(1_100);
    const expired = await h.api('GET', `${ADVONET}/Mitarbeiter`, undefined, token);
    assert.equal(expired.status, 401);
    assert.equal(typeof row(expired.body).Message, 'string');
  });
});

describe('Advoware simulator: API', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
  });
  after(() => h.sim.stop());
  beforeEach(async () => {
    h.sim.reset();
    h.token = await requestAdvowareToken(h.config);
    h.sim.calls.reset();
  });

  describe('Bearer auth', () => {
    const routes: [string, string][] = [
      ['GET', `${BETEILIGTE}/100001`],
      ['GET', BETEILIGTE],
      ['POST', BETEILIGTE],
      ['PUT', `${BETEILIGTE}/100001`],
      ['DELETE', `${BETEILIGTE}/100001`],
      ['GET', `${BETEILIGTE}/100001/Kommunikationen`],
      ['POST', `${BETEILIGTE}/100001/Kommunikationen`],
      ['PUT', `${BETEILIGTE}/100001/Kommunikationen/1`],
      ['DELETE', `${BETEILIGTE}/100001/Kommunikationen/1`],
      ['GET', `${BETEILIGTE}/100001/Adressen`],
      ['POST', `${BETEILIGTE}/100001/Adressen`],
      ['PUT', `${BETEILIGTE}/100001/Adressen/1`],
      ['DELETE', `${BETEILIGTE}/100001/Adressen/1`],
      ['GET', `${BETEILIGTE}/100001/Bankverbindungen`],
      ['POST', `${BETEILIGTE}/100001/Bankverbindungen`],
      ['PUT', `${BETEILIGTE}/100001/Bankverbindungen/1`],
      ['DELETE', `${BETEILIGTE}/100001/Bankverbindungen/1`],
      ['GET', `${ADVONET}/Mitarbeiter`],
      ['GET', `${ADVONET}/Termine`],
      ['POST', `${ADVONET}/Termine`],
      ['PUT', `${ADVONET}/Termine/5001`],
      ['DELETE', `${ADVONET}/Termine/5001`],
      ['GET', `${ADVONET}/NoSuchResource`],
    ];

    it('every API route answers 401 without a token, with an unknown token and with a non-Bearer scheme', async () => {
      for (const [method, path] of routes) {
        const body = method === 'POST' || method === 'PUT' ? { name: 'x' } : undefined;
        assert.equal((await h.api(method, path, body, null)).status, 401, `${method} ${path} without token`);
        assert.equal((await h.api(method, path, body, 'not-a-token')).status, 401, `${method} ${path} bad token`);
      }
      const basic = await fetch(`${h.sim.url}${ADVONET}/Mitarbeiter`, { headers: { Authorization: `Basic ${h.token}` } });
      assert.equal(basic.status, 401);
      // Nothing was changed by the rejected writes.
      assert.equal(h.sim.listBeteiligte().length, 5);
      assert.equal(h.sim.listTermine().length, 12);
    });
  });

  describe('Beteiligte', () => {
    it('GET answers a one-element array with the embedded kommunikation, kommKz masked to 0', async () => {
      const res = await h.api('GET', `${BETEILIGTE}/100001`);
      assert.equal(res.status, 200);
      assert.ok(Array.isArray(res.body));
      assert.equal(res.body.length, 1);
      const beteiligte = single(res.body);
      assert.equal(beteiligte.betNr, 100001);
      assert.equal(beteiligte.name, 'Mustermann');
      assert.equal(beteiligte.geburtsdatum, '1980-04-12T00:00:00');
      assert.match(String(beteiligte.rowId), /^[A-Za-z0-9+/=]{40}$/);
      const komm = rows(beteiligte.kommunikation);
      assert.equal(komm.length, 3);
      assert.ok(komm.every((k) => k.kommKz === 0));
      assert.deepEqual(
        h.sim.getBeteiligte(100001).kommunikation.map((k) => k.kommKz),
        [6, 3, 8],
        'the true codes are kept',
      );
    });

    it('GET answers 404 for an unknown Beteiligte and for one deleted inside Advoware', async () => {
      assert.equal((await h.api('GET', `${BETEILIGTE}/999999`)).status, 404);
      assert.equal((await h.api('GET', `${BETEILIGTE}/100002`)).status, 200);
      h.sim.deleteBeteiligte(100002);
      const gone = await h.api('GET', `${BETEILIGTE}/100002`);
      assert.equal(gone.status, 404);
      assert.equal(typeof row(gone.body).Message, 'string');
    });

    it('GET answers 400 for a betNr that is not a number', async () => {
      assert.equal((await h.api('GET', `${BETEILIGTE}/abc`)).status, 400);
    });

    it('POST creates and answers betNr and rowId; the Beteiligte can be read back', async () => {
      const res = await h.api('POST', BETEILIGTE, { name: 'Neu GmbH', rechtsform: 'GmbH', strasse: 'Weg 1' });
      assert.equal(res.status, 201);
      const created = single(res.body);
      assert.equal(typeof created.betNr, 'number');
      assert.equal(typeof created.rowId, 'string');
      assert.ok((created.betNr as number) > 100005, 'continues after the seed');
      const read = single((await h.api('GET', `${BETEILIGTE}/${String(created.betNr)}`)).body);
      assert.equal(read.name, 'Neu GmbH');
      assert.equal(read.rowId, created.rowId);
      assert.equal((await h.api('POST', BETEILIGTE, { vorname: 'ohne Name' })).status, 400);
    });

    it('PUT changes only the writable fields, silently ignores the rest and answers the entity with a new rowId', async () => {
      const before = h.sim.getBeteiligte(100001);
      const res = await h.api('PUT', `${BETEILIGTE}/100001`, {
        name: 'Mustermann-Schulz',
        vorname: 'Maximilian',
        anrede: 'Herr',
        titel: 'Prof.',
        geburtsdatum: '1980-04-13T00:00:00',
        briefAnrede: 'Sehr geehrter Herr Prof. Mustermann-Schulz',
        // Not writable through the API: ignored without an error.
        strasse: 'Neue Straße 9',
        plz: '99999',
        ort: 'Nirgendwo',
        betNr: 4711,
        rowId: 'forged',
        geaendertAm: '2030-01-01T00:00:00',
        kommunikation: [],
      });
      assert.equal(res.status, 200);
      const answered = single(res.body);
      assert.equal(answered.betNr, 100001);
      assert.equal(answered.name, 'Mustermann-Schulz');
      assert.equal(answered.titel, 'Prof.');
      assert.equal(answered.geburtsdatum, '1980-04-13T00:00:00');
      assert.notEqual(answered.rowId, before.rowId);
      assert.notEqual(answered.rowId, 'forged');
      assert.equal(answered.strasse, 'Hauptstraße 1');
      assert.equal(answered.plz, '10115');
      assert.equal(answered.ort, 'Berlin');
      assert.equal(answered.geaendertAm, before.geaendertAm, 'Advoware keeps no reliable modification time');
      assert.equal(rows(answered.kommunikation).length, 3);

      const read = single((await h.api('GET', `${BETEILIGTE}/100001`)).body);
      assert.equal(read.rowId, answered.rowId, 'no GET needed after PUT: the answer carries the current rowId');
      assert.equal(read.name, 'Mustermann-Schulz');
    });

    it('PUT is a full replace: a writable field missing from the body is cleared', async () => {
      const res = await h.api('PUT', `${BETEILIGTE}/100002`, { name: 'Musterfrau' });
      assert.equal(res.status, 200);
      const beteiligte = h.sim.getBeteiligte(100002);
      assert.equal(beteiligte.vorname, null);
      assert.equal(beteiligte.titel, null);
      assert.equal(beteiligte.ort, 'Köln', 'non-writable fields stay');
    });

    it('PUT answers 404 for an unknown Beteiligte and 400 without a name', async () => {
      assert.equal((await h.api('PUT', `${BETEILIGTE}/999999`, { name: 'x' })).status, 404);
      assert.equal((await h.api('PUT', `${BETEILIGTE}/100001`, { vorname: 'x' })).status, 400);
      assert.equal((await h.api('PUT', `${BETEILIGTE}/100001`, { name: 'x', geburtsdatum: '05.01.2001' })).status, 400);
    });

    it('DELETE answers 403 and the Beteiligte stays', async () => {
      assert.equal((await h.api('DELETE', `${BETEILIGTE}/100001`)).status, 403);
      assert.equal(h.sim.getBeteiligte(100001).name, 'Mustermann');
    });
  });

  describe('Kommunikationen', () => {
    const path = `${BETEILIGTE}/100004/Kommunikationen`;

    it('GET masks kommKz to 0 for every entry', async () => {
      const res = await h.api('GET', path);
      assert.equal(res.status, 200);
      const list = rows(res.body);
      assert.deepEqual(
        list.map((k) => [k.kommKz, k.tlf]),
        [
          [0, '0160 98765432'],
          [0, 'juergen.weber@example.org'],
        ],
      );
      assert.ok(list.every((k) => typeof k.id === 'number' && typeof k.rowId === 'string' && typeof k.online === 'boolean'));
    });

    it('POST takes tlf, bemerkung, kommKz and online; the Beteiligte keeps its rowId', async () => {
      const beteiligteRowId = h.sim.getBeteiligte(100004).rowId;
      const res = await h.api('POST', path, { tlf: '+49 40 111222', bemerkung: 'EspoCRM-ID: abc', kommKz: 1, online: true });
      assert.equal(res.status, 201);
      const created = row(res.body);
      const stored = h.sim.listKommunikationen(100004).find((k) => k.id === created.id);
      assert.deepEqual(stored && { kommKz: stored.kommKz, tlf: stored.tlf, bemerkung: stored.bemerkung, online: stored.online }, {
        kommKz: 1,
        tlf: '+49 40 111222',
        bemerkung: 'EspoCRM-ID: abc',
        online: true,
      });
      assert.equal(h.sim.getBeteiligte(100004).rowId, beteiligteRowId);
      assert.equal((await h.api('POST', path, { tlf: 'x', kommKz: 13 })).status, 400);
      assert.equal((await h.api('POST', path, { kommKz: 1 })).status, 400);
    });

    it('PUT changes tlf, bemerkung and online but ignores kommKz; only the entry gets a new rowId', async () => {
      const [entry] = h.sim.listKommunikationen(100004);
      assert.ok(entry);
      const beteiligteRowId = h.sim.getBeteiligte(100004).rowId;
      const res = await h.api('PUT', `${path}/${entry.id}`, { tlf: '0170 1111111', bemerkung: 'neu', online: false, kommKz: 6 });
      assert.equal(res.status, 200);
      assert.notEqual(row(res.body).rowId, entry.rowId);
      const stored = h.sim.listKommunikationen(100004).find((k) => k.id === entry.id);
      assert.equal(stored?.kommKz, 3, 'kommKz is read-only on PUT');
      assert.equal(stored?.tlf, '0170 1111111');
      assert.equal(stored?.bemerkung, 'neu');
      assert.equal(stored?.online, false);
      assert.equal(h.sim.getBeteiligte(100004).rowId, beteiligteRowId);
      assert.equal((await h.api('PUT', `${path}/99999`, { tlf: 'x' })).status, 404);
    });

    it('DELETE answers 403 and the entry stays', async () => {
      const [entry] = h.sim.listKommunikationen(100004);
      assert.ok(entry);
      assert.equal((await h.api('DELETE', `${path}/${entry.id}`)).status, 403);
      assert.equal(h.sim.listKommunikationen(100004).length, 2);
    });
  });

  describe('Adressen', () => {
    const path = `${BETEILIGTE}/100001/Adressen`;
    const allFields = {
      strasse: 'Neuer Weg 5',
      plz: '01067',
      ort: 'Dresden',
      land: 'D',
      postfach: '99 88',
      postfachPlz: '01001',
      zusatz: 'c/o Kanzlei',
      anschrift: 'Max Mustermann\nNeuer Weg 5\n01067 Dresden',
      standardAnschrift: false,
      gueltigVon: '2025-01-01T00:00:00',
      bemerkung: 'EspoCRM-ID: addr-1',
    };

    it('POST stores all 11 fields and inserts at reihenfolgeIndex 1, shifting the others down', async () => {
      const before = rows((await h.api('GET', path)).body);
      assert.deepEqual(
        before.map((a) => [a.reihenfolgeIndex, a.ort]),
        [
          [1, 'Berlin'],
          [2, 'Rostock'],
        ],
      );
      const res = await h.api('POST', path, allFields);
      assert.equal(res.status, 201);
      assert.equal(row(res.body).reihenfolgeIndex, 1);
      const after = rows((await h.api('GET', path)).body);
      assert.deepEqual(
        after.map((a) => [a.reihenfolgeIndex, a.ort]),
        [
          [1, 'Dresden'],
          [2, 'Berlin'],
          [3, 'Rostock'],
        ],
      );
      const created = after[0];
      assert.ok(created);
      for (const [key, value] of Object.entries(allFields)) assert.deepEqual(created[key], value, key);
      assert.equal(created.gueltigBis, null);
    });

    it('PUT by reihenfolgeIndex writes only strasse, plz, ort and zusatz, with a new rowId', async () => {
      await h.api('POST', path, allFields);
      const [before] = h.sim.listAdressen(100001);
      assert.ok(before);
      const res = await h.api('PUT', `${path}/1`, {
        strasse: 'Altmarkt 1',
        plz: '01069',
        ort: 'Dresden-Altstadt',
        zusatz: null,
        land: 'A',
        postfach: null,
        standardAnschrift: true,
        bemerkung: 'überschrieben',
        gueltigBis: '2026-01-01T00:00:00',
      });
      assert.equal(res.status, 200);
      const [after] = h.sim.listAdressen(100001);
      assert.ok(after);
      assert.deepEqual(
        { strasse: after.strasse, plz: after.plz, ort: after.ort, zusatz: after.zusatz },
        { strasse: 'Altmarkt 1', plz: '01069', ort: 'Dresden-Altstadt', zusatz: null },
      );
      assert.deepEqual(
        {
          land: after.land,
          postfach: after.postfach,
          standardAnschrift: after.standardAnschrift,
          bemerkung: after.bemerkung,
          gueltigBis: after.gueltigBis,
        },
        { land: 'D', postfach: '99 88', standardAnschrift: false, bemerkung: 'EspoCRM-ID: addr-1', gueltigBis: null },
      );
      assert.notEqual(after.rowId, before.rowId);
      assert.equal(row(res.body).rowId, after.rowId);
      assert.equal((await h.api('PUT', `${path}/9`, { ort: 'x' })).status, 404);
    });

    it('DELETE answers 403 and the address stays', async () => {
      assert.equal((await h.api('DELETE', `${path}/1`)).status, 403);
      assert.equal(h.sim.listAdressen(100001).length, 2);
    });
  });

  describe('Bankverbindungen', () => {
    const path = `${BETEILIGTE}/100002/Bankverbindungen`;

    it('POST creates, PUT updates with a new rowId, DELETE answers 403', async () => {
      assert.deepEqual((await h.api('GET', path)).body, []);
      const created = await h.api('POST', path, {
        iban: 'DE44500105175407324931',
        bic: 'INGDDEFFXXX',
        bank: 'ING',
        kontoinhaber: 'Erika Musterfrau',
        bemerkung: 'EspoCRM-ID: bank-1',
      });
      assert.equal(created.status, 201);
      const entry = row(created.body);
      assert.equal(typeof entry.id, 'number');
      const updated = await h.api('PUT', `${path}/${String(entry.id)}`, { bank: 'ING-DiBa' });
      assert.equal(updated.status, 200);
      assert.equal(row(updated.body).bank, 'ING-DiBa');
      assert.equal(row(updated.body).iban, 'DE44500105175407324931');
      assert.notEqual(row(updated.body).rowId, entry.rowId);
      assert.equal((await h.api('DELETE', `${path}/${String(entry.id)}`)).status, 403);
      assert.equal(h.sim.listBankverbindungen(100002).length, 1);
      assert.equal((await h.api('PUT', `${path}/9999`, { bank: 'x' })).status, 404);
    });
  });

  describe('Mitarbeiter and Termine', () => {
    it('Mitarbeiter lists active employees and an inactive one', async () => {
      const list = rows((await h.api('GET', `${ADVONET}/Mitarbeiter`)).body);
      assert.ok(list.filter((m) => m.aktiv === true).length >= 2);
      assert.ok(list.some((m) => m.aktiv === false));
      assert.ok(list.every((m) => typeof m.kuerzel === 'string' && typeof m.name === 'string' && 'email' in m && 'vorname' in m));
    });

    const termin = {
      kuerzel: 'DEF',
      betreff: 'Termin 2031',
      ort: 'Kanzlei',
      notiz: 'n',
      datum: '2031-03-10T00:00:00',
      uhrzeitVon: '10:00:00',
      datumBis: '2031-03-10T00:00:00',
      uhrzeitBis: '11:30:00',
      dauertermin: false,
      turnus: 0,
      turnusArt: 0,
      turnusBis: null,
    };

    it('POST creates, GET filters by kuerzel and from/to, PUT gives a new rowId, DELETE removes', async () => {
      const created = await h.api('POST', `${ADVONET}/Termine`, termin);
      assert.equal(created.status, 201);
      const frNr = row(created.body).frNr;
      assert.equal(typeof frNr, 'number');

      const query = (q: string) => h.api('GET', `${ADVONET}/Termine?${q}`).then((r) => rows(r.body).map((t) => t.frNr));
      assert.deepEqual(await query('kuerzel=DEF&from=2031-03-10&to=2031-03-10'), [frNr]);
      assert.deepEqual(await query('kuerzel=ABC&from=2031-03-10&to=2031-03-10'), []);
      assert.deepEqual(await query('kuerzel=DEF&from=2031-03-11&to=2031-03-31'), []);
      assert.deepEqual(await query('kuerzel=DEF&from=2031-03-01&to=2031-03-09'), []);

      const put = await h.api('PUT', `${ADVONET}/Termine/${String(frNr)}`, {
        ...termin,
        betreff: 'verschoben',
        datum: '2031-03-11T00:00:00',
        datumBis: '2031-03-11T00:00:00',
      });
      assert.equal(put.status, 200);
      assert.equal(row(put.body).frNr, frNr);
      assert.notEqual(row(put.body).rowId, row(created.body).rowId);
      assert.deepEqual(await query('kuerzel=DEF&from=2031-03-11&to=2031-03-11'), [frNr]);

      assert.equal((await h.api('DELETE', `${ADVONET}/Termine/${String(frNr)}`)).status, 204);
      assert.deepEqual(await query('kuerzel=DEF&from=2031-01-01&to=2031-12-31'), []);
      assert.equal((await h.api('PUT', `${ADVONET}/Termine/${String(frNr)}`, termin)).status, 404);
      assert.equal((await h.api('DELETE', `${ADVONET}/Termine/${String(frNr)}`)).status, 404);
    });

    it('a weekly series is found in any window between its start and turnusBis', async () => {
      const series = { ...termin, turnus: 1, turnusArt: 2, turnusBis: '2031-06-30T00:00:00' };
      const frNr = row((await h.api('POST', `${ADVONET}/Termine`, series)).body).frNr;
      const found = rows((await h.api('GET', `${ADVONET}/Termine?kuerzel=DEF&from=2031-05-01&to=2031-05-07`)).body);
      assert.deepEqual(
        found.map((t) => t.frNr),
        [frNr],
      );
    });

    it('rejects malformed dates, an unknown employee and a bad query with 400', async () => {
      assert.equal((await h.api('POST', `${ADVONET}/Termine`, { ...termin, datum: '2031-03-10' })).status, 400);
      assert.equal((await h.api('POST', `${ADVONET}/Termine`, { ...termin, uhrzeitVon: '10:00' })).status, 400);
      assert.equal((await h.api('POST', `${ADVONET}/Termine`, { ...termin, kuerzel: 'XYZ' })).status, 400);
      assert.equal((await h.api('GET', `${ADVONET}/Termine?kuerzel=DEF&from=10.03.2031`)).status, 400);
      assert.equal((await h.api('GET', `${ADVONET}/Termine?from=2031-03-10&to=2031-03-01`)).status, 400);
    });
  });

  describe('demo seed', () => {
    it('has persons and a company with phone numbers, e-mails and addresses, and appointments of active employees', () => {
      const beteiligteList = h.sim.listBeteiligte();
      assert.ok(beteiligteList.filter((p) => p.vorname).length >= 2, 'persons');
      assert.ok(
        beteiligteList.some((p) => p.rechtsform === 'GmbH'),
        'a company',
      );
      const all = beteiligteList.flatMap((p) => p.kommunikation);
      assert.ok(
        all.some((k) => k.tlf.includes('@')),
        'e-mails',
      );
      assert.ok(
        all.some((k) => [1, 3, 6].includes(k.kommKz)),
        'phone numbers',
      );
      assert.ok(
        beteiligteList.every((p) => h.sim.listAdressen(p.betNr).length >= 1),
        'addresses',
      );
      const active = h.sim
        .listMitarbeiter()
        .filter((m) => m.aktiv)
        .map((m) => m.kuerzel);
      for (const kuerzel of active) assert.ok(h.sim.listTermine(kuerzel).length > 0, `Termine of ${kuerzel}`);
    });
  });

  describe('fault injection and call counters', () => {
    it('counts calls per route pattern, including rejected ones; reset() clears them', async () => {
      await h.api('GET', `${BETEILIGTE}/100001`);
      await h.api('GET', `${BETEILIGTE}/100002`);
      await h.api('GET', `${BETEILIGTE}/999999`);
      await h.api('GET', `${BETEILIGTE}/100001`, undefined, null);
      assert.equal(h.sim.calls.count(GET_PARTY_ROUTE), 4);
      assert.deepEqual(
        h.sim.calls.filter(GET_PARTY_ROUTE).map((c) => c.status),
        [200, 200, 404, 401],
      );
      assert.equal(h.sim.calls.count(`GET ${ADVONET}/Mitarbeiter`), 0);
      const admin = row((await h.api('GET', '/__admin/calls', undefined, null)).body);
      assert.equal(row(admin.byRoute)[GET_PARTY_ROUTE], 4);
      h.sim.reset();
      assert.equal(h.sim.calls.count(), 0);
      assert.equal(h.sim.tokensIssued, 0);
    });

    it('a status fault answers instead of the handler for `times` calls, then the route works again', async () => {
      h.sim.faults.add({ method: 'GET', path: 'Beteiligte/\\d+$', status: 503, times: 2, body: { Message: 'Wartung' } });
      const first = await h.api('GET', `${BETEILIGTE}/100001`);
      assert.equal(first.status, 503);
      assert.deepEqual(first.body, { Message: 'Wartung' });
      assert.equal((await h.api('GET', `${BETEILIGTE}/100001`)).status, 503);
      assert.equal((await h.api('GET', `${BETEILIGTE}/100001`)).status, 200);
      assert.equal((await h.api('GET', `${ADVONET}/Mitarbeiter`)).status, 200, 'other paths are not affected');
      assert.deepEqual(
        h.sim.calls.filter(/Beteiligte/).map((c) => [c.status, c.faulted]),
        [
          [503, true],
          [503, true],
          [200, false],
        ],
      );
    });

    it('a latency fault delays the real answer', async () => {
      h.sim.faults.add({ path: 'Mitarbeiter', latencyMs: 300 });
      const started = Date.now();
      const res = await h.api('GET', `${ADVONET}/Mitarbeiter`);
      assert.equal(res.status, 200);
      assert.ok(Date.now() - started >= 290, `took ${Date.now() - started} ms`);
      assert.ok(rows(res.body).length > 0);
    });

    it('failureRate 0 never fires, failureRate 1 always does', async () => {
      const never = h.sim.faults.add({ path: 'Mitarbeiter', status: 500, failureRate: 0 });
      for (let i = 0; i < 5; i++) assert.equal((await h.api('GET', `${ADVONET}/Mitarbeiter`)).status, 200);
      h.sim.faults.remove(never.id);
      h.sim.faults.add({ path: 'Mitarbeiter', status: 500, failureRate: 1 });
      for (let i = 0; i < 5; i++) assert.equal((await h.api('GET', `${ADVONET}/Mitarbeiter`)).status, 500);
    });

    it('faults can be managed over /__admin/faults, and the token endpoint can be faulted too', async () => {
      const added = await h.api('POST', '/__admin/faults', { path: '^/api/v1/Token$', status: 429, times: 1 }, null);
      assert.equal(added.status, 201);
      assert.equal(rows((await h.api('GET', '/__admin/faults', undefined, null)).body).length, 1);
      assert.equal((await h.api('POST', '/api/v1/Token', signedBody(), null)).status, 429);
      assert.equal((await h.api('POST', '/api/v1/Token', signedBody(), null)).status, 200);
      assert.equal((await h.api('POST', '/__admin/faults', { status: 'oops' }, null)).status, 400);
      await h.api('POST', '/__admin/faults', { status: 500 }, null);
      assert.equal((await h.api('GET', `${ADVONET}/Mitarbeiter`)).status, 500);
      assert.equal((await h.api('DELETE', '/__admin/faults', undefined, null)).status, 204);
      assert.equal((await h.api('GET', `${ADVONET}/Mitarbeiter`)).status, 200);
    });
  });
});

describe('Advoware simulator: object-shaped single GETs', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ singleGetShape: 'object' });
    h.token = await requestAdvowareToken(h.config);
  });
  after(() => h.sim.stop());

  it('GET answers the Beteiligte as a plain object when configured so', async () => {
    const res = await h.api('GET', `${BETEILIGTE}/100003`);
    assert.equal(res.status, 200);
    assert.ok(!Array.isArray(res.body));
    assert.equal(row(res.body).name, 'Schmidt Immobilien GmbH');
    assert.ok(rows(row(res.body).kommunikation).every((k) => k.kommKz === 0));
  });
});
