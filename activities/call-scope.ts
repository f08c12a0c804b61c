import { asyncLocalStorage } from '@temporalio/activity';
import type { CallScope } from '../lib/call-scope';

/** The part of Temporal's activity Context a call scope needs. */
export interface ActivityContextLike {
  readonly cancellationSignal: AbortSignal;
  readonly info: { readonly isLocal: boolean };
  heartbeat(details?: unknown): void;
}

/**
 * Activities shorter than this send no heartbeat, and longer ones at most one per this: the clients beat at every
 * call and every second of a wait, and most calls are short, so passing each on would cost a round trip to the
 * server per activity. Temporal throttles further (to 80 % of the heartbeat timeout).
 */
const MIN_HEARTBEAT_GAP_MS = 1_000;

/**
 * The call scope of the activity running on this async path: its cancellation signal (aborted when the attempt is
 * cancelled or times out, as the worker learns from a heartbeat's answer, or when the worker shuts down) and its
 * heartbeat. Outside an activity — the gateway's proxy, the CLI commands, a test calling a client directly — none.
 */
export function callScopeFrom(current: () => ActivityContextLike | undefined, now: () => number = Date.now): () => CallScope {
  // Per activity attempt: from its first call on, when it last sent a heartbeat.
  const lastBeat = new WeakMap<ActivityContextLike, number>();
  return () => {
    const context = current();
    if (!context) return {};
    // A local activity cannot heartbeat (the server does not know it); its time-out is enforced by the worker itself.
    if (context.info.isLocal) return { signal: context.cancellationSignal };
    if (!lastBeat.has(context)) lastBeat.set(context, now());
    const heartbeat = (): void => {
      const at = now();
      if (at - (lastBeat.get(context) ?? at) < MIN_HEARTBEAT_GAP_MS) return;
      lastBeat.set(context, at);
      context.heartbeat();
    };
    return { signal: context.cancellationSignal, heartbeat };
  };
}

/** What the worker hands the client factories. `Context.current()` throws outside an activity; the store is empty. */
export const activityCallScope = callScopeFrom(() => asyncLocalStorage.getStore());
