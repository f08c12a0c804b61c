import { FaultInjector, type FaultRule, type FaultSpec } from '../core/simulator';
import { genericErrorBody, googleErrorBody } from './errors';

export type RateLimitKind = '403' | '429';

export interface RateLimitSpec {
  /** `403` is Calendar's usual answer (usageLimits/rateLimitExceeded); `429` is the generic one. */
  kind: RateLimitKind;
  /** How many calls are rejected; unlimited when absent. */
  times?: number;
  /** Only this HTTP method; any when absent. */
  method?: string;
  /** Regular expression on the path; every Calendar API path when absent. */
  path?: string;
  /** `userRateLimitExceeded` is what per-user quotas report; `rateLimitExceeded` when absent. */
  reason?: 'rateLimitExceeded' | 'userRateLimitExceeded';
}

const API_PATHS = '^/calendar/v3/';

/** The fault that makes matching calls answer like Google's rate limiter. */
export function rateLimitFault(spec: RateLimitSpec): FaultSpec {
  const reason = spec.reason ?? 'rateLimitExceeded';
  const message = reason === 'rateLimitExceeded' ? 'Rate Limit Exceeded' : 'User Rate Limit Exceeded';
  const status = spec.kind === '429' ? 429 : 403;
  const fault: FaultSpec = {
    path: spec.path ?? API_PATHS,
    status,
    body: googleErrorBody(status, message, reason, {
      domain: 'usageLimits',
      ...(status === 429 ? { status: 'RESOURCE_EXHAUSTED' } : {}),
    }),
  };
  if (spec.times !== undefined) fault.times = spec.times;
  if (spec.method !== undefined) fault.method = spec.method;
  return fault;
}

export function parseRateLimitSpec(body: unknown): RateLimitSpec {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const kind = b.kind === undefined ? '403' : typeof b.kind === 'string' || typeof b.kind === 'number' ? String(b.kind) : '';
  if (kind !== '403' && kind !== '429') throw new Error('kind must be "403" or "429"');
  const spec: RateLimitSpec = { kind };
  if (typeof b.times === 'number') spec.times = b.times;
  if (typeof b.method === 'string') spec.method = b.method;
  if (typeof b.path === 'string') spec.path = b.path;
  if (b.reason === 'rateLimitExceeded' || b.reason === 'userRateLimitExceeded') spec.reason = b.reason;
  return spec;
}

/**
 * The base injector answers a fault without a body with `{error: "injected fault …"}`;
 * Google clients parse `error.errors[0].reason`, so every fault gets Google's envelope instead.
 */
export class GoogleFaultInjector extends FaultInjector {
  override add(spec: FaultSpec): FaultRule {
    if (spec.status === undefined || spec.body !== undefined) return super.add(spec);
    return super.add({ ...spec, body: genericErrorBody(spec.status) });
  }
}
