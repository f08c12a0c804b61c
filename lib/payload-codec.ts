import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/**
 * Client data (names, birth dates, phone numbers, IBANs) must not lie in Temporal's database in plain text
 * (issue 16): every payload the hub writes is AES-256-GCM encrypted before it leaves the process.
 *
 * The whole original payload (its metadata, e.g. `encoding: json/plain`, and its data) is serialised with
 * Temporal's own proto encoder and encrypted, so decoding restores it byte for byte. The encrypted payload
 * carries `encoding: binary/encrypted` and the id of the key that encrypted it; the ciphertext is
 * IV (12 bytes) + ciphertext + GCM tag (16 bytes).
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export interface PayloadKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly current: PayloadKey;
  private readonly byId: ReadonlyMap<string, Buffer>;

  /** `keys[0]` encrypts; every key decrypts, so payloads written before a rotation stay readable. */
  constructor(keys: readonly PayloadKey[]) {
    const [current] = keys;
    if (!current) throw new Error('the payload codec needs at least one key');
    for (const { id, key } of keys) {
      if (key.length !== KEY_BYTES) throw new Error(`payload key "${id}" has ${key.length} bytes; AES-256 needs ${KEY_BYTES}`);
    }
    this.current = current;
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  private encrypt(payload: Payload): Payload {
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.current.key, iv);
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: encoder.encode(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: encoder.encode(this.current.id),
      },
      data: new Uint8Array(sealed),
    };
  }

  private decrypt(payload: Payload): Payload {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    // Histories written before encryption (and payloads of other codecs) are read as they are.
    if (!encoding || decoder.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
    const rawId = payload.metadata?.[KEY_ID_METADATA];
    const keyId = rawId ? decoder.decode(rawId) : '';
    if (!keyId) throw new PayloadDecryptionError(`encrypted payload without ${KEY_ID_METADATA}`);
    const key = this.byId.get(keyId);
    if (!key) {
      throw new PayloadDecryptionError(
        `payload encrypted with key "${keyId}", which is not configured (HUB_PAYLOAD_KEYS has ${[...this.byId.keys()].join(', ')})`,
      );
    }
    const sealed = Buffer.from(payload.data ?? new Uint8Array());
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`payload encrypted with key "${keyId}" is truncated`);
    const iv = sealed.subarray(0, IV_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    const body = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv);
      decipher.setAuthTag(tag);
      plain = Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      // GCM's authentication failed: the bytes were changed, or a different key is configured under this id.
      throw new PayloadDecryptionError(`payload encrypted with key "${keyId}" failed authentication (tampered, or not that key)`);
    }
    return temporal.api.common.v1.Payload.decode(plain);
  }
}

/**
 * Parses `id:<base64 of 32 bytes>,id:<…>` (HUB_PAYLOAD_KEYS); the first key encrypts. Throws naming the entry
 * (never the key material) when an entry is malformed, a key is not 32 bytes or an id repeats.
 */
export function parsePayloadKeys(value: string): PayloadKey[] {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('needs at least one key');
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon === -1 ? '' : entry.slice(0, colon).trim();
    const material = colon === -1 ? '' : entry.slice(colon + 1).trim();
    if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new Error(`entry ${index + 1} is not <id>:<base64 key> (id: letters, digits, . _ -)`);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(material) || material.length % 4 !== 0) throw new Error(`key "${id}" is not base64`);
    const key = Buffer.from(material, 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`key "${id}" is ${key.length} bytes; it must be base64 of exactly ${KEY_BYTES} bytes`);
    if (seen.has(id)) throw new Error(`key id "${id}" appears twice`);
    seen.add(id);
    return { id, key };
  });
}

/** A new key entry for HUB_PAYLOAD_KEYS, like `openssl rand -base64 32` with an id in front. */
export function generatePayloadKey(id: string): string {
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}
