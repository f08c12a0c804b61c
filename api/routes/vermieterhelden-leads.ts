import type { Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import express, { Router } from 'express';
import type { LeadDedupStore } from '../../clients/redis/lead-dedup';
import { leadRef, leadSubmitted, leadWorkflowId, type LeadSubmission, type LeadWorkflow } from '../../contracts/leads';
import { HubEntityId, HubEntityType } from '../../contracts/search-attributes';
import { maskValue } from '../../domain/contact-values';
import { toSubmission } from '../../domain/leads/normalise';
import { vermieterheldenWebhook } from '../../domain/leads/schema';
import type { Logger } from '../../lib/logger';
import {
  VERMIETERHELDEN_SECRET_HEADER,
  VERMIETERHELDEN_SIGNATURE_HEADER,
  verifyVermieterheldenSecret,
  verifyVermieterheldenSignature,
} from '../../lib/vermieterhelden-signature';
import { matchesApiKey } from '../middleware/api-key';
import { validationError } from '../validation';

/** A form submission is a few hundred bytes; anything near this is not one (`413`). */
const LEAD_BODY_LIMIT = '64kb';

export interface LeadGatewayDeps {
  /** VERMIETERHELDEN_WEBHOOK_SECRET; absent, only API keys are accepted. */
  secret: string | undefined;
  dedup: LeadDedupStore;
  /** LEAD_DEDUP_WINDOW_HOURS in seconds. */
  windowSeconds: number;
  client: Client;
  taskQueue: string;
  /** How long the webhook waits for Temporal before it answers 503 (WEBHOOK_TEMPORAL_DEADLINE_MS). */
  deadlineMs: number;
  /**
   * The gateway's clock, injected by tests: its time is then also sent as the instant of the office-hours decision.
   * Production leaves it out, and the workflow decides by its own time.
   */
  clock?: () => Date;
}

/**
 * `POST /api/leads/vermieterhelden` (SPEC §7): authenticate (signature, secret or API key), validate, normalise,
 * claim the dedup key in Redis, then signal-with-start `lead/<dedup key>`. `200` only once Temporal holds the
 * submission (SPEC §2); `503` when Redis or Temporal could not take it in time, so the site delivers it again (the
 * claim is repeat-safe: the retry finds the same key). Mounted before the JSON parser: the signature covers the raw bytes.
 */
export function vermieterheldenLeadsRouter(deps: { apiKeys: readonly string[]; logger: Logger; leads: LeadGatewayDeps }): Router {
  const router = Router();
  const { leads, logger } = deps;
  router.post('/api/leads/vermieterhelden', express.raw({ type: () => true, limit: LEAD_BODY_LIMIT }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const authentic =
      (leads.secret !== undefined &&
        (verifyVermieterheldenSignature(leads.secret, raw, req.get(VERMIETERHELDEN_SIGNATURE_HEADER)) ||
          verifyVermieterheldenSecret(leads.secret, req.get(VERMIETERHELDEN_SECRET_HEADER)))) ||
      matchesApiKey(req.get('x-api-key'), deps.apiKeys);
    if (!authentic) {
      return void res.status(401).json({ error: `invalid webhook signature (${VERMIETERHELDEN_SIGNATURE_HEADER}) or secret, and no valid API key` });
    }

    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return void res.status(400).json({ error: 'request body is not valid JSON' });
    }
    const parsed = vermieterheldenWebhook.safeParse(body);
    if (!parsed.success) return void res.status(400).json(validationError(parsed.error));

    const now = leads.clock?.() ?? new Date();
    const submission = toSubmission(parsed.data, now.toISOString(), leads.clock ? now.toISOString() : undefined);
    const deadline = Date.now() + leads.deadlineMs;
    try {
      const claim = await withDeadline(leads.dedup.claim(submission, leads.windowSeconds, now), deadline);
      const workflowId = leadWorkflowId(claim.dedupKey);
      await leads.client.workflow.withDeadline(deadline, () =>
        leads.client.workflow.signalWithStart<LeadWorkflow, [LeadSubmission]>(leadRef.workflowType, {
          workflowId,
          taskQueue: leads.taskQueue,
          args: [{ dedupKey: claim.dedupKey }],
          signal: leadSubmitted,
          signalArgs: [submission],
          typedSearchAttributes: new TypedSearchAttributes([
            { key: HubEntityType, value: 'Lead' },
            { key: HubEntityId, value: claim.dedupKey },
          ]),
        }),
      );
      logger.info(
        { workflowId, type: submission.type, duplicate: claim.existing, matchedBy: claim.matchedBy, email: maskValue(submission.email) },
        'Vermieterhelden lead handed to Temporal',
      );
      res.json({ accepted: true, workflowId, duplicate: claim.existing });
    } catch (err) {
      logger.error({ err, type: submission.type }, 'Vermieterhelden lead not recorded in time');
      res.status(503).json({ error: 'Redis or Temporal is unreachable or did not record the lead in time; deliver it again later' });
    }
  });
  return router;
}

/** Rejects when `promise` has not settled by `deadline` (epoch ms); the claim itself is repeat-safe. */
function withDeadline<T>(promise: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('deadline passed')), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
