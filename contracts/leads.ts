import { defineSignal } from '@temporalio/workflow';
import { workflowRef } from './workflow-ref';

/**
 * Vermieterhelden leads (SPEC §7): the gateway validates and normalises a submission, claims its dedup key and
 * signals-with-start `lead/<dedup key>`, which creates or updates the EspoCRM `Lead` and does the follow-up once.
 */

/** The four forms of the Vermieterhelden site, by their wire name. */
export const LEAD_TYPES = ['mieter', 'vermieter', 'kontakt', 'newsletter'] as const;
export type LeadType = (typeof LEAD_TYPES)[number];

/** How EspoCRM's `Lead.vmhLeadType` names them (German, as the office reads them). */
export const LEAD_TYPE_LABELS: Readonly<Record<LeadType, string>> = {
  mieter: 'Mieter-Anfrage',
  vermieter: 'Vermieter-Anfrage',
  kontakt: 'Kontaktformular',
  newsletter: 'Newsletter-Anmeldung',
};

export const LEAD_EVENTS = ['lead.created', 'contact.submitted'] as const;
export type LeadEvent = (typeof LEAD_EVENTS)[number];

/** The consents the form asked for; absent means not given. */
export interface LeadConsent {
  /** Privacy notice accepted (the site requires it for requests). */
  privacy: boolean;
  newsletter: boolean;
  /** The person agreed to be called back. */
  phoneContact: boolean;
}

/** One submission, validated and normalised by the gateway: the signal the lead workflow receives. */
export interface LeadSubmission {
  event: LeadEvent;
  type: LeadType;
  /** The sender's id of the submission, when it gives one (for support questions). */
  externalId: string | null;
  firstName: string | null;
  lastName: string | null;
  /** Lower case. */
  email: string;
  /** E.164, German by default; null when none was given. */
  phone: string | null;
  /** The number as typed, kept for the Lead (EspoCRM shows what people wrote). */
  phoneRaw: string | null;
  message: string | null;
  /** The form's other fields (address of the flat, number of units…), already validated per type. */
  details: Record<string, string | number | boolean>;
  consent: LeadConsent;
  /** When the gateway received it (ISO); for the record, not for decisions. */
  receivedAt: string;
  /**
   * The instant the office-hours decision is taken for (ISO). Set only when the gateway's clock is injected (tests,
   * a replayed submission); otherwise the workflow decides by its own (deterministic) time.
   */
  decideAt?: string;
}

export const leadSubmitted = defineSignal<[LeadSubmission]>('leadSubmitted');

export interface LeadWorkflowInput {
  /** The key the gateway's Redis claim resolved the submission to (see clients/redis/lead-dedup.ts). */
  dedupKey: string;
}

export type FollowUp =
  | { kind: 'call'; callId: string; extension: string | null; at: string }
  | {
      kind: 'task';
      taskId: string;
      dueAt: string;
      reason: 'outside-office-hours' | 'call-failed' | 'not-a-call-type' | 'no-phone';
      at: string;
      callError?: string;
    }
  | { kind: 'already-done'; recorded: string };

export interface LeadWorkflowResult {
  dedupKey: string;
  /** The EspoCRM Lead; null when nothing was created (only refused newsletter sign-ups). */
  leadId: string | null;
  /** Whether this run created it (false: found by its dedup key, written by an earlier run). */
  created: boolean;
  /** Submissions taken, and how many of them updated an existing Lead. */
  submissions: number;
  updates: number;
  /** Newsletter sign-ups without consent: recorded, nothing written for them. */
  refused: { type: LeadType; receivedAt: string; reason: string }[];
  /** The party the lead was linked to (`CBeteiligte` id), found by e-mail or phone; null when unknown. */
  linkedParty: { espoId: string; by: 'email' | 'phone' } | null;
  assignedUserId: string | null;
  followUp: FollowUp | null;
}

/** Configuration recorded in each lead workflow's history. */
export interface LeadSettings {
  /** How long the workflow waits for further submissions after the last before it closes. */
  idleMs: number;
  /** Gets the lead (and its Task) when no known party names a user. */
  defaultUserId: string;
  /** The Task of a lead is due this long after the decision (or after the next opening, outside office hours). */
  taskDueMinutes: number;
  /** `STAFF_DIRECTORY`: the assigned user's extension. */
  staff: { userId: string; kuerzel: string; extension: string }[];
  /** Time-out of one EspoCRM or Redis call, retries not counted. */
  callTimeoutMs: number;
}

/** Office hours at one instant: open or not, and when they open next (ISO, for a Task's due time). */
export interface OfficeHoursAnswer {
  open: boolean;
  nextOpening: string;
  /** The holiday that closed the office, when one did. */
  holiday: string | null;
}

/** A dedup key is the workflow's lock: every submission resolved to it goes to one workflow. */
export const leadWorkflowId = (dedupKey: string): string => `lead/${dedupKey}`;

export type LeadWorkflow = (input: LeadWorkflowInput) => Promise<LeadWorkflowResult>;
export const leadRef = workflowRef<LeadWorkflow>('leadWorkflow');

/** EspoCRM `Lead.source` of every lead the hub creates. */
export const LEAD_SOURCE = 'Vermieterhelden';
