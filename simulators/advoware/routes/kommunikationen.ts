import type { Express } from 'express';
import { intParam } from '../body.js';
import { forbidden } from '../errors.js';
import { parseKommunikationCreate, parseKommunikationPut } from '../parsers.js';
import { ADVONET, bearerAuth, maskKommKz, type AdvowareContext } from './context.js';

export function registerKommunikationRoutes(app: Express, ctx: AdvowareContext): void {
  const auth = bearerAuth(ctx);
  const base = `${ADVONET}/Beteiligte/:betNr/Kommunikationen`;

  app.get(base, auth, (req, res) => {
    res.json(ctx.beteiligteStore.listKommunikationen(intParam(req.params.betNr, 'betNr')).map(maskKommKz));
  });

  app.post(base, auth, (req, res) => {
    const created = ctx.beteiligteStore.addKommunikation(intParam(req.params.betNr, 'betNr'), parseKommunikationCreate(req.body));
    res.status(201).json(maskKommKz(created));
  });

  app.put(`${base}/:id`, auth, (req, res) => {
    const betNr = intParam(req.params.betNr, 'betNr');
    const id = intParam(req.params.id, 'id');
    res.json(maskKommKz(ctx.beteiligteStore.updateKommunikation(betNr, id, parseKommunikationPut(req.body))));
  });

  // An entry can never be deleted through the API; the hub turns it into an empty slot instead.
  app.delete(`${base}/:id`, auth, () => {
    throw forbidden('Kommunikationen können nicht gelöscht werden.');
  });
}
