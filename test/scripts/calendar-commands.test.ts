import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createGoogleCalendarApi, HUB_CALENDAR_MARKER, type GoogleCalendarApi } from '../../clients/google/calendar-api';
import { CalendarStateStore } from '../../clients/redis/calendar-state';
import type { CalendarSyncState } from '../../domain/calendar/run-state';
import { calendarToolConfigSchema, parseEnv } from '../../config/env';
import { addDays, berlinToday } from '../../domain/calendar/berlin';
import { terminToEvent } from '../../domain/calendar/to-event';
import type { Termin } from '../../domain/calendar/types';
import { AdvowareSimulator, type Mitarbeiter } from '../../simulators/advoware/simulator';
import { GoogleCalendarSimulator } from '../../simulators/google/simulator';
import { advowareEnvFor, googleEnvFor, SANDBOX_ADVOWARE_CREDENTIALS, SANDBOX_GOOGLE } from '../../simulators/sandbox-credentials';
import { redisUrl } from '../support/services';

const ROOT = resolve(__dirname, '../..');
/** tsx by file URL: the commands run in an empty directory, so no `.env` or `var/` of the checkout leaks in. */
const TSX = pathToFileURL(require.resolve('tsx')).href;

/** Redis database of these tests: the commands use the hub's default keys (token, rate limit), kept apart here. */
const REDIS_DB = 9;

