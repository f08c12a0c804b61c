import type { Client } from '@temporalio/client';
import type { Redis } from 'ioredis';
import type { GatewayProcess, HubEnv, HubProcess } from './hub-processes';
import type { BenchRow } from './report';
import type { SimProcess } from './sim-client';

/** What every part of the benchmark runs against: one set of simulators, Temporal, Redis, worker and gateway. */
export interface BenchContext {
  sim: SimProcess;
  env: HubEnv;
  worker: HubProcess;
  gateway: GatewayProcess;
  /** The bench's own Temporal client, to wait for results and read histories. */
  client: Client;
  redis: Redis;
  /** Where the hub processes and extra Temporal servers write their logs. */
  logDir: string;
}

export interface PartResult {
  rows: BenchRow[];
  /** The raw numbers, for var/bench.json. */
  json: Record<string, unknown>;
}
