import type { RequestHandler } from 'express';
import type { Logger } from '../../lib/logger';
import type { GatewayMetrics } from '../../lib/metrics';

/** One JSON log line and one histogram sample per request, keyed by the route pattern (not the raw path). */
export function requestLog(logger: Logger, metrics: GatewayMetrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (req.route as { path?: string } | undefined)?.path;
      const label = route ? `${req.baseUrl}${route}` : 'unmatched';
      metrics.httpRequests.observe({ method: req.method, route: label, status: String(res.statusCode) }, seconds);
      if (req.path === '/health' || req.path === '/metrics') return;
      logger.info({ method: req.method, route: label, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
    });
    next();
  };
}
