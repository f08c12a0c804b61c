import { setTimeout as delay } from 'node:timers/promises';

/**
 * What an outgoing call runs within: the caller's abort signal and a heartbeat to send while the call waits. In a
 * worker they are the activity's (activities/call-scope.ts), so a cancelled or timed-out attempt stops instead of
 * finishing late, and a long wait is not taken for a dead worker. Clients take a provider of it, not Temporal's
 * context, so that the gateway and the CLI commands use them unchanged (with no scope).
 */
export interface CallScope {
  readonly signal?: AbortSignal;
  readonly heartbeat?: () => void;
}

/** Asked at the start of every call: the scope belongs to whoever calls, not to the client. */
export type CallScopeProvider = () => CallScope;

export const noCallScope: CallScopeProvider = () => ({});

/**
 * How often a waiting call heartbeats. Temporal throttles what it sends (to 80 % of the heartbeat timeout), so this
 * only has to be well below the shortest heartbeat timeout an activity may be given.
 */
const HEARTBEAT_INTERVAL_MS = 1_000;

/**
 * Heartbeats now and every `intervalMs` until the returned stop function is called. At once too, so that an
 * activity made of many short calls heartbeats as well as one long call does; the provider decides what is sent.
 */
export function keepAlive(scope: CallScope, intervalMs = HEARTBEAT_INTERVAL_MS): () => void {
  const heartbeat = scope.heartbeat;
  if (!heartbeat) return () => undefined;
  const beat = (): void => {
    try {
      heartbeat();
    } catch {
      // A heartbeat is a courtesy to the server: failing to send one must not fail the call it accompanies.
    }
  };
  beat();
  const timer = setInterval(beat, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as it aborts. For work that cannot take a
 * signal itself: the caller stops waiting; `promise` keeps a handler, so its later rejection is not unhandled.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        // Passed on as it came: this only adds a way out, it does not change what the work itself fails with.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        reject(err);
      },
    );
  });
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal ? { signal } : undefined);
  } catch (err) {
    // Node rejects with its own AbortError; callers expect the reason the signal was aborted with.
    if (signal?.aborted) throw abortReason(signal);
    throw err;
  }
}

/**
 * The error an aborted call ends with: the signal's reason as it is (in an activity, Temporal's CancelledFailure,
 * which the worker reports as a cancellation rather than a failure to retry).
 */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const message = typeof reason === 'string' ? reason : 'The operation was aborted';
  return new DOMException(message, 'AbortError');
}
