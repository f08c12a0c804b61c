import { STORAGE_VARIANTS, type StorageVariant } from './ingest';

export const PART_NAMES = [
  'proxy',
  'beteiligte',
  'kommunikation',
  'adressen',
  'bankverbindungen',
  'drain',
  'floor',
  'ingest',
  'calendar',
  'leads',
  'threecx',
  'production',
] as const;
export type PartName = (typeof PART_NAMES)[number];

export interface BenchOptions {
  parts: PartName[];
  /**
   * Run the worker and gateway compiled (tsc + workflow bundle, as the production image does); `--source` runs
   * them with tsx like the tests, which costs memory (tsx, and webpack bundling the workflows at the worker's start).
   */
  compiled: boolean;
  /**
   * NODE_OPTIONS of the worker and gateway processes, e.g. `--max-old-space-size=256`, to try memory settings; they
   * replace the node flags of production's compose file, which the processes get otherwise.
   */
  workerNodeOptions?: string;
  gatewayNodeOptions?: string;
  proxyIterations: number;
  /** Samples of each latency figure on the bare dev server, and with injected latency. */
  samples: number;
  latencySamples: number;
  advowareLatencyMs: number;
  espocrmLatencyMs: number;
  drainBeteiligte: number;
  ingestBatchRequests: number;
  ingestBatchSize: number;
  ingestConcurrency: number;
  ingestSingleParallel: number;
  ingestSingleWaves: number;
  ingestVariants: StorageVariant[];
  employees: number;
  appointments: number;
  /** Parties in the caller index for the screen-pop figure (and rebuilt by the rebuild figure). */
  callerParties: number;
  screenPopConcurrency: number;
  screenPopWaves: number;
  yContextSamples: number;
  leads: number;
}

/** Flag name, environment variable, default, and the value of `--small` (a smoke test in about two minutes). */
const NUMBERS = {
  proxyIterations: ['--proxy-iterations', 'BENCH_PROXY_ITERATIONS', 300, 20],
  samples: ['--samples', 'BENCH_SAMPLES', 30, 3],
  latencySamples: ['--latency-samples', 'BENCH_LATENCY_SAMPLES', 20, 2],
  advowareLatencyMs: ['--advoware-latency-ms', 'BENCH_ADVOWARE_LATENCY_MS', 60, 60],
  espocrmLatencyMs: ['--espocrm-latency-ms', 'BENCH_ESPOCRM_LATENCY_MS', 25, 25],
  drainBeteiligte: ['--drain', 'BENCH_DRAIN', 1000, 50],
  ingestBatchRequests: ['--ingest-requests', 'BENCH_INGEST_REQUESTS', 1500, 60],
  ingestBatchSize: ['--ingest-batch-size', 'BENCH_INGEST_BATCH_SIZE', 20, 20],
  ingestConcurrency: ['--ingest-concurrency', 'BENCH_INGEST_CONCURRENCY', 50, 50],
  ingestSingleParallel: ['--ingest-single', 'BENCH_INGEST_SINGLE', 200, 200],
  ingestSingleWaves: ['--ingest-waves', 'BENCH_INGEST_WAVES', 5, 1],
  employees: ['--employees', 'BENCH_EMPLOYEES', 10, 2],
  appointments: ['--appointments', 'BENCH_APPOINTMENTS', 200, 20],
  callerParties: ['--caller-parties', 'BENCH_CALLER_PARTIES', 10_000, 200],
  screenPopConcurrency: ['--screen-pop-concurrency', 'BENCH_SCREEN_POP_CONCURRENCY', 50, 50],
  screenPopWaves: ['--screen-pop-waves', 'BENCH_SCREEN_POP_WAVES', 20, 2],
  yContextSamples: ['--y-context-samples', 'BENCH_Y_CONTEXT_SAMPLES', 200, 10],
  leads: ['--leads', 'BENCH_LEADS', 50, 10],
} as const satisfies Record<string, readonly [string, string, number, number]>;

export const USAGE = `usage: npm run bench -- [part ...] [--small] [--source] [--flag N ...] [--ingest-variants ${STORAGE_VARIANTS.map((v) => v.name).join(',')}]
  parts: ${PART_NAMES.join(', ')} (default: all)
  --small (BENCH_SMALL=true): small sizes, a smoke test of the harness
  --source (BENCH_SOURCE=true): worker and gateway from source with tsx (default: compiled as in production, into var/bench-dist)
  --worker-node-options, --gateway-node-options "..." (BENCH_WORKER_NODE_OPTIONS, BENCH_GATEWAY_NODE_OPTIONS): their NODE_OPTIONS
  instead of the node flags in temporal-docker/docker-compose.yml
  flags (or environment variables): ${Object.values(NUMBERS)
    .map(([flag, env, dflt]) => `${flag} (${env}, ${dflt})`)
    .join(', ')}`;

function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name}: "${value}" is not a whole number ≥ 0\n${USAGE}`);
  return n;
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const small = argv.includes('--small') || env.BENCH_SMALL === 'true';
  const compiled = !(argv.includes('--source') || env.BENCH_SOURCE === 'true');
  const parts: PartName[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--small' || arg === '--source') continue;
    if (arg.startsWith('--')) {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      flags.set(arg, value);
    } else if ((PART_NAMES as readonly string[]).includes(arg)) {
      parts.push(arg as PartName);
    } else {
      throw new Error(`unknown part "${arg}"\n${USAGE}`);
    }
  }
  const known = new Set<string>([
    ...Object.values(NUMBERS).map(([flag]) => flag),
    '--ingest-variants',
    '--worker-node-options',
    '--gateway-node-options',
  ]);
  const workerNodeOptions = flags.get('--worker-node-options') ?? env.BENCH_WORKER_NODE_OPTIONS;
  const gatewayNodeOptions = flags.get('--gateway-node-options') ?? env.BENCH_GATEWAY_NODE_OPTIONS;
  for (const flag of flags.keys()) if (!known.has(flag)) throw new Error(`unknown flag ${flag}\n${USAGE}`);

  const numbers = Object.fromEntries(
    Object.entries(NUMBERS).map(([key, [flag, envName, dflt, smallValue]]) => {
      const given = flags.get(flag) ?? env[envName];
      return [key, given !== undefined ? positiveInt(given, flag) : small ? smallValue : dflt];
    }),
  ) as Record<keyof typeof NUMBERS, number>;

  const variantNames = (flags.get('--ingest-variants') ?? env.BENCH_INGEST_VARIANTS)?.split(',').map((s) => s.trim());
  const ingestVariants = variantNames
    ? variantNames.map((name) => {
        const variant = STORAGE_VARIANTS.find((v) => v.name === name);
        if (!variant) throw new Error(`--ingest-variants: unknown "${name}"\n${USAGE}`);
        return variant;
      })
    : [...STORAGE_VARIANTS];

  return {
    parts: parts.length > 0 ? parts : [...PART_NAMES],
    compiled,
    ...(workerNodeOptions ? { workerNodeOptions } : {}),
    ...(gatewayNodeOptions ? { gatewayNodeOptions } : {}),
    ...numbers,
    ingestVariants,
  };
}
