import { execFileSync } from 'node:child_process';

export interface LocalTools {
  temporalCli: string;
  /** Empty when redis-server could not be found or installed. */
  redisServer: string;
}

/** Runs scripts/setup.sh (which builds or installs what is missing) and returns the tool paths. */
export function ensureLocalTools(): LocalTools {
  const output = execFileSync('bash', ['scripts/setup.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const values = Object.fromEntries(
    output
      .trim()
      .split('\n')
      .map((line) => line.split('=', 2) as [string, string]),
  );
  return { temporalCli: values.TEMPORAL_CLI ?? '', redisServer: values.REDIS_SERVER ?? '' };
}
