import { mkdirSync, writeFileSync } from 'node:fs';
import { benchParty } from './party';
import { benchProxy } from './proxy';
import { printTable } from './stats';

/** Runs every benchmark part, prints a table each and the JSON of all (also to var/bench.json). */
async function main(): Promise<void> {
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };

  const proxy = await benchProxy();
  printTable('Advoware proxy (gateway vs. direct client call)', proxy.rows);
  results.proxy = proxy.json;

  const party = await benchParty();
  printTable('Party sync (EspoCRM ⇄ Advoware Stammdaten)', party.rows);
  results.party = party.json;

  mkdirSync('var', { recursive: true });
  writeFileSync('var/bench.json', `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${JSON.stringify(results, null, 2)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
