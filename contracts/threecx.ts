/**
 * The 3CX API and webhook contract (SPEC §8), shared by the hub's client, the gateway that will receive the
 * webhooks, and the simulator. Field names are 3CX's (snake_case): these are wire shapes, not hub concepts.
 */

/** Header carrying the API key on every call to the 3CX API. SPEC §8 names no header; 3CX's key auth uses this one. */
export const THREECX_API_KEY_HEADER = 'X-Api-Key';

/** Header carrying the webhook signature: lowercase hex of HMAC-SHA256 over the raw body, keyed with the webhook secret. */
export const THREECX_SIGNATURE_HEADER = 'X-3CX-Signature';

export interface InitiateCallRequest {
  /** The employee's extension that rings first and then dials out. */
  from_extension: string;
  /** The number to call, E.164 (SPEC §8). */
  to: string;
}

export interface InitiateCallResponse {
  call_id: string;
}

export const CALL_STATES = ['ringing', 'connected', 'ended'] as const;
export type CallState = (typeof CALL_STATES)[number];

export type CallDirection = 'inbound' | 'outbound';

export interface CallStatus {
  call_id: string;
  direction: CallDirection;
  status: CallState;
  /** Set once the call ended: whether anyone picked up. */
  outcome?: CallOutcome;
  /** Who called: the extension for outbound calls, the caller's number for inbound ones. */
  from: string;
  /** Who was called: the dialled number for outbound calls, the firm's number for inbound ones. */
  to: string;
  /** The firm's extension on the call. */
  extension: string;
  started_at: string;
  ended_at?: string;
  /** Seconds talked; set once the call ended. */
  duration?: number;
}

export interface CallRecording {
  url: string;
  /** Seconds. */
  duration: number;
}

export type CallOutcome = 'answered' | 'missed';

export interface CallStartedEvent {
  event: 'call.started';
  call_id: string;
  /** The caller's number. */
  from: string;
  /** The number dialled (the firm's). */
  to: string;
  /** The extension that rings. */
  extension: string;
  started_at: string;
}

export interface CallTransferredEvent {
  event: 'call.transferred';
  call_id: string;
  from_extension: string;
  to_extension: string;
  transferred_at: string;
}

export interface CallEndedEvent {
  event: 'call.ended';
  call_id: string;
  /** Seconds talked; 0 for a missed call. */
  duration: number;
  /** Not in SPEC §8's list, but the hub needs it to create the follow-up Task for missed calls. */
  outcome: CallOutcome;
  /** Only for answered, recorded calls. */
  recording_url?: string;
}

export type ThreeCxWebhookEvent = CallStartedEvent | CallTransferredEvent | CallEndedEvent;
