/**
 * `npm run calendar:reset [-- --kuerzel ABC] [--yes]` (SPEC §6): deletes the Google calendars the hub created —
 * only those carrying HUB_CALENDAR_MARKER, never a calendar a person made — and clears each employee's sync
 * state, so the next sync builds the calendar again from Advoware. Asks before deleting unless `--yes`.
 * Exit 0 done (or nothing to delete), 1 aborted, 2 usage or configuration error, 3 a system failed.
 */
import { createInterface } from 'node:readline/promises';
import type { HubCalendar } from '../clients/google/calendar-api';
import { CalendarStateStore } from '../clients/redis/calendar-state';
import { EXIT, kuerzelList, loadCalendarToolConfig, openCalendarTool, parseFlags, runCommand } from './lib/calendar-tool';

const USAGE = `usage: npm run calendar:reset -- [--kuerzel ABC[,DEF]] [--yes]
  --kuerzel  only these employees' calendars; repeatable (default: every hub-created calendar)
  --yes      do not ask for confirmation
exit: 0 done, 1 aborted, 2 usage or configuration error, 3 Google or Redis failed`;

const OPTIONS = {
  kuerzel: { type: 'string', multiple: true },
  yes: { type: 'boolean', short: 'y' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2), OPTIONS, USAGE);
  if (flags.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const only = new Set(kuerzelList(flags.kuerzel));
  const config = loadCalendarToolConfig();
  const tool = await openCalendarTool(config, 'calendar-reset');
  try {
    const all = await tool.google.listHubCalendars();
    const doomed = all.filter((c) => only.size === 0 || only.has(c.kuerzel.toUpperCase()));
    if (doomed.length === 0) {
      console.log(
        only.size === 0 ? 'No hub-created calendars: nothing to delete.' : `No hub-created calendars for ${[...only].join(', ')}: nothing to delete.`,
      );
      return EXIT.ok;
    }
    console.log(`Hub-created calendars to delete (calendars without the hub's marker are never touched):`);
    for (const calendar of doomed) console.log(`  ${calendar.summary}  (${calendar.id})`);
    if (!flags.yes && !(await confirmed(`Delete ${doomed.length} calendar${doomed.length === 1 ? '' : 's'}? Type yes to confirm: `))) {
      console.log('aborted: nothing deleted.');
      return EXIT.aborted;
    }
    await deleteCalendars(doomed, tool.google, new CalendarStateStore(tool.redis));
    const one = doomed.length === 1;
    console.log(`Deleted ${doomed.length} calendar${one ? '' : 's'}. The next calendar sync creates ${one ? 'it' : 'them'} again from Advoware.`);
    return EXIT.ok;
  } finally {
    await tool.close();
  }
}

/** Only the literal answer `yes`; a closed stdin (no terminal, empty pipe) counts as no. */
async function confirmed(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const closed = new Promise<string>((resolve) => rl.once('close', () => resolve('')));
    const answer = await Promise.race([rl.question(question), closed]);
    // A terminal echoes the operator's Enter; piped input does not, so end the prompt's line here.
    if (!process.stdin.isTTY) process.stdout.write('\n');
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}

/** One by one, each followed by its state: a failure half-way leaves no state pointing at a deleted calendar. */
async function deleteCalendars(
  calendars: readonly HubCalendar[],
  google: { deleteCalendar(id: string): Promise<void> },
  state: CalendarStateStore,
): Promise<void> {
  for (const calendar of calendars) {
    await google.deleteCalendar(calendar.id);
    await state.clear(calendar.kuerzel);
    console.log(`  deleted ${calendar.summary} (${calendar.id}) and cleared the sync state of ${calendar.kuerzel}`);
  }
}

runCommand(main);
