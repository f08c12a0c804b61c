import type { Redis } from 'ioredis';
import type { ThreeCxConfig } from '../../config/env';
import {
  THREECX_API_KEY_HEADER,
  type CallRecording,
  type CallStatus,
  type InitiateCallRequest,
  type InitiateCallResponse,
} from '../../contracts/threecx';
import { keepAlive, noCallScope, type CallScopeProvider } from '../../lib/call-scope';
import { RedisTokenBucket, type RateLimiter } from '../../lib/rate-limiter';
import { externalFailure, parseRetryAfter } from '../errors';
import { failForStatus, isSuccess, sendHttp, type HttpRequest, type HttpResponse } from '../http';

/** One bucket for the whole hub: 3CX limits the API key, not a process. */
export const THREECX_RATE_LIMIT_KEY = 'threecx_rate';

export interface ThreeCxClientOptions {
  /** `THREECX_API_BASE_URL`, ending in `/api/v1`. */
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  /** Paces every request; shared through Redis in production so all workers together stay under 3CX's limit. */
  limiter: RateLimiter;
  /** Pause imposed on every worker after a 429 without Retry-After. */
  rateLimitPauseMs?: number;
  /** The caller's cancellation and heartbeat, asked for at every request; none by default. */
  scope?: CallScopeProvider;
}

/**
 * The 3CX call-control API (SPEC §8). Failures are the hub's classified `ThreeCx<Kind>` ones: a rejected key is
 * `AuthenticationFailed` (a static key does not get better by retrying), a 429 is `RateLimited` with 3CX's
 * Retry-After as the next retry delay, after the shared limiter was told to pause everyone.
 */
export class ThreeCxClient {
  private readonly baseUrl: string;

  constructor(private readonly options: ThreeCxClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async initiateCall(request: InitiateCallRequest): Promise<InitiateCallResponse> {
    const body = await this.call('POST', 'calls/initiate', request);
    const callId = (body as Partial<InitiateCallResponse> | undefined)?.call_id;
    if (typeof callId !== 'string' || callId === '') throw this.malformed('POST', 'calls/initiate', 'no call_id');
    return { call_id: callId };
  }

  async callStatus(callId: string): Promise<CallStatus> {
    const path = `calls/${encodeURIComponent(callId)}/status`;
    const body = await this.call('GET', path);
    if (typeof (body as Partial<CallStatus> | undefined)?.status !== 'string') throw this.malformed('GET', path, 'no status');
    return body as CallStatus;
  }

  async recording(callId: string): Promise<CallRecording> {
    const path = `calls/${encodeURIComponent(callId)}/recording`;
    const body = (await this.call('GET', path)) as Partial<CallRecording> | undefined;
    if (typeof body?.url !== 'string' || typeof body.duration !== 'number') throw this.malformed('GET', path, 'no url and duration');
    return { url: body.url, duration: body.duration };
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const scope = (this.options.scope ?? noCallScope)();
    const request: HttpRequest = {
      method,
      url: `${this.baseUrl}/${path}`,
      displayPath: path,
      body,
      timeoutMs: this.options.timeoutMs,
      headers: { [THREECX_API_KEY_HEADER]: this.options.apiKey },
      signal: scope.signal,
    };
    // Unlike Google's, the request goes out right after its grant (no token to fetch first), so no grant expiry check.
    await this.options.limiter.acquire(scope);
    const stopHeartbeats = keepAlive(scope);
    let res: HttpResponse;
    try {
      res = await sendHttp('ThreeCx', request);
    } finally {
      stopHeartbeats();
    }
    if (isSuccess(res.status)) return res.body;
    if (res.status === 401) {
      throw externalFailure({ system: 'ThreeCx', kind: 'AuthenticationFailed', status: 401, method, path }, 'API key rejected (HTTP 401)');
    }
    if (res.status === 429) {
      // Best effort: a Redis failure here must not replace the ThreeCxRateLimited failure Temporal should see.
      const pauseMs = parseRetryAfter(res.headers.get('retry-after')) ?? this.options.rateLimitPauseMs ?? 10_000;
      await this.options.limiter.backOff(pauseMs).catch(() => undefined);
    }
    return failForStatus('ThreeCx', request, res);
  }

  private malformed(method: string, path: string, what: string) {
    return externalFailure({ system: 'ThreeCx', kind: 'ServerError', method, path }, `unexpected answer: ${what}`);
  }
}

/** Whether 3CX is configured at all; telephony is optional (SPEC §8). */
export function threecxConfigured(config: ThreeCxConfig): config is ThreeCxConfig & { THREECX_API_BASE_URL: string; THREECX_API_KEY: string } {
  return config.THREECX_API_BASE_URL !== undefined && config.THREECX_API_KEY !== undefined;
}

/** The production wiring: the configured API, paced by the Redis bucket shared by every worker process. */
export function createThreeCxClient(config: ThreeCxConfig, redis: Redis, scope: CallScopeProvider = noCallScope): ThreeCxClient {
  if (!threecxConfigured(config)) throw new Error('3CX is not configured: set THREECX_API_BASE_URL and THREECX_API_KEY');
  const limiter = new RedisTokenBucket(redis, {
    key: THREECX_RATE_LIMIT_KEY,
    ratePerMinute: config.THREECX_RATE_PER_MINUTE,
    burst: config.THREECX_BURST,
  });
  return new ThreeCxClient({
    baseUrl: config.THREECX_API_BASE_URL,
    apiKey: config.THREECX_API_KEY,
    timeoutMs: config.THREECX_TIMEOUT_MS,
    limiter,
    scope,
  });
}
