import { ApplicationFailure } from '@temporalio/common';
import type { EspoCrmClient, EspoEntity } from '../clients/espocrm/client';
import type { CallerIndexStore } from '../clients/redis/caller-index';
import type { YContextCache } from '../clients/redis/y-context-cache';
import type { CallEventRequester } from '../clients/temporal/call-events';
import type { ThreeCxClient } from '../clients/threecx/client';
import type { StaffMember, ThreeCxConfig } from '../config/env';
import type { CallEvent, CallParty, CallPartyType, CallSettings } from '../contracts/calls';
import type { EspoBeteiligte } from '../contracts/espocrm';
import type { CallRecording, CallStatus, InitiateCallRequest, InitiateCallResponse } from '../contracts/threecx';
import type { CallRecordFields, TaskFields } from '../domain/calls/plan';
import { createOnce, nullWhenNotFound } from './answers';

/** A `Call` (or `Task`) the hub logged earlier, found by its 3CX call id. */
export interface LoggedCall {
  id: string;
  /** The stored attributes the hub writes, to compare a new plan with (see domain/calls/plan.ts `recordPatch`). */
  fields: Record<string, unknown>;
}

export interface CallLog {
  call: LoggedCall | null;
  taskId: string | null;
}

/** What the call activities are built from. */
export interface CallActivityDeps {
  espocrm: EspoCrmClient;
  /** Absent when 3CX is not configured: reads answer as if 3CX knew nothing, dialling fails permanently. */
  threecx: ThreeCxClient | undefined;
  callerIndex: CallerIndexStore;
  yContextCache: YContextCache;
  callEvents: CallEventRequester;
  adminUserId: string;
  config: ThreeCxConfig & { STAFF_DIRECTORY: StaffMember[] };
}

/** The attributes of a Call the plan compares; the rest (EspoCRM's own) is not read into history. */
const CALL_FIELDS: readonly (keyof CallRecordFields)[] = [
  'name',
  'status',
  'direction',
  'dateStart',
  'dateEnd',
  'duration',
  'parentType',
  'parentId',
  'assignedUserId',
  'description',
  'threecxCallId',
  'threecxExtension',
  'threecxNumber',
  'recordingUrl',
  'recordingDuration',
  'threecxFacts',
];

/** 3CX call activities (SPEC §8): one external call each, failures classified by the clients. */
export function createCallActivities(deps: CallActivityDeps) {
  const { espocrm, config } = deps;

  const findByCallId = async (entityType: 'Call' | 'Task', callId: string): Promise<EspoEntity | undefined> => {
    const page = await espocrm.list<EspoEntity>(entityType, {
      where: [{ type: 'equals', attribute: 'threecxCallId', value: callId }],
      maxSize: 1,
      orderBy: 'createdAt',
      order: 'asc',
    });
    return page.list[0];
  };

  const threecx = (): ThreeCxClient => {
    if (deps.threecx) return deps.threecx;
    throw ApplicationFailure.nonRetryable('3CX is not configured (THREECX_API_BASE_URL, THREECX_API_KEY)', 'ThreeCxNotConfigured');
  };

  return {
    /** Configuration recorded in the call workflow's history. */
    async callSettings(): Promise<CallSettings> {
      return {
        startWaitMs: config.THREECX_CALL_START_WAIT_SECONDS * 1000,
        graceMs: config.THREECX_CALL_GRACE_SECONDS * 1000,
        statusPollMs: config.THREECX_STATUS_POLL_SECONDS * 1000,
        maxCallMs: config.THREECX_CALL_MAX_SECONDS * 1000,
        missedCallUserId: config.THREECX_MISSED_CALL_USER_ID ?? deps.adminUserId,
        missedCallDueMs: config.THREECX_MISSED_CALL_DUE_MINUTES * 60_000,
        defaultExtension: config.THREECX_DEFAULT_EXTENSION ?? null,
        staff: config.STAFF_DIRECTORY.map((m) => ({ userId: m.userId, kuerzel: m.kuerzel, extension: m.extension })),
        callTimeoutMs: config.THREECX_CALL_TIMEOUT_SECONDS * 1000,
      };
    },

    /** The Call and the Task an earlier attempt or run logged for this 3CX call, found by the id they carry. */
    async espoFindCallLog(callId: string): Promise<CallLog> {
      const [call, task] = await Promise.all([findByCallId('Call', callId), findByCallId('Task', callId)]);
      return {
        call: call ? { id: call.id, fields: Object.fromEntries(CALL_FIELDS.filter((f) => f in call).map((f) => [f, call[f]])) } : null,
        taskId: task?.id ?? null,
      };
    },

    /** Once (answers.ts): a retry after a POST that landed takes the Call carrying this 3CX id. */
    async espoCreateCall(fields: CallRecordFields): Promise<string> {
      const created = await createOnce(
        () => findByCallId('Call', fields.threecxCallId),
        () => espocrm.create<EspoEntity>('Call', { ...fields }),
      );
      return created.id;
    },

    /** Partial update: the same values again if repeated. */
    async espoUpdateCall(id: string, patch: Partial<CallRecordFields>): Promise<void> {
      await espocrm.update('Call', id, { ...patch });
    },

    /** Once, like the Call: the Task carrying this 3CX id is this POST's. */
    async espoCreateTask(fields: TaskFields): Promise<string> {
      const created = await createOnce(
        () => findByCallId('Task', fields.threecxCallId),
        () => espocrm.create<EspoEntity>('Task', { ...fields }),
      );
      return created.id;
    },

    /** The party an outbound call names: its name and assigned user (whose extension rings). Null when it does not exist. */
    async espoGetCallParty(entityType: CallPartyType, espoId: string): Promise<CallParty | null> {
      const record = await nullWhenNotFound('EspoCrm', () => espocrm.get<EspoBeteiligte & EspoEntity>(entityType, espoId));
      if (!record) return null;
      const name = record.name?.trim() || [record.firstName, record.lastName].filter(Boolean).join(' ') || null;
      return { entityType, espoId, name, betNr: record.betnr ?? null, assignedUserId: record.assignedUserId ?? null };
    },

    async threecxCallStatus(callId: string): Promise<CallStatus | null> {
      if (!deps.threecx) return null;
      const client = deps.threecx;
      return nullWhenNotFound('ThreeCx', () => client.callStatus(callId));
    },

    /** The recording's URL and length; null when 3CX has none (or is not configured). */
    async threecxRecording(callId: string): Promise<CallRecording | null> {
      if (!deps.threecx) return null;
      const client = deps.threecx;
      return nullWhenNotFound('ThreeCx', () => client.recording(callId));
    },

    /** Dials: must not repeat once it landed (the phone would ring twice), so a regular activity. */
    async threecxInitiateCall(request: InitiateCallRequest): Promise<InitiateCallResponse> {
      return threecx().initiateCall(request);
    },

    /** Hands an event to `call/<id>` (signal-with-start); repeat-safe, the workflow folds duplicates. */
    async handOverCallEvent(event: CallEvent): Promise<void> {
      await deps.callEvents.record(event);
    },

    /** After logging: the screen pop's last contact, and the AI context's profile is stale now. */
    async recordCallContact(espoIds: string[], at: string): Promise<void> {
      await Promise.all([deps.callerIndex.recordContact(espoIds, new Date(at)), deps.yContextCache.invalidate(...espoIds)]);
    },
  };
}

export type CallActivities = ReturnType<typeof createCallActivities>;
