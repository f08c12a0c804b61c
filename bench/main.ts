import { mkdirSync, writeFileSync } from 'node:fs';
import { benchCalendar } from './calendar';
import { benchBeteiligte } from './beteiligte';
import { benchProxy } from './proxy';
import { printTable, type BenchRow } from './stats';

interface BenchPart {
  name: string;
  title: string;
  run: () => Promise<{ rows: BenchRow[]; json: Record<string, number> }>;
}

const PARTS: readonly BenchPart[] = [
  { name: 'proxy', title: 'Advoware proxy (gateway vs. direct client call)', run: () => benchProxy() },
  { name: 'beteiligte', title: 'Beteiligte sync (EspoCRM ⇄ Advoware Stammdaten)', run: () => benchBeteiligte() },
  { name: 'calendar', title: 'Calendar sync (Advoware Termine ⇄ Google Calendar, 600/min burst 7)', run: () => benchCalendar() },
];

/**
 * Runs every benchmark part (or those named on the command line: `npm run bench -- calendar`), prints a table
 * each and the JSON of all (also to var/bench.json).
 */
async function main(): Promise<void> {
  const selected = process.argv.slice(2);
  const unknown = selected.filter((name) => !PARTS.some((p) => p.name === name));
  if (unknown.length > 0) throw new Error(`unknown bench part(s): ${unknown.join(', ')}; known: ${PARTS.map((p) => p.name).join(', ')}`);
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };

  for (const part of PARTS) {
    if (selected.length > 0 && !selected.includes(part.name)) continue;
    const { rows, json } = await part.run();
    printTable(part.title, rows);
    results[part.name] = json;
  }

  mkdirSync('var', { recursive: true });
  writeFileSync('var/bench.json', `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${JSON.stringify(results, null, 2)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
