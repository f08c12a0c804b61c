import { Router } from 'express';
import { parseSelector } from '../../domain/y-context/selector';
import type { Logger } from '../../lib/logger';
import { YContextUnavailable, type YContextService } from '../y-context/service';

export interface YContextRouteDeps {
  yContext: YContextService;
  logger: Logger;
}

/**
 * `GET /y/context?phone=…|betnr=…|espo_id=…` (SPEC §2, §9), behind the API key: the party's profile for the AI
 * assistant. `400` for no, several or a malformed selector; `404` for no such party; `409` with the candidates when
 * a phone number (or betNr) belongs to several parties, so the assistant asks instead of guessing; `503` when EspoCRM
 * (or, for a phone number, Redis) does not answer. `X-Y-Context-Cache` says `hit`, `miss` (built and cached) or
 * `bypass` (built with a part unavailable, not cached).
 */
export function yContextRouter(deps: YContextRouteDeps): Router {
  const router = Router();
  router.get('/y/context', async (req, res) => {
    const parsed = parseSelector(req.query);
    if (!parsed.ok) return void res.status(400).json({ error: parsed.error });
    const { selector } = parsed;
    try {
      const resolved = await deps.yContext.resolve(selector);
      if (resolved.kind === 'notFound') return void res.status(404).json({ error: 'no party matches' });
      if (resolved.kind === 'ambiguous') {
        return void res.status(409).json({ error: `${resolved.candidates.length} parties match; ask which one`, candidates: resolved.candidates });
      }
      const answer = await deps.yContext.context(resolved.espoId);
      if (answer.kind === 'notFound') return void res.status(404).json({ error: 'no party matches' });
      res.set('Cache-Control', 'no-store').set('X-Y-Context-Cache', answer.cache).type('application/json').send(answer.json);
    } catch (err) {
      if (!(err instanceof YContextUnavailable)) throw err;
      deps.logger.error({ err, selector: selector.kind }, 'y context: a required source is unreachable');
      res.status(503).json({ error: `${err.system} is unreachable; try again later` });
    }
  });
  return router;
}
