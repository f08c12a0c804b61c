/**
 * `npm run calendar:audit -- --kuerzel ABC [--json]` (SPEC §6): compares an employee's Advoware Termine with the
 * hub's Google calendar and lists the differences without changing anything — only GET requests (plus
 * Advoware's token request). Exit 0 in sync, 1 differences, 2 usage or configuration error, 3 a system failed.
 */
import type { HubCalendar } from '../clients/google/calendar-api';
import type { CalendarToolConfig } from '../config/env';
import { auditCalendar, type AuditDifference, type AuditNote, type CalendarAudit } from '../domain/calendar/audit';
import { syncWindow } from '../domain/calendar/span';
import { berlinToday } from '../domain/calendar/berlin';
import { activeKuerzels } from '../domain/calendar/employees';
import type { DateWindow } from '../domain/calendar/span';
import {
  calendarsByKuerzel,
  EXIT,
  kuerzelList,
  loadCalendarToolConfig,
  openCalendarTool,
  parseFlags,
  runCommand,
  UsageError,
  type CalendarTool,
} from './lib/calendar-tool';

const USAGE = `usage: npm run calendar:audit -- (--kuerzel ABC[,DEF] | --all) [--json] [--full-content | --no-full-content]
  --kuerzel          employee(s) to audit; repeatable
  --all              every active Mitarbeiter
  --json             one JSON document instead of the readable list
  --full-content     compare as with CALENDAR_SYNC_FULL_CONTENT=true (subject, place, notes count)
  --no-full-content  compare as with CALENDAR_SYNC_FULL_CONTENT=false (times only)
exit: 0 in sync, 1 differences, 2 usage or configuration error, 3 Advoware, Google or Redis failed`;

