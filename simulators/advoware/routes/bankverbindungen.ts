import type { Express } from 'express';
import { intParam } from '../body.js';
import { forbidden } from '../errors.js';
import { parseBankverbindung } from '../parsers.js';
import { ADVONET, bearerAuth, type AdvowareContext } from './context.js';

export function registerBankverbindungRoutes(app: Express, ctx: AdvowareContext): void {
  const auth = bearerAuth(ctx);
  const base = `${ADVONET}/Beteiligte/:betNr/Bankverbindungen`;

  app.get(base, auth, (req, res) => {
    res.json(ctx.beteiligteStore.listBankverbindungen(intParam(req.params.betNr, 'betNr')));
  });

  app.post(base, auth, (req, res) => {
    const created = ctx.beteiligteStore.addBankverbindung(intParam(req.params.betNr, 'betNr'), parseBankverbindung(req.body));
    res.status(201).json(created);
  });

  app.put(`${base}/:id`, auth, (req, res) => {
    const betNr = intParam(req.params.betNr, 'betNr');
    const id = intParam(req.params.id, 'id');
    res.json(ctx.beteiligteStore.updateBankverbindung(betNr, id, parseBankverbindung(req.body)));
  });

  // Advoware keeps the history of bank accounts.
  app.delete(`${base}/:id`, auth, () => {
    throw forbidden('Bankverbindungen können nicht gelöscht werden.');
  });
}
