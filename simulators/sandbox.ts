import { AdvowareSimulator } from './advoware/simulator';
import type { Simulator } from './core/simulator';
import { EspoCrmSimulator, demoSeed as espocrmDemoSeed } from './espocrm/simulator';
import { GoogleCalendarSimulator } from './google/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS, SANDBOX_ESPOCRM, SANDBOX_GOOGLE, advowareEnvFor, espocrmEnvFor, googleEnvFor } from './sandbox-credentials';

/** One simulator of the sandbox: how to build it and which hub variables point at it. */
interface SimulatorEntry<S extends Simulator> {
  create(): S;
  hubEnv(url: string): Record<string, string>;
  /** Credentials a script needs to talk to the simulator directly (written to var/sandbox.json). */
  keys: Record<string, string>;
}

/** Adding a simulator (3CX) means adding an entry here and a port in config/env.ts. */
const entries = {
  advoware: {
    create: () => new AdvowareSimulator({ credentials: SANDBOX_ADVOWARE_CREDENTIALS }),
    hubEnv: advowareEnvFor,
    keys: { appId: SANDBOX_ADVOWARE_CREDENTIALS.appId, user: SANDBOX_ADVOWARE_CREDENTIALS.user },
  } satisfies SimulatorEntry<AdvowareSimulator>,
  espocrm: {
    create: () =>
      new EspoCrmSimulator({
        apiKey: SANDBOX_ESPOCRM.apiKey,
        webhookId: SANDBOX_ESPOCRM.webhookId,
        webhookSecret: SANDBOX_ESPOCRM.webhookSecret,
        seed: espocrmDemoSeed(),
      }),
    hubEnv: espocrmEnvFor,
    keys: { apiKey: SANDBOX_ESPOCRM.apiKey },
  } satisfies SimulatorEntry<EspoCrmSimulator>,
  google: {
    create: () => new GoogleCalendarSimulator({ accessToken: SANDBOX_GOOGLE.accessToken, defaultTimeZone: 'Europe/Berlin' }),
    hubEnv: googleEnvFor,
    keys: { accessToken: SANDBOX_GOOGLE.accessToken },
  } satisfies SimulatorEntry<GoogleCalendarSimulator>,
};

export type SimulatorName = keyof typeof entries;
export type SandboxPorts = Record<SimulatorName, number>;

export interface RunningSimulator {
  url: string;
  keys: Record<string, string>;
}

export interface Sandbox {
  advoware: AdvowareSimulator;
  espocrm: EspoCrmSimulator;
  google: GoogleCalendarSimulator;
  running: Record<SimulatorName, RunningSimulator>;
  /** The hub's environment variables that point its clients at the simulators. */
  hubEnv: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts every simulator with its demo data; port 0 picks a free port. */
export async function startSandboxSimulators(ports: SandboxPorts, host = '127.0.0.1'): Promise<Sandbox> {
  const advoware = entries.advoware.create();
  const espocrm = entries.espocrm.create();
  const google = entries.google.create();
  const started: Simulator[] = [];
  try {
    const advowareUrl = await advoware.start(ports.advoware, host);
    started.push(advoware);
    const espocrmUrl = await espocrm.start(ports.espocrm, host);
    started.push(espocrm);
    const googleUrl = await google.start(ports.google, host);
    started.push(google);
    return {
      advoware,
      espocrm,
      google,
      running: {
        advoware: { url: advowareUrl, keys: entries.advoware.keys },
        espocrm: { url: espocrmUrl, keys: entries.espocrm.keys },
        google: { url: googleUrl, keys: entries.google.keys },
      },
      hubEnv: { ...entries.advoware.hubEnv(advowareUrl), ...entries.espocrm.hubEnv(espocrmUrl), ...entries.google.hubEnv(googleUrl) },
      stop: async () => {
        await Promise.allSettled(started.map((sim) => sim.stop()));
      },
    };
  } catch (err) {
    await Promise.allSettled(started.map((sim) => sim.stop()));
    throw err;
  }
}
