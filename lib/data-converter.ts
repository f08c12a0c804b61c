import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, type PayloadKey } from './payload-codec';

/**
 * The one DataConverter of everything that talks to the hub's task queue: the worker, the gateway's client,
 * the commands, the benchmarks and the test harnesses. Payloads are JSON as by default, then encrypted
 * (lib/payload-codec.ts); a process with another converter could neither read nor write them.
 */
export function hubDataConverter(keys: readonly PayloadKey[]): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(keys)] };
}
