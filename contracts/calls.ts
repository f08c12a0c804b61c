import { defineSignal } from '@temporalio/workflow';
import type { CallOutcome, CallRecording, InitiateCallResponse } from './threecx';
import { workflowRef } from './workflow-ref';

/**
 * The call workflows (SPEC §8): `call/<3CX call id>` collects a call's events and logs it once in EspoCRM;
 * `outbound-call/<uuid>` dials through 3CX and hands the call to its `call/<id>` workflow.
 */

/** The EspoCRM entity a call is linked to: a party (`CBeteiligte`) or, for outbound calls to leads, a `Lead`. */
export type CallPartyType = 'CBeteiligte' | 'Lead';

/** A party on a call, as the screen pop found it (caller index) or the outbound request named it. */
export interface CallParty {
  entityType: CallPartyType;
  espoId: string;
  name: string | null;
  betNr: number | null;
  assignedUserId: string | null;
}

export type CallDirection = 'inbound' | 'outbound';

/**
 * One thing the hub learnt about a call: a 3CX webhook (through the gateway), the outbound workflow's hand-over,
 * or the call workflow's own status poll. `receivedAt` is when the hub learnt it (the gateway's clock), the time
 * of last resort when 3CX names none.
 */
export type CallEvent =
  | {
      kind: 'started';
      callId: string;
      direction: CallDirection;
      /** The caller's number (inbound) or the extension (outbound). */
      from: string;
      /** The firm's number (inbound) or the dialled number (outbound). */
      to: string;
      extension: string;
      startedAt: string;
      /** Every party on the caller's number (inbound) or the one named by the request (outbound); never a guess. */
      parties: CallParty[];
      receivedAt: string;
    }
  | { kind: 'transferred'; callId: string; fromExtension: string; toExtension: string; transferredAt: string; receivedAt: string }
  | {
      kind: 'ended';
      callId: string;
      /** Seconds talked. */
      duration: number;
      outcome?: CallOutcome;
      recordingUrl?: string;
      endedAt?: string;
      /** Found by the workflow's status poll, not sent by 3CX: it carries no recording URL. */
      polled?: boolean;
      receivedAt: string;
    };

export const callEventReceived = defineSignal<[CallEvent]>('callEventReceived');

export interface CallWorkflowInput {
  callId: string;
}

export interface CallWorkflowResult {
  callId: string;
  /** The EspoCRM `Call` record; null when the call could not be logged (never, but for an operator's cancel). */
  espoCallId: string | null;
  /** Whether this run created the record (false: an earlier run had, this one updated it). */
  created: boolean;
  status: 'Held' | 'Not Held';
  direction: CallDirection;
  /** The follow-up Task of a missed inbound call. */
  taskId: string | null;
  /** Parties the call is linked to or named in. */
  partyIds: string[];
  recording: CallRecording | null;
  /** Events taken (duplicates not counted) and EspoCRM writes made by this run. */
  events: number;
  writes: number;
  /** Status reads made while waiting for the end of the call (outbound calls that 3CX reports no end of). */
  statusPolls: number;
  /** What was missing when the call was logged (e.g. `call.started never arrived`). */
  gaps: string[];
}

export interface OutboundCallInput {
  /** E.164, normalised by the gateway. */
  to: string;
  fromExtension?: string;
  party?: { entityType: CallPartyType; espoId: string };
}

/** The 3CX call id, the wire name the gateway answers with. */
export type OutboundCallResult = InitiateCallResponse;

/** Configuration recorded in each call workflow's history. */
export interface CallSettings {
  /** How long `call.ended` (or another event) waits for a `call.started` that has not come. */
  startWaitMs: number;
  /** How long the workflow stays open after logging, for late duplicates and transfers. */
  graceMs: number;
  /** Interval of status polls for an outbound call without `call.ended`. */
  statusPollMs: number;
  /** How long a call may last before it is logged with what is known. */
  maxCallMs: number;
  /** Who gets the follow-up Task of a missed call when the party has no assigned user. */
  missedCallUserId: string;
  /** The Task is due this long after the call. */
  missedCallDueMs: number;
  /** The extension outbound calls ring when the request names none and the party's user has none. */
  defaultExtension: string | null;
  /** `STAFF_DIRECTORY`: user id, kuerzel and extension of each employee. */
  staff: { userId: string; kuerzel: string; extension: string }[];
  /** Time-out of one EspoCRM or 3CX call, retries not counted. */
  callTimeoutMs: number;
}

/** One workflow per 3CX call: the ID is the lock and the de-duplication of its events. */
export const callWorkflowId = (callId: string): string => `call/${callId}`;
export const outboundCallWorkflowId = (requestId: string): string => `outbound-call/${requestId}`;

export type CallWorkflow = (input: CallWorkflowInput) => Promise<CallWorkflowResult>;
export type OutboundCallWorkflow = (input: OutboundCallInput) => Promise<OutboundCallResult>;
export const callRef = workflowRef<CallWorkflow>('callWorkflow');
export const outboundCallRef = workflowRef<OutboundCallWorkflow>('outboundCallWorkflow');

/** Failure types of the outbound workflow that the gateway turns into a 4xx. */
export const OUTBOUND_PARTY_NOT_FOUND = 'CallPartyNotFound';
export const OUTBOUND_NO_EXTENSION = 'CallNoExtension';
