import { AdvowareSimulator } from './advoware/simulator';
import type { Simulator } from './core/simulator';
import { DEMO_USER_ID, EspoCrmSimulator, demoSeed as espocrmDemoSeed } from './espocrm/simulator';
import { GoogleCalendarSimulator } from './google/simulator';
import { ThreeCxSimulator } from './threecx/simulator';
import {
  SANDBOX_ADVOWARE_CREDENTIALS,
  SANDBOX_ESPOCRM,
  SANDBOX_GOOGLE,
  SANDBOX_THREECX,
  SANDBOX_VERMIETERHELDEN,
  advowareEnvFor,
  espocrmEnvFor,
  googleEnvFor,
  threecxEnvFor,
} from './sandbox-credentials';

/**
 * The EspoCRM simulator's demo user (assigned to the demo parties) is Advoware's employee ABC at extension 201, so
 * the screen pop names ABC and an outbound call to a demo party rings 201.
 */
export const SANDBOX_STAFF_DIRECTORY = `${DEMO_USER_ID}=ABC/201`;

/** One simulator of the sandbox: how to build it and which hub variables point at it. */
interface SimulatorEntry<S extends Simulator> {
  create(): S;
  hubEnv(url: string): Record<string, string>;
  /** Credentials a script needs to talk to the simulator directly (written to var/sandbox.json). */
  keys: Record<string, string>;
}

/** Adding a simulator means adding an entry here and a port in config/env.ts. */
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
  threecx: {
    // The webhook URL is set once the gateway runs (scripts/start.ts points it at `/3cx/webhook`).
    create: () => new ThreeCxSimulator({ apiKey: SANDBOX_THREECX.apiKey, webhookSecret: SANDBOX_THREECX.webhookSecret }),
    hubEnv: threecxEnvFor,
    keys: { apiKey: SANDBOX_THREECX.apiKey, webhookSecret: SANDBOX_THREECX.webhookSecret },
  } satisfies SimulatorEntry<ThreeCxSimulator>,
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
  threecx: ThreeCxSimulator;
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
  const threecx = entries.threecx.create();
  const started: Simulator[] = [];
  try {
    const advowareUrl = await advoware.start(ports.advoware, host);
    started.push(advoware);
    const espocrmUrl = await espocrm.start(ports.espocrm, host);
    started.push(espocrm);
    const googleUrl = await google.start(ports.google, host);
    started.push(google);
    const threecxUrl = await threecx.start(ports.threecx, host);
    started.push(threecx);
    return {
      advoware,
      espocrm,
      google,
      threecx,
      running: {
        advoware: { url: advowareUrl, keys: entries.advoware.keys },
        espocrm: { url: espocrmUrl, keys: entries.espocrm.keys },
        google: { url: googleUrl, keys: entries.google.keys },
        threecx: { url: threecxUrl, keys: entries.threecx.keys },
      },
      hubEnv: {
        ...entries.advoware.hubEnv(advowareUrl),
        ...entries.espocrm.hubEnv(espocrmUrl),
        ...entries.google.hubEnv(googleUrl),
        ...entries.threecx.hubEnv(threecxUrl),
        STAFF_DIRECTORY: SANDBOX_STAFF_DIRECTORY,
        // No simulator sends leads: the site is played by `npm run lead:send`, which signs with this secret.
        VERMIETERHELDEN_WEBHOOK_SECRET: SANDBOX_VERMIETERHELDEN.webhookSecret,
      },
      stop: async () => {
        await Promise.allSettled(started.map((sim) => sim.stop()));
      },
    };
  } catch (err) {
    await Promise.allSettled(started.map((sim) => sim.stop()));
    throw err;
  }
}
