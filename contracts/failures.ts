import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure } from '@temporalio/common';

/** External systems the hub calls; part of every failure's type so operators see at once who failed. */
export type ExternalSystem = 'Advoware' | 'EspoCrm' | 'Google' | 'ThreeCx';

/** What went wrong, independent of the system. The failure type is `${system}${kind}`, e.g. `AdvowareNotFound`. */
export const FAILURE_KINDS = [
  'BadRequest',
  'Unauthorized',
  /** Rejected login (wrong credentials or key); unlike an expired token, a retry cannot fix it. */
  'AuthenticationFailed',
  'Forbidden',
  'NotFound',
  'Conflict',
  'ClientError',
  'RateLimited',
  'ServerError',
  'Timeout',
  'Unavailable',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export function failureType(system: ExternalSystem, kind: FailureKind): string {
  return `${system}${kind}`;
}

/**
 * The ApplicationFailure behind `err`: Temporal wraps an activity's or a child workflow's failure in an
 * ActivityFailure or ChildWorkflowFailure, and the classified failure is its cause.
 */
export function applicationFailureOf(err: unknown): ApplicationFailure | undefined {
  let current: unknown = err;
  while (current instanceof ActivityFailure || current instanceof ChildWorkflowFailure) current = current.cause;
  return current instanceof ApplicationFailure ? current : undefined;
}

/** Whether `err` is (or wraps) the classified failure of `system`, and of `kind` when given. */
export function isFailure(err: unknown, system: ExternalSystem, kind?: FailureKind): boolean {
  const type = applicationFailureOf(err)?.type;
  if (!type) return false;
  return kind ? type === failureType(system, kind) : FAILURE_KINDS.some((k) => type === failureType(system, k));
}

/** A failure that waiting cannot heal (validation, 403, 404, wrong credentials): no slow retries for it. */
export function isPermanentFailure(err: unknown): boolean {
  return applicationFailureOf(err)?.nonRetryable === true;
}

/** One line for a status field, a notification or a result: `<type>: <message>` for classified failures. */
export function failureMessage(err: unknown): string {
  const failure = applicationFailureOf(err);
  if (failure) return failure.type ? `${failure.type}: ${failure.message}` : failure.message;
  let current: unknown = err;
  while ((current instanceof ActivityFailure || current instanceof ChildWorkflowFailure) && current.cause) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

/** What an operator needs to know about a failure at a glance: which system, which call, which answer. */
export interface RootCause {
  /** `<System><Kind>`, e.g. `GoogleRateLimited`; the failure's own type, or `Error` for an unclassified one. */
  type: string;
  system?: ExternalSystem;
  kind?: FailureKind;
  /** The activity (one per external call) that failed, e.g. `googleListEvents`. */
  call?: string;
  /** The HTTP status the system answered with, when it answered. */
  httpStatus?: number;
  message: string;
}

/** The root cause behind `err`: the innermost classified failure, with the activity that met it. */
export function rootCauseOf(err: unknown): RootCause {
  let call: string | undefined;
  let current: unknown = err;
  while (current instanceof ActivityFailure || current instanceof ChildWorkflowFailure) {
    if (current instanceof ActivityFailure) call = current.activityType;
    current = current.cause;
  }
  const failure = current instanceof ApplicationFailure ? current : undefined;
  // The clients put their classification first in the details (clients/errors.ts); contracts cannot import them.
  const details = failure?.details?.[0] as { system?: unknown; kind?: unknown; status?: unknown } | undefined;
  const system = typeof details?.system === 'string' ? (details.system as ExternalSystem) : undefined;
  const kind = typeof details?.kind === 'string' ? (details.kind as FailureKind) : undefined;
  return {
    type: failure?.type || 'Error',
    ...(system && { system }),
    ...(kind && { kind }),
    ...(call && { call }),
    ...(typeof details?.status === 'number' && { httpStatus: details.status }),
    message: failureMessage(err),
  };
}
