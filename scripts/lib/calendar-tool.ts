/**
 * What `calendar:audit` and `calendar:reset` share: configuration (production `.env` or a running sandbox),
 * the clients, argument parsing and exit codes. Both commands talk to Advoware and Google the way the worker
 * does — through the shared Redis token cache and rate limit — so they need the hub's Redis.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Redis } from 'ioredis';
import type { AdvowareClient } from '../../clients/advoware/client';
import type { GoogleCalendarApi, HubCalendar } from '../../clients/google/calendar-api';
import { calendarToolConfigSchema, ConfigError, loadDotEnv, parseEnv, sandboxEnv, type CalendarToolConfig } from '../../config/env';

/** Exit codes of both commands. */
export const EXIT = { ok: 0, differences: 1, aborted: 1, usage: 2, failed: 3 } as const;

/** Wrong flags or missing configuration: the operator has to change the command line or the environment. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * The configuration in effect. Production: `.env` and the environment. Sandbox: the simulators that
 * `npm start` wrote to `<SANDBOX_STATE_DIR>/sandbox.json`, used only when Advoware is not configured otherwise;
 * single variables of the environment still win (e.g. another REDIS_URL).
 */
export function loadCalendarToolConfig(): CalendarToolConfig {
  loadDotEnv();
  const env = process.env;
  let merged: NodeJS.ProcessEnv = env;
  if (!env.ADVOWARE_API_BASE_URL) {
    const sandboxFile = join(parseEnv(sandboxEnv, env).SANDBOX_STATE_DIR, 'sandbox.json');
    if (!existsSync(sandboxFile)) {
      throw new UsageError(
        'no configuration: set ADVOWARE_API_BASE_URL, the other ADVOWARE_* and GOOGLE_CALENDAR_* variables in .env ' +
          `or start the sandbox with npm start (no ${sandboxFile} found)`,
      );
    }
    merged = { ...readSandboxEnv(sandboxFile), ...env };
  }
  try {
    return parseEnv(calendarToolConfigSchema, merged);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

function readSandboxEnv(file: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${file} is not readable JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const hubEnv = (parsed as { hubEnv?: unknown } | null)?.hubEnv;
  if (typeof hubEnv !== 'object' || hubEnv === null) throw new UsageError(`${file} has no hubEnv: restart the sandbox with npm start`);
  return Object.fromEntries(Object.entries(hubEnv).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

export interface CalendarTool {
  config: CalendarToolConfig;
  advoware: AdvowareClient;
  google: GoogleCalendarApi;
  redis: Redis;
  close(): Promise<void>;
}

/** The clients are loaded only here: googleapis takes seconds to load, which a usage error should not wait for. */
export async function openCalendarTool(config: CalendarToolConfig, name: string): Promise<CalendarTool> {
  // import() keeps ESM rules under NodeNext, hence the .js extensions (tsx maps them to the .ts files).
  const [{ createAdvowareClient }, { createGoogleCalendarApi }, { createRedis }] = await Promise.all([
    import('../../clients/advoware/client.js'),
    import('../../clients/google/calendar-api.js'),
    import('../../lib/redis.js'),
  ]);
  const redis = createRedis(config.REDIS_URL, name);
  // Failed commands report the outage; the connection's own error events would only repeat it.
  redis.on('error', () => undefined);
  try {
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new Error(
      `Redis at ${redactedUrl(config.REDIS_URL)} does not answer (the commands share the hub's token cache and rate limit): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return {
    config,
    advoware: createAdvowareClient(config, redis),
    google: createGoogleCalendarApi(config, redis),
    redis,
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

function redactedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** node:util parseArgs in strict mode, its errors (unknown flag, missing value) turned into UsageError. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
  }
}

/** `--kuerzel ABC --kuerzel DEF` and `--kuerzel ABC,DEF` alike; upper-case, as Advoware writes them. */
export function kuerzelList(values: string[] | undefined): string[] {
  const all = (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim().toUpperCase())
    .filter(Boolean);
  return [...new Set(all)];
}

/**
 * Hub calendars by upper-case kuerzel (people type `abc`). Of several calendars for one employee the sync uses
 * the smallest id (googleEnsureCalendar), so that one comes first here and is the one compared.
 */
export function calendarsByKuerzel(calendars: readonly HubCalendar[]): Map<string, HubCalendar[]> {
  const result = new Map<string, HubCalendar[]>();
  for (const calendar of [...calendars].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const key = calendar.kuerzel.toUpperCase();
    result.set(key, [...(result.get(key) ?? []), calendar]);
  }
  return result;
}

/**
 * Runs a command and exits with its code. Usage errors exit 2; anything else (Advoware, Google or Redis not
 * answering) exits 3, so a script never mistakes a failed audit for "differences found".
 */
export function runCommand(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      if (err instanceof UsageError) {
        console.error(err.message);
        process.exitCode = EXIT.usage;
        return;
      }
      console.error(`failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = EXIT.failed;
    },
  );
}
