import type { RequestHandler, Response } from 'express';
import type { BeteiligteStore } from '../beteiligte-store.js';
import type { TerminStore } from '../termin-store.js';
import type { TokenService } from '../token.js';
import type { Kommunikation } from '../types.js';

/**
 * What route handlers need from the simulator. Read at request time: routes are
 * registered while the base class is still being constructed, before the stores exist.
 */
export interface AdvowareContext {
  readonly beteiligteStore: BeteiligteStore;
  readonly calendar: TerminStore;
  readonly tokens: TokenService;
  readonly singleGetShape: 'array' | 'object';
}

export const ADVONET = '/api/v1/advonet';

/** 401 `{Message}` unless the request carries a valid Bearer token. */
export function bearerAuth(ctx: AdvowareContext): RequestHandler {
  return (req, _res, next) => {
    ctx.tokens.authorize(req.get('authorization'));
    next();
  };
}

/** A single entity the way the configured Advoware answers it: a one-element array or the object. */
export function sendSingle<T>(ctx: AdvowareContext, res: Response, entity: T): void {
  res.json(ctx.singleGetShape === 'array' ? [entity] : entity);
}

/** The real API's serializer bug: every Kommunikation goes out with kommKz = 0. */
export function maskKommKz(entry: Kommunikation): Kommunikation {
  return { ...entry, kommKz: 0 };
}
