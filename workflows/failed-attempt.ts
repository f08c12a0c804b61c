import { log } from '@temporalio/workflow';
import { failureMessage, isPermanentFailure, rootCauseOf, type RootCause } from '../contracts/failures';
import { failurePatch, type FailureUpdate, type RetryPolicy } from '../domain/beteiligte/status';

export interface FailedAttemptInput {
  err: unknown;
  /** Failed attempts in a row before this one (`syncRetryCount`). */
  previousFailures: number;
  policy: RetryPolicy;
  /** How the notification names the record, e.g. `Anna Schmidt` or `bank account Girokonto`. */
  subject: string;
  /** What a user edits to bring it back, e.g. `the Beteiligte`. */
  record: string;
  /** Writes the status fields to the record (retried until EspoCRM answers). */
  writeStatus: (fields: FailureUpdate['fields']) => Promise<unknown>;
  /** Tells the assigned user (or the admin). */
  notify: (message: string) => Promise<unknown>;
  /** For the log line, e.g. `Beteiligte` or `Bank account`. */
  kind: string;
  logContext: Record<string, unknown>;
}

export interface FailedAttempt {
  decision: 'failed' | 'permanently_failed';
  message: string;
  /** `syncRetryCount` as written. */
  failedAttempts: number;
  /** Which system, call and answer made the attempt fail, for the operators' view. */
  reason: RootCause;
  /** When the next attempt comes on its own: the backoff timer, or the sweep's automatic reset. */
  nextAttemptAt: string;
}

/**
 * The status machine's step after a failed attempt (SPEC §5.6), the same for every synced record: `failed` with the
 * next retry time, or `permanently_failed` and one notification once the attempts are used up. Validation errors,
 * 403 and 404 do not heal by waiting: no slow retries for them.
 */
export async function recordFailedAttempt(input: FailedAttemptInput): Promise<FailedAttempt> {
  const message = failureMessage(input.err);
  const permanent = isPermanentFailure(input.err);
  const patch = failurePatch({ now: new Date(), previousRetryCount: input.previousFailures, message, policy: input.policy, permanent });
  await input.writeStatus(patch.fields);
  if (patch.notify) {
    await input.notify(
      `Sync of ${input.subject} to Advoware failed permanently: ${message}. The hub tries again after the automatic reset or when ${input.record} is edited.`,
    );
  }
  log.warn(`${input.kind} sync attempt failed`, { ...input.logContext, permanent, status: patch.fields.syncStatus, message });
  const decision = patch.fields.syncStatus === 'permanently_failed' ? 'permanently_failed' : 'failed';
  const nextAttemptAt = new Date(Date.now() + (patch.retryInMs ?? input.policy.autoResetMs)).toISOString();
  return { decision, message, failedAttempts: patch.fields.syncRetryCount, reason: rootCauseOf(input.err), nextAttemptAt };
}
