import type { Router } from 'express';
import { asBody, intParam } from '../body.js';
import { badRequest } from '../errors.js';
import {
  parseBeteiligteCreate,
  parseBeteiligteFields,
  parseKommunikationCreate,
  parseKommunikationEdit,
  parseTermin,
  parseTerminPatch,
} from '../parsers.js';
import type { Mitarbeiter } from '../types.js';
import type { AdvowareContext } from './context.js';

/**
 * Sandbox controls under `/__admin`: act like a user working inside Advoware
 * (true data, no quirks, no auth) and expire tokens. Mirrors the in-process API.
 */
export function registerAdvowareAdminRoutes(admin: Router, ctx: AdvowareContext): void {
  const betNr = (value: string): number => intParam(value, 'betNr');

  admin.post('/tokens/expire', (_req, res) => {
    ctx.tokens.expireAll();
    res.status(204).end();
  });
  admin.get('/tokens', (_req, res) => {
    res.json({ tokensIssued: ctx.tokens.tokensIssued });
  });

  admin.get('/beteiligte', (_req, res) => {
    res.json(ctx.beteiligteStore.list());
  });
  admin.post('/beteiligte', (req, res) => {
    res.status(201).json(ctx.beteiligteStore.create(parseBeteiligteCreate(req.body)));
  });
  admin.get('/beteiligte/:betNr', (req, res) => {
    res.json(ctx.beteiligteStore.get(betNr(req.params.betNr)));
  });
  admin.patch('/beteiligte/:betNr', (req, res) => {
    res.json(ctx.beteiligteStore.update(betNr(req.params.betNr), parseBeteiligteFields(req.body)));
  });
  admin.delete('/beteiligte/:betNr', (req, res) => {
    ctx.beteiligteStore.delete(betNr(req.params.betNr));
    res.status(204).end();
  });

  admin.get('/beteiligte/:betNr/kommunikationen', (req, res) => {
    res.json(ctx.beteiligteStore.listKommunikationen(betNr(req.params.betNr)));
  });
  admin.post('/beteiligte/:betNr/kommunikationen', (req, res) => {
    res.status(201).json(ctx.beteiligteStore.addKommunikation(betNr(req.params.betNr), parseKommunikationCreate(req.body)));
  });
  admin.patch('/beteiligte/:betNr/kommunikationen/:id', (req, res) => {
    const id = intParam(req.params.id, 'id');
    res.json(ctx.beteiligteStore.updateKommunikation(betNr(req.params.betNr), id, parseKommunikationEdit(req.body)));
  });
  admin.delete('/beteiligte/:betNr/kommunikationen/:id', (req, res) => {
    ctx.beteiligteStore.deleteKommunikation(betNr(req.params.betNr), intParam(req.params.id, 'id'));
    res.status(204).end();
  });

  admin.get('/beteiligte/:betNr/adressen', (req, res) => {
    res.json(ctx.beteiligteStore.listAdressen(betNr(req.params.betNr)));
  });
  admin.get('/beteiligte/:betNr/bankverbindungen', (req, res) => {
    res.json(ctx.beteiligteStore.listBankverbindungen(betNr(req.params.betNr)));
  });

  admin.get('/mitarbeiter', (_req, res) => {
    res.json(ctx.calendar.listMitarbeiter());
  });
  admin.put('/mitarbeiter', (req, res) => {
    ctx.calendar.setMitarbeiter(parseMitarbeiterList(req.body));
    res.json(ctx.calendar.listMitarbeiter());
  });

  admin.get('/termine', (req, res) => {
    const kuerzel = typeof req.query.kuerzel === 'string' ? req.query.kuerzel : undefined;
    res.json(ctx.calendar.list({ kuerzel }));
  });
  admin.post('/termine', (req, res) => {
    res.status(201).json(ctx.calendar.create(parseTermin(req.body)));
  });
  admin.patch('/termine/:frNr', (req, res) => {
    res.json(ctx.calendar.update(intParam(req.params.frNr, 'frNr'), parseTerminPatch(req.body)));
  });
  admin.delete('/termine/:frNr', (req, res) => {
    ctx.calendar.delete(intParam(req.params.frNr, 'frNr'));
    res.status(204).end();
  });
}

function parseMitarbeiterList(raw: unknown): Mitarbeiter[] {
  if (!Array.isArray(raw)) throw badRequest('Erwartet wird ein Array von Mitarbeitern.');
  return raw.map((item: unknown) => {
    const m = asBody(item);
    if (typeof m.kuerzel !== 'string' || typeof m.name !== 'string') {
      throw badRequest("Jeder Mitarbeiter braucht 'kuerzel' und 'name'.");
    }
    return {
      kuerzel: m.kuerzel,
      name: m.name,
      vorname: typeof m.vorname === 'string' ? m.vorname : null,
      email: typeof m.email === 'string' ? m.email : null,
      aktiv: m.aktiv !== false,
    };
  });
}
