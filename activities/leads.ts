import Holidays from 'date-holidays';
import type { EspoCrmClient, EspoEntity } from '../clients/espocrm/client';
import type { CallerIndexStore } from '../clients/redis/caller-index';
import type { LeadsConfig, StaffMember } from '../config/env';
import type { LeadSettings, OfficeHoursAnswer } from '../contracts/leads';
import { leadEntries } from '../domain/caller-index/entries';
import { officeHoursAt, type OfficeHours } from '../domain/leads/office-hours';
import { FOLLOW_UP_FIELDS, leadPhones, type LeadRecord, type PartyMatch } from '../domain/leads/record';
import { createOnce } from './answers';

export interface LeadActivityDeps {
  espocrm: EspoCrmClient;
  callerIndex: CallerIndexStore;
  adminUserId: string;
  config: LeadsConfig & { STAFF_DIRECTORY: StaffMember[] };
}

/** A Task the lead workflow creates for the assigned user. */
export interface LeadTaskInput {
  leadId: string;
  name: string;
  description: string;
  assignedUserId: string;
  /** ISO instant. */
  dueAt: string;
}

/** EspoCRM's date-time format (SPEC §4): UTC, no zone designator. */
const espoDateTime = (iso: string): string => new Date(iso).toISOString().slice(0, 19).replace('T', ' ');

/** Vermieterhelden lead activities (SPEC §7): one external call each, failures classified by the clients. */
export function createLeadActivities(deps: LeadActivityDeps) {
  const { espocrm, callerIndex, config } = deps;
  const [open = '09:00', close = '17:00'] = config.LEAD_OFFICE_HOURS.split('-');
  const hours: OfficeHours = { days: config.LEAD_OFFICE_DAYS, open, close };
  const holidays = new Holidays('DE', config.LEAD_HOLIDAY_STATE, { types: ['public'] });
  const holidayOn = (date: string): string | null => {
    const found = holidays.isHoliday(date);
    return found && found.length > 0 ? found.map((h) => h.name).join(', ') : null;
  };

  const findLead = async (dedupKey: string): Promise<LeadRecord | undefined> => {
    const page = await espocrm.list<EspoEntity>('Lead', {
      where: [{ type: 'equals', attribute: 'vmhDedupKey', value: dedupKey }],
      maxSize: 1,
      orderBy: 'createdAt',
      order: 'asc',
    });
    return page.list[0];
  };

  return {
    /** Configuration recorded in the lead workflow's history. */
    async leadSettings(): Promise<LeadSettings> {
      return {
        idleMs: config.LEAD_WORKFLOW_IDLE_SECONDS * 1000,
        defaultUserId: config.LEAD_DEFAULT_USER_ID ?? deps.adminUserId,
        taskDueMinutes: config.LEAD_TASK_DUE_MINUTES,
        staff: config.STAFF_DIRECTORY,
        callTimeoutMs: config.LEAD_CALL_TIMEOUT_SECONDS * 1000,
      };
    },

    /** The Lead an earlier run wrote for this dedup key; null for a new lead. */
    async leadFind(dedupKey: string): Promise<LeadRecord | null> {
      return (await findLead(dedupKey)) ?? null;
    },

    /**
     * The party the lead's e-mail or phone already belongs to (SPEC §7): e-mail by an EspoCRM list query on
     * `CBeteiligte`, phone through the caller index. Exactly one party or none: a number several parties share names
     * nobody in particular, and the hub never guesses. Leads in the index are not parties.
     */
    async leadFindParty(email: string, phone: string | null): Promise<PartyMatch | null> {
      const byEmail = await espocrm.list<EspoEntity>('CBeteiligte', {
        where: [{ type: 'equals', attribute: 'emailAddress', value: email }],
        maxSize: 2,
        select: ['id', 'assignedUserId'],
      });
      if (byEmail.list.length === 1) {
        const party = byEmail.list[0]!;
        return { espoId: party.id, by: 'email', assignedUserId: typeof party.assignedUserId === 'string' ? party.assignedUserId : null };
      }
      if (phone === null) return null;
      const parties = (await callerIndex.lookup(phone)).matches.filter((m) => m.source === 'beteiligte');
      if (parties.length !== 1) return null;
      return { espoId: parties[0]!.espoId, by: 'phone', assignedUserId: parties[0]!.assignedUserId };
    },

    /** POST of a Lead: must not land twice, so a retry first looks for it by its dedup key. */
    async leadCreate(fields: Record<string, unknown>): Promise<LeadRecord> {
      const dedupKey = String(fields.vmhDedupKey);
      return createOnce(
        () => findLead(dedupKey),
        () => espocrm.create<EspoEntity>('Lead', fields),
      );
    },

    /** Partial update: writing the same values again is harmless. */
    async leadUpdate(leadId: string, patch: Record<string, unknown>): Promise<LeadRecord> {
      return espocrm.update<EspoEntity>('Lead', leadId, patch);
    },

    /** The caller index learns the lead's numbers (SPEC §8), so a lead calling back pops up by name. */
    async leadIndex(lead: LeadRecord): Promise<void> {
      const { entries } = leadEntries({
        id: lead.id,
        name: typeof lead.name === 'string' ? lead.name : null,
        assignedUserId: typeof lead.assignedUserId === 'string' ? lead.assignedUserId : null,
        phoneNumbers: leadPhones(lead),
      });
      await callerIndex.replaceParty(lead.id, entries);
    },

    /** Office hours at `at` (ISO, the workflow's time), with the holidays of LEAD_HOLIDAY_STATE. */
    async leadOfficeHours(at: string): Promise<OfficeHoursAnswer> {
      return officeHoursAt(at, hours, holidayOn);
    },

    /** POST of the follow-up Task: a retry finds the one that landed by its lead first. */
    async leadCreateTask(input: LeadTaskInput): Promise<string> {
      const task = await createOnce(
        async () => {
          const page = await espocrm.list<EspoEntity>('Task', {
            where: [
              { type: 'equals', attribute: 'parentId', value: input.leadId },
              { type: 'equals', attribute: 'vmhLeadFollowUp', value: true },
            ],
            maxSize: 1,
          });
          return page.list[0];
        },
        () =>
          espocrm.create<EspoEntity>('Task', {
            name: input.name,
            description: input.description,
            status: 'Not Started',
            priority: 'High',
            dateEnd: espoDateTime(input.dueAt),
            parentType: 'Lead',
            parentId: input.leadId,
            assignedUserId: input.assignedUserId,
            vmhLeadFollowUp: true,
          }),
      );
      return task.id;
    },

    /** Records the follow-up on the Lead: a later run (or a re-run) sees it and does not follow up again. */
    async leadRecordFollowUp(leadId: string, kind: 'call' | 'task', id: string, at: string): Promise<LeadRecord> {
      return espocrm.update<EspoEntity>('Lead', leadId, {
        [FOLLOW_UP_FIELDS.kind]: kind,
        [FOLLOW_UP_FIELDS.id]: id,
        [FOLLOW_UP_FIELDS.at]: espoDateTime(at),
      });
    },
  };
}

export type LeadActivities = ReturnType<typeof createLeadActivities>;
