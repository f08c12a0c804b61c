import type { Express } from 'express';
import { intParam } from '../body.js';
import { forbidden } from '../errors.js';
import { parseBeteiligteCreate, parseBeteiligtePut } from '../parsers.js';
import type { Beteiligte } from '../types.js';
import { ADVONET, bearerAuth, maskKommKz, sendSingle, type AdvowareContext } from './context.js';

const toApi = (b: Beteiligte): Beteiligte => ({ ...b, kommunikation: b.kommunikation.map(maskKommKz) });

export function registerBeteiligteRoutes(app: Express, ctx: AdvowareContext): void {
  const auth = bearerAuth(ctx);
  const base = `${ADVONET}/Beteiligte`;

  app.get(base, auth, (req, res) => {
    const name = typeof req.query.name === 'string' ? req.query.name : undefined;
    res.json(ctx.beteiligteStore.list(name).map(toApi));
  });

  app.get(`${base}/:betNr`, auth, (req, res) => {
    sendSingle(ctx, res, toApi(ctx.beteiligteStore.get(intParam(req.params.betNr, 'betNr'))));
  });

  app.post(base, auth, (req, res) => {
    res.status(201).json(toApi(ctx.beteiligteStore.create(parseBeteiligteCreate(req.body))));
  });

  // Always an array, whatever singleGetShape says: the real PUT answers that way.
  app.put(`${base}/:betNr`, auth, (req, res) => {
    const betNr = intParam(req.params.betNr, 'betNr');
    ctx.beteiligteStore.get(betNr);
    res.json([toApi(ctx.beteiligteStore.update(betNr, parseBeteiligtePut(req.body)))]);
  });

  app.delete(`${base}/:betNr`, auth, () => {
    throw forbidden('Beteiligte können nicht gelöscht werden.');
  });
}
