import { Router } from 'express';

export type ReadinessCheck = () => Promise<void>;

/** `GET /health`: 200 when every dependency answers, 503 naming those that do not. */
export function healthRouter(checks: Record<string, ReadinessCheck>): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const entries = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await check();
          return [name, { ok: true }] as const;
        } catch (err) {
          return [name, { ok: false, error: err instanceof Error ? err.message : String(err) }] as const;
        }
      }),
    );
    const ready = entries.every(([, result]) => result.ok);
    const results: Record<string, { ok: boolean; error?: string }> = {};
    for (const [name, result] of entries) results[name] = result;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', checks: results });
  });
  return router;
}
