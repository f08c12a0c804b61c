import type { Express } from 'express';
import { intParam } from '../body.js';
import { forbidden } from '../errors.js';
import { parseAdresseCreate, parseAdressePut } from '../parsers.js';
import { ADVONET, bearerAuth, type AdvowareContext } from './context.js';

export function registerAdresseRoutes(app: Express, ctx: AdvowareContext): void {
  const auth = bearerAuth(ctx);
  const base = `${ADVONET}/Beteiligte/:betNr/Adressen`;

  app.get(base, auth, (req, res) => {
    res.json(ctx.beteiligteStore.listAdressen(intParam(req.params.betNr, 'betNr')));
  });

  app.post(base, auth, (req, res) => {
    res.status(201).json(ctx.beteiligteStore.addAdresse(intParam(req.params.betNr, 'betNr'), parseAdresseCreate(req.body)));
  });

  app.put(`${base}/:reihenfolgeIndex`, auth, (req, res) => {
    const betNr = intParam(req.params.betNr, 'betNr');
    const index = intParam(req.params.reihenfolgeIndex, 'reihenfolgeIndex');
    res.json(ctx.beteiligteStore.updateAdresse(betNr, index, parseAdressePut(req.body)));
  });

  // gueltigBis is read-only too, so there is no soft delete either.
  app.delete(`${base}/:reihenfolgeIndex`, auth, () => {
    throw forbidden('Adressen können nicht gelöscht werden.');
  });
}
