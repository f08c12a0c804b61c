/**
 * `npm run hub:failures [-- --json]`: every party, bank account and employee calendar failing now, once each, with
 * why (system, call, HTTP status, message), how often, the next retry and since when. The same list as the Web UI's
 * saved view (contracts/hub-status.ts FAILING_NOW_QUERY). Exit 0 nothing failing, 1 something is failing, 2 usage or
 * configuration error, 3 Temporal failed.
 */
import { listFailingNow } from '../clients/temporal/failing-now';
import { failuresToolConfigSchema } from '../config/env';
import { FAILING_NOW_QUERY } from '../contracts/hub-status';
import { FAILURE_COLUMNS, failureRows, formatTable } from '../domain/hub-status';
import { COMMAND_EXIT, loadCommandConfig, openCommandTemporal, parseFlags, runCommand } from './lib/command';

const USAGE = `usage: npm run hub:failures [-- --json]
  lists every entity whose sync is failing now (Web UI query: ${FAILING_NOW_QUERY})
  --json  one JSON document instead of the table
exit: 0 nothing failing, 1 something is failing, 2 usage or configuration error, 3 Temporal failed`;

const OPTIONS = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2), OPTIONS, USAGE);
  if (flags.help) {
    console.log(USAGE);
    return COMMAND_EXIT.ok;
  }
  const config = loadCommandConfig(failuresToolConfigSchema, 'TEMPORAL_ADDRESS', 'TEMPORAL_ADDRESS and HUB_PAYLOAD_KEYS');
  const temporal = await openCommandTemporal(config);
  try {
    const failing = await listFailingNow(temporal.client);
    if (flags.json) console.log(JSON.stringify({ query: FAILING_NOW_QUERY, failing }, null, 2));
    else if (failing.length === 0) console.log('Nothing is failing.');
    else {
      console.log(formatTable(FAILURE_COLUMNS, failureRows(failing)));
      console.log(`\n${failing.length} failing. Details: temporal workflow show --detailed -w <workflow id>; docs/runbook.md.`);
    }
    return failing.length > 0 ? 1 : COMMAND_EXIT.ok;
  } finally {
    await temporal.close();
  }
}

runCommand(main);
