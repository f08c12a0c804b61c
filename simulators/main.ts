import { loadDotEnv, parseEnv, sandboxEnv } from '../config/env';
import { startSandboxSimulators } from './sandbox';

/** `npm run simulators`: the external systems alone, on the sandbox ports, for manual exploration. */
async function main(): Promise<void> {
  loadDotEnv();
  const config = parseEnv(sandboxEnv);
  const sandbox = await startSandboxSimulators({
    advoware: config.SANDBOX_ADVOWARE_PORT,
    espocrm: config.SANDBOX_ESPOCRM_PORT,
    google: config.SANDBOX_GOOGLE_PORT,
    threecx: config.SANDBOX_THREECX_PORT,
  });
  for (const [name, sim] of Object.entries(sandbox.running)) console.log(`${name.padEnd(10)} ${sim.url}`);
  console.log('Hub variables for these simulators:');
  for (const [key, value] of Object.entries(sandbox.hubEnv)) console.log(`  ${key}=${value}`);
  const stop = () => void sandbox.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