const OPTIONS = {
  kuerzel: { type: 'string', multiple: true },
  all: { type: 'boolean' },
  json: { type: 'boolean' },
  'full-content': { type: 'boolean' },
  'no-full-content': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface AuditOptions {
  fullContent: boolean;
  window: DateWindow;
}

interface AuditRequest {
  kuerzel: string[] | 'all';
  json: boolean;
  fullContent: boolean | undefined;
}

/** One employee's audit plus what the operator needs to place it. */
interface CalendarReport extends CalendarAudit {
  calendar: HubCalendar | null;
  /** Further hub calendars of the same employee: not compared, but worth a look. */
  duplicateCalendarIds: string[];
  termine: number;
  events: number | null;
}

function parseRequest(args: string[]): AuditRequest | 'help' {
  const flags = parseFlags(args, OPTIONS, USAGE);
  if (flags.help) return 'help';
  const kuerzel = kuerzelList(flags.kuerzel);
  if (flags.all && kuerzel.length > 0) throw new UsageError(`--all and --kuerzel exclude each other\n${USAGE}`);
  if (!flags.all && kuerzel.length === 0) throw new UsageError(`missing --kuerzel (or --all)\n${USAGE}`);
  if (flags['full-content'] && flags['no-full-content']) throw new UsageError(`--full-content and --no-full-content exclude each other\n${USAGE}`);
  const fullContent = flags['full-content'] ? true : flags['no-full-content'] ? false : undefined;
  return { kuerzel: flags.all ? 'all' : kuerzel, json: flags.json === true, fullContent };
}

async function main(): Promise<number> {
  const request = parseRequest(process.argv.slice(2));
  if (request === 'help') {
    console.log(USAGE);
    return EXIT.ok;
  }
  const config = loadCalendarToolConfig();
  const tool = await openCalendarTool(config, 'calendar-audit');
  try {
    const options: AuditOptions = {
      fullContent: request.fullContent ?? config.CALENDAR_SYNC_FULL_CONTENT,
      window: syncWindow(berlinToday(new Date()), config.CALENDAR_SYNC_DAYS_BACK, config.CALENDAR_SYNC_DAYS_AHEAD),
    };
    const kuerzels = request.kuerzel === 'all' ? activeKuerzels(await tool.advoware.listMitarbeiter()) : request.kuerzel;
    const reports = await auditAll(tool, kuerzels, options);
    const output = request.json ? JSON.stringify(jsonDocument(reports, request, options, config), null, 2) : readable(reports, options);
    console.log(output);
    return reports.every((r) => r.inSync) ? EXIT.ok : EXIT.differences;
  } finally {
    await tool.close();
  }
}

/** One after another: the rate limit paces Google anyway, and the output keeps the requested order. */
async function auditAll(tool: CalendarTool, kuerzels: string[], options: AuditOptions): Promise<CalendarReport[]> {
  if (kuerzels.length === 0) return [];
  const calendars = calendarsByKuerzel(await tool.google.listHubCalendars());
  const reports: CalendarReport[] = [];
  for (const kuerzel of kuerzels) {
    const [calendar, ...duplicates] = calendars.get(kuerzel.toUpperCase()) ?? [];
    const termine = await tool.advoware.listTermine(kuerzel, options.window);
    const events = calendar ? (await tool.google.listEvents(calendar.id)).events : null;
    const audit = auditCalendar({ kuerzel, termine, events, ...options });
    reports.push({
      ...audit,
      calendar: calendar ?? null,
      duplicateCalendarIds: duplicates.map((c) => c.id),
      termine: termine.length,
      events: events === null ? null : events.filter((e) => e.status !== 'cancelled').length,
    });
  }
  return reports;
}

function readable(reports: CalendarReport[], options: AuditOptions): string {
  const mode = options.fullContent ? 'full content' : 'private (times only)';
  const lines = [`Calendar audit, window ${options.window.from} to ${options.window.to}, ${mode}`, ''];
  for (const report of reports) {
    const where = report.calendar
      ? `calendar ${report.calendar.summary} (${report.calendar.id}), ${count(report.events ?? 0, 'event')}`
      : 'no hub calendar';
    lines.push(`${report.kuerzel}: ${where}, ${count(report.termine, 'Termin', 'Termine')} in Advoware`);
    for (const d of report.differences) lines.push(...differenceLines(d));
    for (const note of report.skipped) lines.push(...noteLines(note));
    if (report.duplicateCalendarIds.length > 0)
      lines.push(`  note: further hub calendars for ${report.kuerzel} not compared: ${report.duplicateCalendarIds.join(', ')}`);
    lines.push(`  ${report.inSync ? 'in sync' : count(report.differences.length, 'difference')}`, '');
  }
  lines.push(summaryLine(reports));
  return lines.join('\n');
}

function differenceLines(d: AuditDifference): string[] {
  return [`  - [${d.what}] ${d.description}`, `      next sync: ${d.nextSync}`];
}

function noteLines(note: AuditNote): string[] {
  return [`  · ${note.description} (not a difference)`];
}

function summaryLine(reports: CalendarReport[]): string {
  if (reports.length === 0) return 'Summary: no active Mitarbeiter, nothing to audit.';
  const differing = reports.filter((r) => !r.inSync);
  const total = differing.reduce((sum, r) => sum + r.differences.length, 0);
  if (total === 0) return `Summary: in sync (${count(reports.length, 'calendar')} checked).`;
  const which = differing.map((r) => `${r.kuerzel} ${r.differences.length}`).join(', ');
  return `Summary: ${count(total, 'difference')} in ${differing.length} of ${count(reports.length, 'calendar')} (${which}).`;
}

function jsonDocument(reports: CalendarReport[], request: AuditRequest, options: AuditOptions, config: CalendarToolConfig) {
  // An array whenever several could be meant, so a script reading `--all` never gets a bare string.
  const several = request.kuerzel === 'all' || request.kuerzel.length > 1;
  return {
    kuerzel: !several && reports[0] ? reports[0].kuerzel : reports.map((r) => r.kuerzel),
    inSync: reports.every((r) => r.inSync),
    window: options.window,
    fullContent: options.fullContent,
    differences: reports.flatMap((r) => r.differences.map((d) => ({ kuerzel: r.kuerzel, ...d }))),
    skipped: reports.flatMap((r) => r.skipped.map((s) => ({ kuerzel: r.kuerzel, ...s }))),
    calendars: reports.map((r) => ({
      kuerzel: r.kuerzel,
      calendarId: r.calendar?.id ?? null,
      summary: r.calendar?.summary ?? `${config.CALENDAR_SYNC_CALENDAR_PREFIX}${r.kuerzel}`,
      exists: r.calendar !== null,
      duplicateCalendarIds: r.duplicateCalendarIds,
      termine: r.termine,
      events: r.events,
      inSync: r.inSync,
      differences: r.differences.length,
    })),
  };
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

runCommand(main);
