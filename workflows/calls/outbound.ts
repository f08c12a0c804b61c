import { ApplicationFailure, upsertSearchAttributes } from '@temporalio/workflow';
import {
  OUTBOUND_NO_EXTENSION,
  OUTBOUND_PARTY_NOT_FOUND,
  type CallParty,
  type OutboundCallInput,
  type OutboundCallResult,
} from '../../contracts/calls';
import { HubEmployee, HubOutcome } from '../../contracts/search-attributes';
import { staffByUser } from '../../domain/calls/plan';
import { callCalls, callSettings } from './activities';

/**
 * `outbound-call/<uuid>` (SPEC §8): dials through 3CX, then hands the call to `call/<call id>`, which logs it like an
 * inbound one (and asks 3CX for its status when no `call.ended` comes). The ringing extension is the request's, else
 * the extension of the party's assigned user (STAFF_DIRECTORY), else THREECX_DEFAULT_EXTENSION.
 */
export async function outboundCallWorkflow(input: OutboundCallInput): Promise<OutboundCallResult> {
  const settings = await callSettings();
  const api = callCalls(settings.callTimeoutMs);

  let party: CallParty | null = null;
  if (input.party) {
    party = await api.espoGetCallParty(input.party.entityType, input.party.espoId);
    if (!party)
      throw ApplicationFailure.nonRetryable(`${input.party.entityType} ${input.party.espoId} does not exist in EspoCRM`, OUTBOUND_PARTY_NOT_FOUND);
  }
  const staff = staffByUser(settings.staff, party?.assignedUserId);
  const fromExtension = input.fromExtension ?? staff?.extension ?? settings.defaultExtension;
  if (!fromExtension) {
    throw ApplicationFailure.nonRetryable(
      "no extension to ring: give from_extension, map the party's assigned user in STAFF_DIRECTORY, or set THREECX_DEFAULT_EXTENSION",
      OUTBOUND_NO_EXTENSION,
    );
  }

  const { call_id: callId } = await api.threecxInitiateCall({ from_extension: fromExtension, to: input.to });
  const now = new Date().toISOString();
  await api.handOverCallEvent({
    kind: 'started',
    callId,
    direction: 'outbound',
    from: fromExtension,
    to: input.to,
    extension: fromExtension,
    startedAt: now,
    parties: party ? [party] : [],
    receivedAt: now,
  });
  const kuerzel = settings.staff.find((m) => m.extension === fromExtension)?.kuerzel;
  upsertSearchAttributes({ [HubOutcome.name]: ['dialled'], ...(kuerzel && { [HubEmployee.name]: [kuerzel] }) });
  return { call_id: callId };
}
