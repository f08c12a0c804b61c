import { randomUUID } from 'node:crypto';
import type { Express, NextFunction, Request, Response, Router } from 'express';
import { THREECX_API_KEY_HEADER, type CallOutcome, type CallRecording, type CallStatus, type ThreeCxWebhookEvent } from '../../contracts/threecx';
import { Simulator } from '../core/simulator';
import { SlidingWindowLimit } from './rate-window';
import { deliverEvent, type WebhookDelivery } from './webhook';

export type { WebhookDelivery } from './webhook';

/** The API's path prefix; `THREECX_API_BASE_URL` ends in it, like 3CX's `https://<host>/api/v1/`. */
export const THREECX_API_PREFIX = '/api/v1';

export interface ThreeCxSimulatorOptions {
  /** The only key the API accepts (401 otherwise). */
  apiKey: string;
  /** Key of the HMAC-SHA256 signature of every webhook (`X-3CX-Signature`). */
  webhookSecret: string;
  /** Where inbound-call events go; settable later (`setWebhookUrl`, `PUT /__admin/webhook`) or per call. */
  webhookUrl?: string;
  /** Requests per key and window (SPEC §8: about 60 a minute). */
  rateLimit?: number;
  rateWindowMs?: number;
  /** How long one webhook delivery may take before it counts as failed. */
  webhookTimeoutMs?: number;
  /** Source of timestamps and of the rate window; the system clock when absent. */
  clock?: () => Date;
}

export interface InboundCallInput {
  /** The caller's number. */
  from: string;
  /** The firm's number that was dialled. */
  to: string;
  extension: string;
  /** Missed when false: `call.ended` with duration 0, outcome `missed` and no recording. */
  answered?: boolean;
  /** Seconds talked when answered; 60 when absent. */
  duration?: number;
  /** Extension the call is transferred to (sends `call.transferred` between started and ended). */
  transferTo?: string;
  /** Whether an answered call is recorded; true when absent. */
  recorded?: boolean;
  /** Overrides the configured webhook URL for this call. */
  webhookUrl?: string;
}

export interface InboundCallResult {
  call_id: string;
  /** The hub's answers, in the order the events were sent; the first is the screen pop for `call.started`. */
  deliveries: WebhookDelivery[];
}

interface StoredCall {
  status: CallStatus;
  recording?: CallRecording;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The 3CX call-control API (SPEC §8) under `/api/v1`: API-key auth, outbound calls with status and recording,
 * a sliding-window rate limit per key (429 with Retry-After), and an admin endpoint that plays an inbound call
 * against the hub's webhook, returning the hub's answers so a test sees the screen pop.
 */
export class ThreeCxSimulator extends Simulator {
  private readonly options: ThreeCxSimulatorOptions;
  private readonly limit: SlidingWindowLimit;
  private readonly clock: () => Date;
  private webhookUrl: string | undefined;
  private store = new Map<string, StoredCall>();

  constructor(options: ThreeCxSimulatorOptions) {
    super('threecx');
    this.options = options;
    this.clock = options.clock ?? (() => new Date());
    this.limit = new SlidingWindowLimit(options.rateLimit ?? 60, options.rateWindowMs ?? 60_000);
    this.webhookUrl = options.webhookUrl;
  }

  protected registerRoutes(app: Express): void {
    app.use(THREECX_API_PREFIX, (req, res, next) => this.authorize(req, res, next));
    app.post(`${THREECX_API_PREFIX}/calls/initiate`, (req, res) => {
      this.handle(res, () => {
        const body = (req.body ?? {}) as Record<string, unknown>;
        const from = requiredString(body, 'from_extension');
        const to = requiredString(body, 'to');
        const id = this.addCall({ direction: 'outbound', from, to, extension: from });
        return { call_id: id };
      });
    });
    app.get(`${THREECX_API_PREFIX}/calls/:id/status`, (req, res) => {
      this.handle(res, () => this.existing(req.params.id).status);
    });
    app.get(`${THREECX_API_PREFIX}/calls/:id/recording`, (req, res) => {
      this.handle(res, () => {
        const recording = this.existing(req.params.id).recording;
        if (!recording) throw new HttpError(404, `call ${req.params.id} has no recording`);
        return recording;
      });
    });
    app.get(`${THREECX_API_PREFIX}/recordings/:file`, (_req, res) => {
      // A stand-in body: the hub stores the URL and duration, it never plays the audio.
      res.type('audio/wav').send(Buffer.from('RIFF'));
    });
  }

  protected override registerAdminRoutes(admin: Router): void {
    admin.put('/webhook', (req, res) => {
      const url = (req.body as { url?: unknown } | undefined)?.url;
      if (typeof url !== 'string' || !URL.canParse(url)) return void res.status(400).json({ error: 'url must be an absolute URL' });
      this.setWebhookUrl(url);
      res.status(204).end();
    });
    admin.post('/inbound-call', (req, res) => {
      let input: InboundCallInput;
      try {
        input = parseInboundCall(req.body);
      } catch (err) {
        return void res.status(400).json({ error: err instanceof Error ? err.message : String(err) });
      }
      this.playInboundCall(input).then(
        (result) => res.json(result),
        (err: unknown) => res.status(err instanceof HttpError ? err.status : 500).json({ error: err instanceof Error ? err.message : String(err) }),
      );
    });
    admin.post('/calls/:id/answer', (req, res) => {
      this.handle(res, () => this.answerCall(req.params.id));
    });
    admin.post('/calls/:id/end', (req, res) => {
      this.handle(res, () => {
        const body = (req.body ?? {}) as { answered?: unknown; duration?: unknown };
        return this.endCall(req.params.id, {
          answered: body.answered !== false,
          duration: typeof body.duration === 'number' ? body.duration : undefined,
        });
      });
    });
  }

