import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** True when `candidate` equals one of `keys`, compared in constant time. */
export function matchesApiKey(candidate: string | undefined, keys: readonly string[]): boolean {
  if (!candidate) return false;
  const given = digest(candidate);
  // Compare against every key so the time does not tell which (or whether an early) key matched.
  return keys.reduce((found, key) => timingSafeEqual(given, digest(key)) || found, false);
}

/** Requires `X-API-Key` to be one of the configured keys (`HUB_API_KEYS`). */
export function requireApiKey(keys: readonly string[]): RequestHandler {
  return (req, res, next) => {
    if (matchesApiKey(req.get('x-api-key'), keys)) return next();
    res.status(401).json({ error: 'missing or invalid API key (header X-API-Key)' });
  };
}
