/** Standard base64 (RFC 4648, with padding) of UTF-8 text, as the original system wrote markers (Python `base64.b64encode`). */
import { utf8Decode, utf8Encode } from '../utf8';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64Encode(text: string): string {
  const bytes = utf8Encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a = 0, b = 0, c = 0] = [bytes[i], bytes[i + 1], bytes[i + 2]];
    const triple = (a << 16) | (b << 8) | c;
    const count = Math.min(3, bytes.length - i);
    for (let k = 0; k < 4; k++) out += k <= count ? ALPHABET[(triple >> (18 - 6 * k)) & 0x3f] : '=';
  }
  return out;
}

/** Null for anything that is not canonical base64 of UTF-8 text. */
export function base64Decode(encoded: string): string | null {
  if (encoded.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) return null;
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i += 4) {
    const chunk = encoded.slice(i, i + 4);
    const padding = chunk.endsWith('==') ? 2 : chunk.endsWith('=') ? 1 : 0;
    if (padding > 0 && i + 4 !== encoded.length) return null;
    let triple = 0;
    for (let k = 0; k < 4; k++) triple = (triple << 6) | (k < 4 - padding ? ALPHABET.indexOf(chunk[k] ?? 'A') : 0);
    bytes.push((triple >> 16) & 0xff);
    if (padding < 2) bytes.push((triple >> 8) & 0xff);
    if (padding < 1) bytes.push(triple & 0xff);
  }
  const text = utf8Decode(bytes);
  // Canonical only: a re-encoding that differs means stray bits, i.e. not something the hub wrote.
  return text !== null && base64Encode(text) === encoded ? text : null;
}
