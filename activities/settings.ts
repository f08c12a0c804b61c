import type { PartySyncConfig } from '../config/env';

export interface PartySyncSettings {
  backoffMs: number[];
  maxAttempts: number;
  autoResetMs: number;
  staleMs: number;
  callTimeoutMs: number;
}

/**
 * The worker's configuration, handed to workflows through a (local) activity so it is
 * recorded in each workflow's history and replays identically after a config change.
 */
export function createSettingsActivities(config: PartySyncConfig) {
  return {
    async partySyncSettings(): Promise<PartySyncSettings> {
      return {
        backoffMs: config.PARTY_SYNC_BACKOFF_SECONDS.map((s) => s * 1000),
        maxAttempts: config.PARTY_SYNC_MAX_ATTEMPTS,
        autoResetMs: config.PARTY_SYNC_AUTO_RESET_SECONDS * 1000,
        staleMs: config.PARTY_SYNC_STALE_SECONDS * 1000,
        callTimeoutMs: config.PARTY_SYNC_CALL_TIMEOUT_SECONDS * 1000,
      };
    },
  };
}

export type SettingsActivities = ReturnType<typeof createSettingsActivities>;
