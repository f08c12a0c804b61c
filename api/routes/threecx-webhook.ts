import express, { Router } from 'express';
import { z } from 'zod';
import type { CallerIndexStore, CallerMatch } from '../../clients/redis/caller-index';
import type { CallEventRequester } from '../../clients/temporal/call-events';
import type { StaffMember } from '../../config/env';
import type { CallEvent } from '../../contracts/calls';
import { THREECX_SIGNATURE_HEADER } from '../../contracts/threecx';
import { screenPop, type IndexedCaller, type ScreenPop } from '../../domain/calls/screen-pop';
import type { Logger } from '../../lib/logger';
import { verifyThreeCxSignature } from '../../lib/threecx-signature';
import { matchesApiKey } from '../middleware/api-key';
import { validationError } from '../validation';

/** What the 3CX routes need; `main.ts` builds it, tests pass their own. */
export interface ThreeCxGatewayDeps {
  /** `THREECX_WEBHOOK_SECRET`; without it only the hub's API key is accepted. */
  webhookSecret: string | undefined;
  /** Whether the 3CX API is configured (outbound calls need it; the webhook does not). */
  apiConfigured: boolean;
  callerIndex: Pick<CallerIndexStore, 'lookupWithContact'>;
  callEvents: Pick<CallEventRequester, 'record' | 'startOutbound' | 'deadlineMs'>;
  staff: readonly StaffMember[];
  /** EspoCRM's UI, for the screen pop's links. */
  espocrmSiteUrl: string;
}

export interface ThreeCxWebhookDeps {
  apiKeys: readonly string[];
  bodyLimit: string;
  logger: Logger;
  threecx: ThreeCxGatewayDeps | undefined;
}

// A Temporal workflow ID is built from it.
const callId = z.string().trim().min(1, 'must be a non-empty 3CX call id').max(200, 'is too long for a 3CX call id');
const text = z.string().trim().min(1, 'must be a non-empty string');
const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

const events = {
  'call.started': z.object({ event: z.literal('call.started'), call_id: callId, from: text, to: text, extension: text, started_at: instant }),
  'call.transferred': z.object({
    event: z.literal('call.transferred'),
    call_id: callId,
    from_extension: text,
    to_extension: text,
    transferred_at: instant,
  }),
  'call.ended': z.object({
    event: z.literal('call.ended'),
    call_id: callId,
    duration: z.number().int('must be whole seconds').min(0, 'must not be negative'),
    outcome: z.enum(['answered', 'missed']).optional(),
    recording_url: z.url('must be a URL').optional(),
  }),
} as const;
type EventName = keyof typeof events;
const EVENT_NAMES = Object.keys(events) as EventName[];

/**
 * `POST /3cx/webhook` (SPEC §8): 3CX's call events. Each is handed to `call/<call id>` by signal-with-start before the
 * answer (a 2xx means Temporal holds it, SPEC §2; 503 when it could not in time, so 3CX delivers again). For
 * `call.started` the answer is the screen pop, from the caller index in Redis alone: no EspoCRM or Advoware call on
 * this path. Mounted before the JSON parser: the signature covers the raw bytes.
 */
export function threecxWebhookRouter(deps: ThreeCxWebhookDeps): Router {
  const router = Router();
  router.post('/3cx/webhook', express.raw({ type: () => true, limit: deps.bodyLimit }), async (req, res) => {
    const threecx = deps.threecx;
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signed = threecx?.webhookSecret !== undefined && verifyThreeCxSignature(threecx.webhookSecret, raw, req.get(THREECX_SIGNATURE_HEADER));
    if (!signed && !matchesApiKey(req.get('x-api-key'), deps.apiKeys)) {
      return void res.status(401).json({ error: `invalid webhook signature (${THREECX_SIGNATURE_HEADER}) and no valid API key` });
    }
    if (!threecx) return void res.status(503).json({ error: '3CX call handling is not set up in this gateway' });

    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return void res.status(400).json({ error: 'request body is not valid JSON' });
    }
    const name = typeof body === 'object' && body !== null ? (body as { event?: unknown }).event : undefined;
    if (typeof name !== 'string' || !(EVENT_NAMES as string[]).includes(name)) {
      return void res.status(400).json({ error: `unknown event type ${JSON.stringify(name ?? null)}; expected ${EVENT_NAMES.join(', ')}` });
    }
    const parsed = events[name as EventName].safeParse(body);
    if (!parsed.success) return void res.status(400).json(validationError(parsed.error));

    const receivedAt = new Date().toISOString();
    const deadline = Date.now() + threecx.callEvents.deadlineMs;
    const data = parsed.data;
    let event: CallEvent;
    let pop: ScreenPop | undefined;
    if (data.event === 'call.started') {
      const callers = await lookupCaller(threecx, data.from, deps.logger);
      pop = callers && screenPop(callers, threecx.staff, threecx.espocrmSiteUrl);
      event = {
        kind: 'started',
        callId: data.call_id,
        direction: 'inbound',
        from: data.from,
        to: data.to,
        extension: data.extension,
        startedAt: data.started_at,
        // The workflow links the call to these, so it needs no second lookup.
        parties: (callers ?? []).map(({ lastContact: _lastContact, ...party }) => party),
        receivedAt,
      };
    } else if (data.event === 'call.transferred') {
      event = {
        kind: 'transferred',
        callId: data.call_id,
        fromExtension: data.from_extension,
        toExtension: data.to_extension,
        transferredAt: data.transferred_at,
        receivedAt,
      };
    } else {
      event = {
        kind: 'ended',
        callId: data.call_id,
        duration: data.duration,
        ...(data.outcome !== undefined && { outcome: data.outcome }),
        ...(data.recording_url !== undefined && { recordingUrl: data.recording_url }),
        receivedAt,
      };
    }

    let workflowId: string;
    try {
      workflowId = await threecx.callEvents.record(event, deadline);
    } catch (err) {
      deps.logger.error({ err, event: data.event, callId: data.call_id }, 'Temporal did not record the 3CX event in time');
      return void res.status(503).json({ error: 'Temporal is unreachable or did not record the event in time; deliver it again later' });
    }
    if (data.event === 'call.started') {
      const answer = pop ?? { ...screenPop([], threecx.staff, threecx.espocrmSiteUrl), lookupFailed: true };
      return void res.json({ recorded: true, workflowId, ...answer });
    }
    res.status(202).json({ recorded: true, workflowId });
  });
  return router;
}

/**
 * Every party on the number, with its last contact (one Redis round trip). Undefined when Redis failed: the event is
 * still recorded (the call gets logged, unlinked) and the screen pop says the lookup failed rather than "unknown".
 */
async function lookupCaller(threecx: ThreeCxGatewayDeps, from: string, logger: Logger): Promise<IndexedCaller[] | undefined> {
  try {
    const { matches } = await threecx.callerIndex.lookupWithContact(from);
    return matches.map((m: CallerMatch) => ({
      // Leads are in the index too (a lead calling back); the record and the link follow the source.
      entityType: m.source === 'lead' ? 'Lead' : 'CBeteiligte',
      espoId: m.espoId,
      name: m.name,
      betNr: m.betNr,
      assignedUserId: m.assignedUserId,
      lastContact: m.lastContact,
    }));
  } catch (err) {
    logger.error({ err }, 'caller index lookup failed; answering without a screen pop');
    return undefined;
  }
}
