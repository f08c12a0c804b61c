import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../../lib/logger';

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: `no route ${req.method} ${req.path}` });
};

/** Body-parser failures keep their status (413 too large, 400 bad JSON); anything else is a 500 without internals. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const e = err as { status?: number; type?: string; message?: string };
    if (e.type === 'entity.too.large') return void res.status(413).json({ error: 'request body too large' });
    if (e.type === 'entity.parse.failed') return void res.status(400).json({ error: 'request body is not valid JSON' });
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      return void res.status(e.status).json({ error: e.message ?? 'bad request' });
    }
    logger.error({ err, method: req.method, path: req.path }, 'unhandled gateway error');
    res.status(500).json({ error: 'internal error' });
  };
}
