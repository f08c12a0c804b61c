import type { Router } from 'express';
import type { FaultInjector } from '../../core/simulator';
import { parseRateLimitSpec, rateLimitFault } from '../faults';
import type { GoogleContext } from './context';
import { pathParam } from './params';

/** Admin endpoints (under `/__admin`) for the sandbox: the in-process helpers over HTTP. */
export function registerGoogleAdminRoutes(admin: Router, ctx: GoogleContext, faults: () => FaultInjector): void {
  admin.post('/rate-limit', (req, res) => {
    try {
      res.status(201).json(faults().add(rateLimitFault(parseRateLimitSpec(req.body))));
    } catch (err) {
      res.status(400).json({ error: err instanceof Error ? err.message : String(err) });
    }
  });

  admin.post('/sync-tokens/invalidate', (req, res) => {
    const calendarId = (req.body as { calendarId?: unknown } | undefined)?.calendarId;
    ctx.store.invalidateSyncTokens(typeof calendarId === 'string' ? calendarId : undefined);
    res.status(204).end();
  });

  admin.get('/calendars', (_req, res) => {
    res.json(
      ctx.store.list().map((c) => ({
        ...c.resource,
        primary: c.primary,
        events: [...c.events.values()].filter((e) => e.resource.status !== 'cancelled').length,
      })),
    );
  });

  admin.get('/calendars/:calendarId/events', (req, res) => {
    res.json([...ctx.store.resolve(pathParam(req, 'calendarId')).events.values()].map((e) => e.resource));
  });
}