  protected resetData(): void {
    this.store = new Map();
    this.limit.reset();
    this.webhookUrl = this.options.webhookUrl;
  }

  setWebhookUrl(url: string): void {
    this.webhookUrl = url;
  }

  getCall(callId: string): CallStatus | undefined {
    const call = this.store.get(callId);
    return call ? structuredClone(call.status) : undefined;
  }

  /** The callee (or the employee) picked up. */
  answerCall(callId: string): CallStatus {
    const call = this.existing(callId);
    if (call.status.status === 'ringing') call.status.status = 'connected';
    return structuredClone(call.status);
  }

  /** Ends a call; an answered one (unless `recorded` is false) gets a recording of `duration` seconds. */
  endCall(callId: string, options: { answered?: boolean; duration?: number; recorded?: boolean } = {}): CallStatus {
    const call = this.existing(callId);
    if (call.status.status === 'ended') throw new HttpError(409, `call ${callId} has already ended`);
    const answered = options.answered ?? call.status.status === 'connected';
    const outcome: CallOutcome = answered ? 'answered' : 'missed';
    const duration = answered ? (options.duration ?? 60) : 0;
    call.status = { ...call.status, status: 'ended', outcome, duration, ended_at: this.clock().toISOString() };
    if (answered && options.recorded !== false) call.recording = { url: `${this.url}${THREECX_API_PREFIX}/recordings/${callId}.wav`, duration };
    return structuredClone(call.status);
  }

  /**
   * Plays an inbound call against the hub: `call.started`, then `call.transferred` when asked, then `call.ended`,
   * each signed and sent after the previous one was answered (as a PBX would). Fails (409) without a webhook URL.
   */
  async playInboundCall(input: InboundCallInput): Promise<InboundCallResult> {
    const url = input.webhookUrl ?? this.webhookUrl;
    if (!url) throw new HttpError(409, 'no webhook URL configured (PUT /__admin/webhook or webhookUrl in the request)');
    const callId = this.addCall({ direction: 'inbound', from: input.from, to: input.to, extension: input.extension });
    const send = (event: ThreeCxWebhookEvent) => deliverEvent(url, this.options.webhookSecret, event, this.options.webhookTimeoutMs ?? 5_000);
    const started = this.existing(callId).status.started_at;
    const deliveries = [
      await send({ event: 'call.started', call_id: callId, from: input.from, to: input.to, extension: input.extension, started_at: started }),
    ];
    const answered = input.answered !== false;
    if (answered) this.answerCall(callId);
    if (input.transferTo !== undefined) {
      const call = this.existing(callId);
      const transfer = { from_extension: call.status.extension, to_extension: input.transferTo };
      call.status.extension = input.transferTo;
      deliveries.push(await send({ event: 'call.transferred', call_id: callId, ...transfer, transferred_at: this.clock().toISOString() }));
    }
    const ended = this.endCall(callId, { answered, duration: input.duration, recorded: input.recorded });
    const recording = this.store.get(callId)?.recording;
    deliveries.push(
      await send({
        event: 'call.ended',
        call_id: callId,
        duration: ended.duration ?? 0,
        outcome: ended.outcome ?? 'missed',
        ...(recording ? { recording_url: recording.url } : {}),
      }),
    );
    return { call_id: callId, deliveries };
  }

  private addCall(parties: Pick<CallStatus, 'direction' | 'from' | 'to' | 'extension'>): string {
    const id = randomUUID();
    this.store.set(id, { status: { call_id: id, ...parties, status: 'ringing', started_at: this.clock().toISOString() } });
    return id;
  }

  private existing(callId: string): StoredCall {
    const call = this.store.get(callId);
    if (!call) throw new HttpError(404, `no call ${callId}`);
    return call;
  }

  /** API key first (a stranger's requests must not use up the key's allowance), then the key's rate limit. */
  private authorize(req: Request, res: Response, next: NextFunction): void {
    const key = req.get(THREECX_API_KEY_HEADER);
    if (key !== this.options.apiKey) {
      res.status(401).json({ error: 'invalid or missing API key' });
      return;
    }
    const waitMs = this.limit.take(key, this.clock().getTime());
    if (waitMs !== undefined) {
      res
        .status(429)
        .set('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))))
        .json({ error: `rate limit of ${this.limit.limit} requests per ${this.limit.windowMs / 1000} s exceeded` });
      return;
    }
    next();
  }

  private handle(res: Response, produce: () => unknown): void {
    try {
      res.json(produce());
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      res.status(err.status).json({ error: err.message });
    }
  }
}

function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '') throw new HttpError(400, `${field} is required`);
  return value;
}

function parseInboundCall(body: unknown): InboundCallInput {
  if (typeof body !== 'object' || body === null) throw new Error('inbound call must be a JSON object');
  const b = body as Record<string, unknown>;
  const text = (field: string): string | undefined => {
    const value = b[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') throw new Error(`${field} must be a non-empty string`);
    return value;
  };
  const from = text('from');
  const to = text('to');
  const extension = text('extension');
  if (from === undefined || to === undefined || extension === undefined) throw new Error('from, to and extension are required');
  const input: InboundCallInput = { from, to, extension };
  if (b.answered !== undefined) input.answered = b.answered !== false;
  if (typeof b.duration === 'number' && b.duration >= 0) input.duration = b.duration;
  if (b.recorded !== undefined) input.recorded = b.recorded !== false;
  const transferTo = text('transfer_to');
  if (transferTo !== undefined) input.transferTo = transferTo;
  const webhookUrl = text('webhook_url');
  if (webhookUrl !== undefined) input.webhookUrl = webhookUrl;
  return input;
}
