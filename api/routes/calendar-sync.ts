import { Router } from 'express';
import { z } from 'zod';
import type { AdvowareClient } from '../../clients/advoware/client';
import type { CalendarSyncRequester } from '../../clients/temporal/calendar-sync-requests';
import { isActiveEmployee } from '../../domain/calendar/employees';
import type { Logger } from '../../lib/logger';
import { validationError } from '../validation';

const body = z.strictObject({
  kuerzel: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,20}$/, 'must be an Advoware kuerzel (letters, digits, - or _) or "ALL"')
    .transform((k) => k.toUpperCase()),
  full_content: z.boolean().optional(),
});

export interface CalendarSyncDeps {
  advoware: AdvowareClient;
  calendarRequester: CalendarSyncRequester;
  logger: Logger;
}

/**
 * `POST /advoware/calendar/sync {kuerzel | "ALL", full_content?}` (SPEC §2, §6): `202` with the workflow IDs once
 * Temporal holds the request (an employee's open workflow, e.g. one failing and waiting for its retry, runs again
 * at once). An unknown or inactive kuerzel is `404` and starts nothing; Advoware or Temporal unreachable is `503`.
 */
export function calendarSyncRouter(deps: CalendarSyncDeps): Router {
  const router = Router();
  router.post('/advoware/calendar/sync', async (req, res) => {
    const parsed = body.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json(validationError(parsed.error));
    const { kuerzel, full_content: fullContent } = parsed.data;

    if (kuerzel !== 'ALL') {
      let active: boolean;
      try {
        active = isActiveEmployee(await deps.advoware.listMitarbeiter(), kuerzel);
      } catch (err) {
        deps.logger.error({ err, kuerzel }, 'could not read the Mitarbeiter list from Advoware');
        return void res.status(503).json({ error: 'Advoware is unreachable; try again later' });
      }
      if (!active) return void res.status(404).json({ error: `no active Advoware employee with kuerzel "${kuerzel}"` });
    }

    try {
      const workflowId =
        kuerzel === 'ALL' ? await deps.calendarRequester.requestAll(fullContent) : await deps.calendarRequester.requestEmployee(kuerzel, fullContent);
      res.status(202).json({ workflowIds: [workflowId] });
    } catch (err) {
      deps.logger.error({ err, kuerzel }, 'could not start the calendar sync in Temporal');
      res.status(503).json({ error: 'Temporal is unreachable; try again later' });
    }
  });
  return router;
}
