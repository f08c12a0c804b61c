import type { Express, NextFunction, Request, Response } from 'express';
import type { EspoCrmCore } from './crm.js';
import { notFound, unauthorized } from './errors.js';
import { respond, sendError } from './http.js';
import { parseListQuery } from './query.js';
import { isObject } from './validation.js';
import type { WebhookDispatcher } from './webhooks.js';

/** Read lazily: routes are registered by the base constructor before the subclass has its fields. */
export interface RouteContext {
  crm(): EspoCrmCore;
  webhooks(): WebhookDispatcher;
  apiKey(): string;
}

const BASE = '/api/v1';

/** The REST API the hub talks to. Registered per route so call counters key on the route pattern. */
export function registerApiRoutes(app: Express, ctx: RouteContext): void {
  const auth = (req: Request, res: Response, next: NextFunction): void => {
    if (req.get('X-Api-Key') !== ctx.apiKey()) return sendError(res, unauthorized());
    next();
  };

  // Webhook is a scope of its own; registered before the generic `/:entityType` routes.
  app.post(`${BASE}/Webhook`, auth, (req, res) => {
    respond(res, () => {
      const body: Record<string, unknown> = isObject(req.body) ? req.body : {};
      return ctx.webhooks().register({
        event: typeof body.event === 'string' ? body.event : '',
        url: typeof body.url === 'string' ? body.url : '',
      });
    });
  });
  app.get(`${BASE}/Webhook`, auth, (_req, res) => {
    respond(res, () => {
      const list = ctx.webhooks().list();
      return { total: list.length, list };
    });
  });
  app.get(`${BASE}/Webhook/:id`, auth, (req, res) => {
    respond(res, () => ctx.webhooks().get(param(req, 'id')) ?? throwNotFound());
  });
  app.delete(`${BASE}/Webhook/:id`, auth, (req, res) => {
    respond(res, () => ctx.webhooks().remove(param(req, 'id')) || throwNotFound());
  });

  app.get(`${BASE}/:entityType`, auth, (req, res) => {
    respond(res, () => ctx.crm().list(param(req, 'entityType'), parseListQuery(req.query)));
  });
  app.get(`${BASE}/:entityType/:id`, auth, (req, res) => {
    respond(res, () => ctx.crm().get(param(req, 'entityType'), param(req, 'id')));
  });
  app.post(`${BASE}/:entityType`, auth, (req, res) => {
    respond(res, () => ctx.crm().create(param(req, 'entityType'), req.body));
  });
  app.put(`${BASE}/:entityType/:id`, auth, (req, res) => {
    respond(res, () => ctx.crm().update(param(req, 'entityType'), param(req, 'id'), req.body));
  });
  app.patch(`${BASE}/:entityType/:id`, auth, (req, res) => {
    respond(res, () => ctx.crm().update(param(req, 'entityType'), param(req, 'id'), req.body));
  });
  app.delete(`${BASE}/:entityType/:id`, auth, (req, res) => {
    respond(res, () => {
      ctx.crm().remove(param(req, 'entityType'), param(req, 'id'));
      return true;
    });
  });
}

/** Route parameters as plain strings (the auth middleware hides their inferred types). */
function param(req: Request, name: string): string {
  const value: unknown = req.params[name];
  return typeof value === 'string' ? value : '';
}

function throwNotFound(): never {
  throw notFound();
}
