import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AdvowareClient, QueryValue } from '../../clients/advoware/client';
import { failureDetails } from '../../clients/errors';
import type { Logger } from '../../lib/logger';
import type { GatewayMetrics } from '../../lib/metrics';
import { checkProxyPath } from '../proxy-path';
import { validationError } from '../validation';

const proxyQuery = z
  .looseObject({
    path: z.string().optional(),
    endpoint: z.string().optional(),
  })
  .refine((q) => q.path !== undefined || q.endpoint !== undefined, {
    message: 'query parameter "path" (or its alias "endpoint") is required',
    path: ['path'],
  });

const RESERVED_PARAMS = new Set(['path', 'endpoint']);

/** `GET/POST/PUT/DELETE /advoware/proxy?path=…` — Advoware's own status and body, with the hub's token. */
export function advowareProxyRouter(deps: { advoware: AdvowareClient; advowareBaseUrl: string; logger: Logger; metrics: GatewayMetrics }): Router {
  const router = Router();
  const handle = async (req: Request, res: Response) => {
    const parsed = proxyQuery.safeParse(req.query);
    if (!parsed.success) return void res.status(400).json(validationError(parsed.error));
    const rawPath = parsed.data.path ?? parsed.data.endpoint;
    if (typeof rawPath !== 'string') {
      return void res.status(400).json({ error: 'query parameter "path" must be given once' });
    }
    const checked = checkProxyPath(rawPath, deps.advowareBaseUrl);
    if (!checked.ok) return void res.status(400).json({ error: `invalid path: ${checked.reason}` });

    const query: Record<string, QueryValue> = {};
    for (const [key, value] of Object.entries(req.query)) {
      if (RESERVED_PARAMS.has(key)) continue;
      if (typeof value === 'string') query[key] = value;
      else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) query[key] = value;
      else return void res.status(400).json({ error: `query parameter "${key}" must be a plain value` });
    }
    const body: unknown = req.method === 'POST' || req.method === 'PUT' ? req.body : undefined;

    try {
      const answer = await deps.advoware.request(req.method, checked.path, { query, body });
      deps.metrics.advowareProxyCalls.inc({ method: req.method, status: String(answer.status) });
      const contentType = answer.headers.get('content-type');
      if (contentType) res.type(contentType);
      res.status(answer.status);
      if (answer.body === undefined) res.end();
      else if (typeof answer.body === 'string') res.send(answer.body);
      else res.json(answer.body);
    } catch (err) {
      const details = failureDetails(err);
      deps.metrics.advowareProxyCalls.inc({ method: req.method, status: details?.kind ?? 'error' });
      deps.logger.warn({ err, path: checked.path, method: req.method }, 'Advoware proxy call failed');
      if (details?.kind === 'Timeout') return void res.status(504).json({ error: 'Advoware did not answer in time' });
      if (details?.phase === 'token') {
        return void res.status(502).json({ error: `Advoware authentication failed (${details.kind})` });
      }
      res.status(502).json({ error: 'Advoware is unreachable' });
    }
  };
  router.get('/advoware/proxy', handle);
  router.post('/advoware/proxy', handle);
  router.put('/advoware/proxy', handle);
  router.delete('/advoware/proxy', handle);
  return router;
}