function mitarbeiter(kuerzel: string, aktiv = true): Mitarbeiter {
  return { kuerzel, name: `Name ${kuerzel}`, vorname: null, email: null, aktiv };
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('calendar:audit and calendar:reset (child processes against the simulators)', () => {
  const advoware = new AdvowareSimulator({
    credentials: SANDBOX_ADVOWARE_CREDENTIALS,
    seed: { beteiligte: [], termine: [], mitarbeiter: [mitarbeiter('ABC'), mitarbeiter('DEF'), mitarbeiter('OLD', false)] },
  });
  const google = new GoogleCalendarSimulator({ accessToken: SANDBOX_GOOGLE.accessToken });
  const stateDir = mkdtempSync(join(tmpdir(), 'calendar-commands-'));
  let env: Record<string, string> = {};
  let redis: Redis;
  let api: GoogleCalendarApi;

  /** A day inside the sync window, as Advoware writes dates. */
  const day = (offset: number): string => `${addDays(berlinToday(new Date()), offset)}T00:00:00`;

  before(async () => {
    const [advowareUrl, googleUrl] = await Promise.all([advoware.start(), google.start()]);
    const url = new URL(redisUrl());
    url.pathname = `/${REDIS_DB}`;
    env = {
      ...advowareEnvFor(advowareUrl),
      ...googleEnvFor(googleUrl),
      REDIS_URL: url.toString(),
      SANDBOX_STATE_DIR: stateDir,
      PATH: process.env.PATH ?? '',
      ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    };
    redis = new Redis(env.REDIS_URL as string, { maxRetriesPerRequest: 1 });
    await redis.flushdb();
    api = createGoogleCalendarApi(parseEnv(calendarToolConfigSchema, env), redis);
  });
  after(async () => {
    await Promise.all([advoware.stop(), google.stop()]);
    redis.disconnect();
    rmSync(stateDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    advoware.reset();
    google.reset();
  });

  function run(
    script: 'calendar-audit' | 'calendar-reset',
    args: string[],
    options: { env?: Record<string, string>; stdin?: string } = {},
  ): Promise<Result> {
    const cwd = mkdtempSync(join(tmpdir(), 'calendar-cwd-'));
    const child = spawn(process.execPath, ['--import', TSX, join(ROOT, 'scripts', `${script}.ts`), ...args], {
      cwd,
      env: options.env ?? env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(options.stdin ?? '');
    return new Promise((done, fail) => {
      child.once('error', fail);
      child.once('close', (code) => {
        rmSync(cwd, { recursive: true, force: true });
        done({ code, stdout, stderr });
      });
    });
  }

  /** The calendar and events exactly as the hub's sync writes them (private mode). */
  async function hubCalendarWith(kuerzel: string, termine: readonly Termin[]): Promise<string> {
    const calendar = await api.insertCalendar(kuerzel);
    for (const t of termine) await api.insertEvent(calendar.id, `ev${t.frNr}`, terminToEvent(t, { fullContent: false }));
    return calendar.id;
  }

  /** Every request the commands made was a read (Advoware's token request aside). */
  function assertNoWrites(): void {
    const writes = [...advoware.calls.filter(), ...google.calls.filter()].filter((c) => c.method !== 'GET' && !c.route.includes('/Token'));
    assert.deepEqual(writes, []);
  }

  function resetCallLogs(): void {
    advoware.calls.reset();
    google.calls.reset();
  }

  function json(result: Result): {
    kuerzel: string | string[];
    inSync: boolean;
    differences: { kuerzel: string; kind: string; frNr: number | null; eventId: string | null; description: string }[];
  } {
    assert.equal(result.stderr, '', result.stderr);
    return JSON.parse(result.stdout) as ReturnType<typeof json>;
  }

  it('exits 2 on usage errors and without configuration', async () => {
    const { ADVOWARE_API_BASE_URL: _unset, ...withoutAdvoware } = env;
    const [unknown, missing, both, unconfigured] = await Promise.all([
      run('calendar-audit', ['--kuerzel', 'ABC', '--bogus']),
      run('calendar-audit', ['--json']),
      run('calendar-audit', ['--all', '--kuerzel', 'ABC']),
      run('calendar-audit', ['--kuerzel', 'ABC'], { env: withoutAdvoware }),
    ]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--bogus/);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing --kuerzel/);
    assert.equal(both.code, 2);
    assert.equal(unconfigured.code, 2);
    assert.match(unconfigured.stderr, /no configuration: .*start the sandbox with npm start/);
    assert.equal(advoware.calls.count() + google.calls.count(), 0, 'nothing was called');
  });

  it('in sync: exit 0, reading its configuration from sandbox.json, GET requests only', async () => {
    const termine = [
      advoware.addTermin({ kuerzel: 'ABC', datum: day(2), uhrzeitVon: '09:00:00', uhrzeitBis: '10:30:00', betreff: 'Mandantengespräch' }),
      advoware.addTermin({ kuerzel: 'ABC', datum: day(5), dauertermin: true }),
    ];
    await hubCalendarWith('ABC', termine);
    // Like `npm start` in sandbox mode: only the state dir in the environment, the rest in sandbox.json.
    const sandboxDir = mkdtempSync(join(tmpdir(), 'calendar-sandbox-'));
    writeFileSync(join(sandboxDir, 'sandbox.json'), JSON.stringify({ mode: 'sandbox', hubEnv: env }));
    resetCallLogs();
    try {
      const result = await run('calendar-audit', ['--kuerzel', 'ABC', '--json'], { env: { PATH: env.PATH ?? '', SANDBOX_STATE_DIR: sandboxDir } });
      assert.equal(result.code, 0, result.stderr);
      const doc = json(result);
      assert.equal(doc.kuerzel, 'ABC');
      assert.equal(doc.inSync, true);
      assert.deepEqual(doc.differences, []);
    } finally {
      rmSync(sandboxDir, { recursive: true, force: true });
    }
    assertNoWrites();
    assert.ok(advoware.calls.count(/Termine/) >= 1 && google.calls.count(/events/) >= 1, 'both sides were read');
  });

  it('differences: exit 1 with a Termin missing in Google, moved times and an event only in Google; writes nothing', async () => {
    const kept = advoware.addTermin({ kuerzel: 'ABC', datum: day(1), uhrzeitVon: '09:00:00', uhrzeitBis: '10:00:00' });
    const moved = advoware.addTermin({ kuerzel: 'ABC', datum: day(3), uhrzeitVon: '11:00:00', uhrzeitBis: '12:00:00' });
    const calendarId = await hubCalendarWith('ABC', [kept, moved]);
    advoware.editTermin(moved.frNr, { uhrzeitVon: '15:00:00', uhrzeitBis: '16:00:00' });
    const missing = advoware.addTermin({ kuerzel: 'ABC', datum: day(4), uhrzeitVon: '08:00:00', uhrzeitBis: '08:30:00' });
    const own = google.userCreateEvent(calendarId, {
      summary: 'Zahnarzt',
      start: { dateTime: `${day(6).slice(0, 10)}T10:00:00+02:00` },
      end: { dateTime: `${day(6).slice(0, 10)}T11:00:00+02:00` },
    });
    resetCallLogs();

    const result = await run('calendar-audit', ['--kuerzel', 'abc', '--json']);
    assert.equal(result.code, 1, result.stderr);
    const doc = json(result);
    assert.equal(doc.inSync, false);
    const found = doc.differences.map((d) => [d.kind, d.frNr, d.eventId]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    assert.deepEqual(found, [
      ['createEvent', missing.frNr, null],
      ['createTermin', null, own.id],
      ['updateEvent', moved.frNr, `ev${moved.frNr}`],
    ]);
    assert.ok(doc.differences.every((d) => d.kuerzel === 'ABC'));
    assert.ok(doc.differences.some((d) => d.description.includes(`Termin ${missing.frNr}`) && d.description.includes('has no event in Google')));
    assertNoWrites();
  });

  it('--all audits every active Mitarbeiter; a missing calendar counts only when Advoware has Termine', async () => {
    const t = advoware.addTermin({ kuerzel: 'ABC', datum: day(1), uhrzeitVon: '09:00:00', uhrzeitBis: '10:00:00' });
    await hubCalendarWith('ABC', [t]);
    advoware.addTermin({ kuerzel: 'OLD', datum: day(1), uhrzeitVon: '09:00:00' });
    resetCallLogs();
    const inSync = await run('calendar-audit', ['--all']);
    assert.equal(inSync.code, 0, inSync.stderr);
    assert.match(inSync.stdout, /^ABC: calendar AW-ABC .*, 1 event, 1 Termin in Advoware\n {2}in sync$/m);
    assert.match(inSync.stdout, /^DEF: no hub calendar, 0 Termine in Advoware\n {2}in sync$/m, 'neither calendar nor Termine: in sync');
    assert.doesNotMatch(inSync.stdout, /OLD/, 'inactive Mitarbeiter are left out');
    assert.equal(inSync.stdout.trim().split('\n').at(-1), 'Summary: in sync (2 calendars checked).');

    advoware.addTermin({ kuerzel: 'DEF', datum: day(2), uhrzeitVon: '14:00:00' });
    const differs = await run('calendar-audit', ['--all', '--json']);
    assert.equal(differs.code, 1, differs.stderr);
    const doc = json(differs);
    assert.deepEqual(doc.kuerzel, ['ABC', 'DEF']);
    assert.deepEqual(
      doc.differences.map((d) => [d.kuerzel, d.kind]),
      [['DEF', 'calendarMissing']],
    );
    assertNoWrites();
  });

  describe('reset', () => {
    const state = (calendarId: string): CalendarSyncState => ({
      calendarId,
      syncToken: 't',
      index: {},
      fullListedAt: 1,
      syncedAt: 1,
      fullContent: false,
    });

    /** Two hub calendars with state, and two a person made: one even named like the hub's. */
    async function calendars(): Promise<{ abc: string; def: string; lookalike: string; personal: string }> {
      const abc = (await api.insertCalendar('ABC')).id;
      const def = (await api.insertCalendar('DEF')).id;
      const store = new CalendarStateStore(redis);
      await Promise.all([store.save('ABC', state(abc)), store.save('DEF', state(def)), store.save('XYZ', state('elsewhere'))]);
      const lookalike = google.userCreateCalendar({ summary: 'AW-GHI', description: 'my own copy' }).id;
      const personal = google.userCreateCalendar({ summary: 'Urlaub' }).id;
      return { abc, def, lookalike, personal };
    }

    const remaining = (): string[] => google.listCalendars().map((c) => c.id);

    it('--yes deletes only the calendars with the hub marker and clears their state', async () => {
      const { abc, def, lookalike, personal } = await calendars();
      const result = await run('calendar-reset', ['--yes']);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /AW-ABC/);
      assert.doesNotMatch(result.stdout, /AW-GHI|Urlaub/);
      const left = remaining();
      assert.ok(!left.includes(abc) && !left.includes(def));
      assert.ok(left.includes(lookalike) && left.includes(personal));
      const store = new CalendarStateStore(redis);
      assert.equal(await store.load('ABC'), null);
      assert.equal(await store.load('DEF'), null);
      assert.notEqual(await store.load('XYZ'), null, 'state of a calendar not deleted stays');
      assert.ok(google.listCalendars().every((c) => !c.description?.startsWith(HUB_CALENDAR_MARKER)));
    });

    it('deletes nothing unless the answer is yes; --kuerzel limits what is deleted', async () => {
      const { abc, def } = await calendars();
      const [refused, silent] = await Promise.all([run('calendar-reset', [], { stdin: 'no\n' }), run('calendar-reset', [])]);
      for (const result of [refused, silent]) {
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.stdout, /Delete 2 calendars\? Type yes to confirm:/);
        assert.match(result.stdout, /aborted/);
      }
      assert.ok(remaining().includes(abc) && remaining().includes(def));
      assert.notEqual(await new CalendarStateStore(redis).load('ABC'), null);

      const confirmed = await run('calendar-reset', ['--kuerzel', 'DEF'], { stdin: 'yes\n' });
      assert.equal(confirmed.code, 0, confirmed.stderr);
      assert.ok(remaining().includes(abc) && !remaining().includes(def));
      assert.equal(await new CalendarStateStore(redis).load('DEF'), null);
      assert.notEqual(await new CalendarStateStore(redis).load('ABC'), null);
    });
  });
});
