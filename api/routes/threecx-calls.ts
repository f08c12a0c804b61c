import { Router } from 'express';
import { WorkflowFailedError } from '@temporalio/client';
import { z } from 'zod';
import { OUTBOUND_NO_EXTENSION, OUTBOUND_PARTY_NOT_FOUND, type OutboundCallInput } from '../../contracts/calls';
import { applicationFailureOf, failureMessage } from '../../contracts/failures';
import { normalisePhone } from '../../domain/contact-values';
import type { Logger } from '../../lib/logger';
import { validationError } from '../validation';
import type { ThreeCxGatewayDeps } from './threecx-webhook';

/** How long the request waits for 3CX's call id before it answers 202 with the workflow to watch instead. */
export const OUTBOUND_ANSWER_WAIT_MS = 2_000;

const espoId = z.string().trim().min(1, 'must be a non-empty EspoCRM id').max(200, 'is too long for an EspoCRM id');
const body = z
  .strictObject({
    to: z
      .string()
      .trim()
      .transform((value, ctx) => {
        const e164 = normalisePhone(value);
        if (e164 === null) {
          ctx.addIssue({ code: 'custom', message: 'must be a phone number (E.164, or German without country code)' });
          return z.NEVER;
        }
        return e164;
      }),
    lead_id: espoId.optional(),
    beteiligte_id: espoId.optional(),
    from_extension: z.string().trim().regex(/^\d+$/, 'must be a 3CX extension (digits)').optional(),
  })
  .refine((b) => !(b.lead_id && b.beteiligte_id), { message: 'give lead_id or beteiligte_id, not both', path: ['beteiligte_id'] });

export interface ThreeCxCallsDeps {
  logger: Logger;
  threecx: ThreeCxGatewayDeps | undefined;
}

/**
 * `POST /3cx/calls {to, lead_id?, beteiligte_id?, from_extension?}` (SPEC §8): starts `outbound-call/<uuid>`, which
 * dials through 3CX and hands the call to `call/<call id>` to be logged. `200 {call_id}` when 3CX dialled within
 * 2 s, else `202 {workflowId}` (the call goes on: a 429 waits 3CX's Retry-After). The party's assigned user (and
 * so the extension that rings) is read by the workflow, not here: the gateway stays off EspoCRM.
 */
export function threecxCallsRouter(deps: ThreeCxCallsDeps): Router {
  const router = Router();
  router.post('/3cx/calls', async (req, res) => {
    const threecx = deps.threecx;
    if (!threecx?.apiConfigured) {
      return void res.status(503).json({ error: '3CX is not configured (THREECX_API_BASE_URL, THREECX_API_KEY): outbound calls are unavailable' });
    }
    const parsed = body.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json(validationError(parsed.error));
    const { to, lead_id: leadId, beteiligte_id: beteiligteId, from_extension: fromExtension } = parsed.data;
    const input: OutboundCallInput = {
      to,
      ...(fromExtension !== undefined && { fromExtension }),
      ...(beteiligteId !== undefined && { party: { entityType: 'CBeteiligte', espoId: beteiligteId } }),
      ...(leadId !== undefined && { party: { entityType: 'Lead', espoId: leadId } }),
    };

    let handle;
    try {
      handle = await threecx.callEvents.startOutbound(input);
    } catch (err) {
      deps.logger.error({ err }, 'could not start the outbound call in Temporal');
      return void res.status(503).json({ error: 'Temporal is unreachable; try again later' });
    }
    const workflowId = handle.workflowId;
    const result = handle.result();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), OUTBOUND_ANSWER_WAIT_MS)));
    try {
      const outcome = await Promise.race([result, timeout]);
      if (outcome === 'pending') {
        // The result is not needed any more; a rejection later must not become an unhandled one.
        result.catch(() => undefined);
        return void res.status(202).json({ workflowId });
      }
      res.json({ call_id: outcome.call_id, workflowId });
    } catch (err) {
      const type = err instanceof WorkflowFailedError ? applicationFailureOf(err.cause)?.type : undefined;
      const status = type === OUTBOUND_PARTY_NOT_FOUND ? 404 : type === OUTBOUND_NO_EXTENSION ? 422 : 502;
      const message = err instanceof WorkflowFailedError ? failureMessage(err.cause) : String(err);
      if (status === 502) deps.logger.error({ err, workflowId }, 'the outbound call failed');
      res.status(status).json({ error: message, workflowId });
    } finally {
      clearTimeout(timer);
    }
  });
  return router;
}
