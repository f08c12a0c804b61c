/**
 * What the operator commands (calendar:audit, calendar:reset, phone-index:rebuild) share: configuration from
 * `.env` or a running sandbox, a checked Redis connection, a Temporal client with the hub's DataConverter, flag
 * parsing and exit codes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import { Client, Connection } from '@temporalio/client';
import { ConfigError, loadDotEnv, parseEnv, sandboxEnv, type PayloadEncryptionConfig, type TemporalConfig } from '../../config/env';
import { hubDataConverter } from '../../lib/data-converter';

/** Exit codes every command shares; a command adds its own meanings of 1. */
export const COMMAND_EXIT = { ok: 0, usage: 2, failed: 3 } as const;

/** Wrong flags or missing configuration: the operator has to change the command line or the environment. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * The configuration in effect. Production: `.env` and the environment. Sandbox: the simulators that `npm start`
 * wrote to `<SANDBOX_STATE_DIR>/sandbox.json`, used only when `configuredBy` is not set otherwise; single variables
 * of the environment still win (e.g. another REDIS_URL).
 */
export function loadCommandConfig<S extends z.ZodType>(schema: S, configuredBy: string, whatToSet: string): z.infer<S> {
  loadDotEnv();
  const env = process.env;
  let merged: NodeJS.ProcessEnv = env;
  if (!env[configuredBy]) {
    const sandboxFile = join(parseEnv(sandboxEnv, env).SANDBOX_STATE_DIR, 'sandbox.json');
    if (!existsSync(sandboxFile)) {
      throw new UsageError(`no configuration: set ${whatToSet} in .env or start the sandbox with npm start (no ${sandboxFile} found)`);
    }
    merged = { ...readSandboxEnv(sandboxFile), ...env };
  }
  try {
    return parseEnv(schema, merged);
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

/** A connection to the hub's Redis that answered a PING; `why` tells the operator what the command needs it for. */
export async function openCommandRedis(url: string, name: string, why: string): Promise<Redis> {
  // import() keeps ESM rules under NodeNext, hence the .js extension (tsx maps it to the .ts file).
  const { createRedis } = await import('../../lib/redis.js');
  const redis = createRedis(url, name);
  // Failed commands report the outage; the connection's own error events would only repeat it.
  redis.on('error', () => undefined);
  try {
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new Error(`Redis at ${redactedUrl(url)} does not answer (${why}): ${err instanceof Error ? err.message : String(err)}`);
  }
  return redis;
}

function redactedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/**
 * A Temporal client for a command, with the hub's DataConverter: the commands read workflow results and failures that
 * the worker wrote encrypted (HUB_PAYLOAD_KEYS, which the sandbox's hubEnv carries too). Close it when done.
 */
export async function openCommandTemporal(config: TemporalConfig & PayloadEncryptionConfig): Promise<{ client: Client; close(): Promise<void> }> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, connectTimeout: '5 seconds' });
  } catch (err) {
    throw new Error(`Temporal at ${config.TEMPORAL_ADDRESS} does not answer: ${err instanceof Error ? err.message : String(err)}`);
  }
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: hubDataConverter(config.HUB_PAYLOAD_KEYS) });
  return { client, close: () => connection.close() };
}

/** node:util parseArgs in strict mode, its errors (unknown flag, missing value) turned into UsageError. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
  }
}

/**
 * Runs a command and exits with its code. Usage errors exit 2; anything else (a system or Redis not answering)
 * exits 3, so a script never mistakes a failure for a command's own exit 1.
 */
export function runCommand(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      if (err instanceof UsageError) {
        console.error(err.message);
        process.exitCode = COMMAND_EXIT.usage;
        return;
      }
      console.error(`failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = COMMAND_EXIT.failed;
    },
  );
}
