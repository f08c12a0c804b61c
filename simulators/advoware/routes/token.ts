import type { Express } from 'express';
import type { AdvowareContext } from './context.js';

/** In production this lives on a separate host (security.advo-net.net); the simulator serves it beside the API. */
export function registerTokenRoute(app: Express, ctx: AdvowareContext): void {
  app.post('/api/v1/Token', (req, res) => {
    const outcome = ctx.tokens.request(req.body);
    res.status(outcome.status).json(outcome.body);
  });
}
