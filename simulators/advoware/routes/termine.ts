import type { Express } from 'express';
import { intParam } from '../body.js';
import { badRequest } from '../errors.js';
import { datePart, isDate, isMidnightDateTime } from '../formats.js';
import { parseTermin } from '../parsers.js';
import { ADVONET, bearerAuth, type AdvowareContext } from './context.js';

/** `YYYY-MM-DD` from a query parameter; the `…T00:00:00` form is accepted too. */
function queryDate(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && isDate(value)) return value;
  if (typeof value === 'string' && isMidnightDateTime(value)) return datePart(value);
  throw badRequest(`Parameter '${name}' muss das Format YYYY-MM-DD haben.`);
}

export function registerTerminRoutes(app: Express, ctx: AdvowareContext): void {
  const auth = bearerAuth(ctx);
  const base = `${ADVONET}/Termine`;

  app.get(`${ADVONET}/Mitarbeiter`, auth, (_req, res) => {
    res.json(ctx.calendar.listMitarbeiter());
  });

  app.get(base, auth, (req, res) => {
    const { kuerzel } = req.query;
    if (kuerzel !== undefined && typeof kuerzel !== 'string') throw badRequest("Parameter 'kuerzel' ist ungültig.");
    const from = queryDate(req.query.from, 'from');
    const to = queryDate(req.query.to, 'to');
    if (from !== undefined && to !== undefined && from > to) throw badRequest("'from' liegt nach 'to'.");
    res.json(ctx.calendar.list({ kuerzel, from, to }));
  });

  app.post(base, auth, (req, res) => {
    res.status(201).json(ctx.calendar.create(parseTermin(req.body)));
  });

  app.put(`${base}/:frNr`, auth, (req, res) => {
    res.json(ctx.calendar.replace(intParam(req.params.frNr, 'frNr'), parseTermin(req.body)));
  });

  app.delete(`${base}/:frNr`, auth, (req, res) => {
    ctx.calendar.delete(intParam(req.params.frNr, 'frNr'));
    res.status(204).end();
  });
}
