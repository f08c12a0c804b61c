import type { DataConverter } from '@temporalio/common';
import { parseEnv, payloadEncryptionEnv } from '../config/env';
import { hubDataConverter } from '../lib/data-converter';
import { generatePayloadKey } from '../lib/payload-codec';

/**
 * The bench's clients encrypt as the hub does. HUB_PAYLOAD_KEYS (the caller's, else a fresh key: nothing reads a bench's
 * histories afterwards) is left in process.env, so the worker and gateway processes the bench starts inherit it.
 */
export function benchDataConverter(): DataConverter {
  process.env.HUB_PAYLOAD_KEYS ||= generatePayloadKey('bench');
  return hubDataConverter(parseEnv(payloadEncryptionEnv).HUB_PAYLOAD_KEYS);
}
