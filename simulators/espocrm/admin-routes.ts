import type { Router } from 'express';
import type { RouteContext } from './api-routes.js';
import { notFound } from './errors.js';
import { respond } from './http.js';
import { notificationsOf } from './notifications.js';
import { parseWhere } from './where.js';
import { isObject } from './validation.js';

/**
 * Sandbox controls under `/__admin`: act as a CRM user (writes fire hooks and webhooks like
 * the UI would), manage webhooks and look at the delivery log. Not counted, never faulted.
 */
export function registerEspoAdminRoutes(admin: Router, ctx: RouteContext): void {
  admin.get('/entities/:entityType', (req, res) => {
    respond(res, () => {
      const q = req.query as Record<string, unknown>;
      return ctx.crm().list(req.params.entityType, { where: parseWhere(q.where) });
    });
  });
  admin.get('/entities/:entityType/:id', (req, res) => {
    respond(res, () => ctx.crm().get(req.params.entityType, req.params.id));
  });
  admin.post('/entities/:entityType', (req, res) => {
    respond(res, () => ctx.crm().create(req.params.entityType, req.body));
  });
  admin.patch('/entities/:entityType/:id', (req, res) => {
    respond(res, () => ctx.crm().update(req.params.entityType, req.params.id, req.body));
  });
  admin.delete('/entities/:entityType/:id', (req, res) => {
    respond(res, () => {
      ctx.crm().remove(req.params.entityType, req.params.id);
      return true;
    });
  });

  admin.get('/webhooks', (_req, res) => {
    respond(res, () => ctx.webhooks().list());
  });
  admin.post('/webhooks', (req, res) => {
    respond(res, () => {
      const b: Record<string, unknown> = isObject(req.body) ? req.body : {};
      return ctx.webhooks().register({
        event: typeof b.event === 'string' ? b.event : '',
        url: typeof b.url === 'string' ? b.url : '',
        ...(typeof b.secretKey === 'string' ? { secretKey: b.secretKey } : {}),
        ...(typeof b.id === 'string' ? { id: b.id } : {}),
      });
    });
  });
  admin.delete('/webhooks/:id', (req, res) => {
    respond(res, () => {
      if (!ctx.webhooks().remove(req.params.id)) throw notFound(`webhook ${req.params.id} not found`);
      return true;
    });
  });
  admin.get('/webhook-deliveries', (_req, res) => {
    respond(res, () => ctx.webhooks().deliveries);
  });
  admin.get('/webhook-stats', (_req, res) => {
    respond(res, () => ctx.webhooks().stats());
  });
  admin.get('/notifications', (req, res) => {
    respond(res, () => {
      const userId = typeof req.query.userId === 'string' ? req.query.userId : undefined;
      return notificationsOf(ctx.crm(), userId);
    });
  });
  admin.post('/webhooks/flush', async (_req, res) => {
    await ctx.webhooks().flush();
    res.json({ deliveries: ctx.webhooks().deliveries.length });
  });
}
