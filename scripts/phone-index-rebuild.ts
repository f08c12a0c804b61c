/**
 * `npm run phone-index:rebuild` (SPEC §8): builds the caller index from scratch out of EspoCRM's Beteiligte — for
 * the first start, or when the index is in doubt. Reads EspoCRM only. Lookups during the rebuild may miss parties
 * not yet re-added, so run it outside office hours. Exit 0 done, 2 usage or configuration error, 3 EspoCRM or
 * Redis failed.
 */
import type { EspoCrmClient } from '../clients/espocrm/client';
import type { CallerIndexStore } from '../clients/redis/caller-index';
import { phoneIndexToolConfigSchema } from '../config/env';
import { beteiligteEntries, CALLER_BETEILIGTE_ATTRIBUTES, type CallerBeteiligte } from '../domain/caller-index/entries';
import { COMMAND_EXIT, loadCommandConfig, openCommandRedis, parseFlags, runCommand } from './lib/command';

const USAGE = `usage: npm run phone-index:rebuild
  rebuilds the 3CX caller index in Redis from every Beteiligte in EspoCRM
exit: 0 done, 2 usage or configuration error, 3 EspoCRM or Redis failed`;

const OPTIONS = { help: { type: 'boolean', short: 'h' } } as const;

interface RebuildTotals {
  parties: number;
  numbers: number;
  unusable: number;
}

async function main(): Promise<number> {
  if (parseFlags(process.argv.slice(2), OPTIONS, USAGE).help) {
    console.log(USAGE);
    return COMMAND_EXIT.ok;
  }
  const config = loadCommandConfig(phoneIndexToolConfigSchema, 'ESPOCRM_API_BASE_URL', 'ESPOCRM_API_BASE_URL and the other ESPOCRM_* variables');
  // import() keeps ESM rules under NodeNext, hence the .js extensions (tsx maps them to the .ts files).
  const [{ createEspoCrmClient }, { CallerIndexStore }] = await Promise.all([
    import('../clients/espocrm/client.js'),
    import('../clients/redis/caller-index.js'),
  ]);
  const redis = await openCommandRedis(config.REDIS_URL, 'phone-index-rebuild', 'the caller index lives there');
  try {
    const totals = await rebuild(createEspoCrmClient(config), new CallerIndexStore(redis), console.log);
    console.log(
      `Summary: ${count(totals.parties, 'Beteiligte', 'Beteiligte')} read, ${count(totals.numbers, 'number')} indexed, ` +
        `${count(totals.unusable, 'unusable number')} skipped.`,
    );
    return COMMAND_EXIT.ok;
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

/** Clears the index, then adds every Beteiligte page by page (id cursor, so edits during the run shift nothing). */
async function rebuild(espocrm: EspoCrmClient, index: CallerIndexStore, log: (line: string) => void): Promise<RebuildTotals> {
  await index.clear();
  const totals: RebuildTotals = { parties: 0, numbers: 0, unusable: 0 };
  let expected: number | undefined;
  let after: string | undefined;
  do {
    const page = await espocrm.listPage<CallerBeteiligte & { [field: string]: unknown }>(
      'CBeteiligte',
      [],
      after,
      undefined,
      CALLER_BETEILIGTE_ATTRIBUTES,
    );
    expected ??= page.total;
    // One page's writes in flight together: ioredis pipelines them over the one connection.
    await Promise.all(
      page.list.map(async (beteiligte) => {
        const { entries, unusable } = beteiligteEntries(beteiligte);
        if (entries.length > 0) await index.replaceParty(beteiligte.id, entries);
        totals.numbers += entries.length;
        totals.unusable += unusable;
      }),
    );
    totals.parties += page.list.length;
    log(`${totals.parties}/${expected} Beteiligte, ${count(totals.numbers, 'number')} indexed`);
    after = page.nextAfterId;
  } while (after !== undefined);
  return totals;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

runCommand(main);
