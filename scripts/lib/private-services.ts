/**
 * Runs a command (the tests, the benchmarks) against a Temporal dev server and a Redis private to it, on
 * free ports, thrown away afterwards; exits with the command's status.
 *
 *   node --import tsx scripts/lib/private-services.ts --dir DIR [--label NAME] -- COMMAND [ARG ...]
 *
 * TEMPORAL_CLI and REDIS_SERVER name the binaries (scripts/lib/tools.sh finds or builds them). The command
 * gets TEMPORAL_ADDRESS and REDIS_URL. Temporal keeps its state in memory unless HUB_TEMPORAL_DB_FILE names a
 * SQLite file (SQLite pragmas such as journal_mode=wal only matter for a file); HUB_TEMPORAL_SQLITE_PRAGMAS
 * ("journal_mode=wal,synchronous=normal") is passed to the dev server either way.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sqlitePragmasFromEnv, startRedis, startTemporalDev } from './local-services';
import { Supervisor } from './supervisor';
import { freePort } from './wait';

interface Args {
  dir: string;
  label: string;
  command: string[];
}

function parseArgs(argv: string[]): Args {
  const split = argv.indexOf('--');
  const own = split === -1 ? argv : argv.slice(0, split);
  const command = split === -1 ? [] : argv.slice(split + 1);
  const value = (flag: string) => {
    const at = own.indexOf(flag);
    return at === -1 ? undefined : own[at + 1];
  };
  const dir = value('--dir');
  if (!dir || command.length === 0) {
    throw new Error('usage: private-services.ts --dir DIR [--label NAME] -- COMMAND [ARG ...]');
  }
  return { dir, label: value('--label') ?? 'services', command };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  // A bad value is a usage error, reported before anything starts.
  const sqlitePragmas = sqlitePragmasFromEnv();
  const log = (message: string) => process.stderr.write(`[${args.label}] ${message}\n`);
  const supervisor = new Supervisor({
    log: () => undefined,
    onUnexpectedExit: (name, code) => log(`${name} exited unexpectedly (code ${code}); see its log in ${args.dir}`),
  });
  let interrupted = false;
  let forward: (signal: NodeJS.Signals) => void = () => {
    // Interrupted while the services start: stop them now rather than after they are up.
    interrupted = true;
    void supervisor.stopAll();
  };
  // Ctrl-C reaches the command by itself (same process group); a signal sent to us alone is passed on.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => forward(signal));

  try {
    const [temporalPort, redisPort] = [await freePort(), await freePort()];
    const [temporal, redis] = await Promise.all([
      startTemporalDev(supervisor, {
        cli: process.env.TEMPORAL_CLI ?? 'temporal',
        port: temporalPort,
        logFile: join(args.dir, 'temporal.log'),
        dbFile: process.env.HUB_TEMPORAL_DB_FILE ? resolve(process.env.HUB_TEMPORAL_DB_FILE) : undefined,
        sqlitePragmas,
      }),
      startRedis(supervisor, { bin: process.env.REDIS_SERVER ?? '', port: redisPort, dir: join(args.dir, 'redis'), persist: false }),
    ]);
    if (interrupted) return 130;
    log(`Temporal ${temporal.address}, Redis ${redis.url}`);

    const [command, ...rest] = args.command as [string, ...string[]];
    const child = spawn(command, rest, {
      stdio: 'inherit',
      env: { ...process.env, TEMPORAL_ADDRESS: temporal.address, REDIS_URL: redis.url },
    });
    forward = (signal) => child.kill(signal);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
      child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
      child.once('error', (err) => {
        log(`${command}: ${err.message}`);
        resolve([127, null]);
      });
    });
    return code ?? 128 + (signal === 'SIGINT' ? 2 : 15);
  } catch (err) {
    if (interrupted) return 130;
    // The run directory is removed afterwards, so the logs are shown here.
    for (const file of [join(args.dir, 'temporal.log'), join(args.dir, 'redis', 'redis.log')]) {
      if (existsSync(file)) log(`${file}:\n${readFileSync(file, 'utf8').split('\n').slice(-30).join('\n')}`);
    }
    throw err;
  } finally {
    await supervisor.stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
