import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** True when `candidate` equals one of `keys`, compared in constant time. */
export function matchesApiKey(candidate: string | undefined, keys: readonly string[]): boolean {
  if (!candidate) return false;
  const given = digest(candidate);
  // Compare against every key so the time does not tell which (or whether an early) key matched.
  return keys.reduce((found, key) => timingSafeEqual(given, digest(key)) || found, false);
}

/** The key a request carries: `X-API-Key`, or `Authorization: Bearer <key>` (what the temporal CLI's `--codec-auth` sends). */
export function presentedApiKey(req: Request): string | undefined {
  const header = req.get('x-api-key');
  if (header) return header;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return bearer?.[1];
}

/** Requires `X-API-Key` (or `Authorization: Bearer`) to be one of the configured keys (`HUB_API_KEYS`). */
export function requireApiKey(keys: readonly string[]): RequestHandler {
  return (req, res, next) => {
    if (matchesApiKey(presentedApiKey(req), keys)) return next();
    res.status(401).json({ error: 'missing or invalid API key (header X-API-Key or Authorization: Bearer <key>)' });
  };
}
