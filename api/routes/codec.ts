import express, { Router, type RequestHandler } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Logger } from '../../lib/logger';
import { matchesApiKey, requireApiKey } from '../middleware/api-key';

/**
 * Temporal's remote codec protocol (`POST /encode`, `POST /decode`, JSON `{payloads: [{metadata: {k: base64}, data:
 * base64}]}`), so the temporal CLI and the Web UI show the hub's encrypted payloads decoded:
 *
 * - `/codec/{encode,decode}`: the API key as `X-API-Key` or `Authorization: Bearer <key>` (the CLI's
 *   `--codec-endpoint <gateway>/codec --codec-auth 'Bearer <key>'`).
 * - `/codec/ui/<HUB_CODEC_UI_TOKEN>/decode`: for the Web UI, which fetches from the operator's browser and can send
 *   no API key (only the token of its own OIDC login); decode only, and only when the token is configured.
 *
 * CORS admits the Web UI's origins only; the UI sends `X-Namespace` (ignored: the hub has one key set for all).
 */
export interface CodecRouteDeps {
  apiKeys: readonly string[];
  codec: PayloadCodec;
  /** Origins allowed to call from a browser (HUB_CODEC_CORS_ORIGINS). */
  corsOrigins: readonly string[];
  /** HUB_CODEC_UI_TOKEN; the UI route answers 404 without it. */
  uiToken?: string;
  logger: Logger;
}

/** Temporal's limit of one payload is 2 MB and the CLI sends a whole page of history at once. */
const CODEC_BODY_LIMIT = '4mb';

const ALLOWED_HEADERS = 'authorization, content-type, x-namespace, x-api-key';

export function codecRouter(deps: CodecRouteDeps): Router {
  const router = Router();
  router.use('/codec', cors(deps.corsOrigins));
  router.use('/codec', express.json({ limit: CODEC_BODY_LIMIT }));
  const apiKey = requireApiKey(deps.apiKeys);
  router.post('/codec/encode', apiKey, run(deps, 'encode'));
  router.post('/codec/decode', apiKey, run(deps, 'decode'));
  router.post(
    '/codec/ui/:token/decode',
    (req, res, next) => {
      const { token } = req.params as { token: string };
      if (deps.uiToken && matchesApiKey(token, [deps.uiToken])) return next();
      res.status(404).json({ error: `no route ${req.method} /codec/ui/…/decode` });
    },
    run(deps, 'decode'),
  );
  return router;
}

/** Answers preflights from the allowed origins (403 for others) and marks the allowed ones' responses readable. */
function cors(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.get('origin');
    res.vary('Origin');
    const ok = origin !== undefined && allowed.has(origin);
    if (ok) {
      res.set('Access-Control-Allow-Origin', origin);
      res.set('Access-Control-Allow-Credentials', 'true');
    }
    if (req.method !== 'OPTIONS') return next();
    if (!ok) return void res.status(403).json({ error: `origin ${origin ?? '(none)'} may not call /codec (HUB_CODEC_CORS_ORIGINS)` });
    res.set('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.set('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}

function run(deps: CodecRouteDeps, direction: 'encode' | 'decode'): RequestHandler {
  return async (req, res) => {
    const parsed = parseBody(req.body);
    if (typeof parsed === 'string') return void res.status(400).json({ error: parsed });
    let out: Payload[];
    try {
      out = direction === 'encode' ? await deps.codec.encode(parsed) : await deps.codec.decode(parsed);
    } catch (err) {
      // An unknown key id or a tampered payload: the caller's input, named without any payload content.
      const message = err instanceof Error ? err.message : String(err);
      deps.logger.warn({ direction, err: message }, 'codec request failed');
      return void res.status(422).json({ error: message });
    }
    res.json({ payloads: out.map(toJson) });
  };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function bytes(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'string' || !BASE64.test(value)) return undefined;
  return new Uint8Array(Buffer.from(value, 'base64'));
}

/** The protocol's JSON into payloads, or what is wrong with it. */
function parseBody(body: unknown): Payload[] | string {
  const usage = 'body must be {"payloads": [{"metadata": {...}, "data": "<base64>"}]}';
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return usage;
  // The temporal CLI (Go) leaves an empty list out: `{}` is a request with no payloads.
  const list = (body as { payloads?: unknown }).payloads ?? [];
  if (!Array.isArray(list)) return usage;
  const payloads: Payload[] = [];
  for (const [index, item] of list.entries()) {
    if (typeof item !== 'object' || item === null) return `payloads[${index}] is not an object`;
    const { metadata = {}, data = '' } = item as { metadata?: unknown; data?: unknown };
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return `payloads[${index}].metadata is not an object`;
    const decodedData = bytes(data);
    if (!decodedData) return `payloads[${index}].data is not base64`;
    const decodedMetadata: Record<string, Uint8Array> = {};
    for (const [key, value] of Object.entries(metadata)) {
      const decoded = bytes(value);
      if (!decoded) return `payloads[${index}].metadata.${key} is not base64`;
      decodedMetadata[key] = decoded;
    }
    payloads.push({ metadata: decodedMetadata, data: decodedData });
  }
  return payloads;
}

function toJson(payload: Payload): { metadata: Record<string, string>; data: string } {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload.metadata ?? {})) {
    if (value) metadata[key] = Buffer.from(value).toString('base64');
  }
  return { metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') };
}
