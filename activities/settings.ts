import type { BankverbindungenSyncSettings } from '../contracts/bankverbindungen';
import type { BeteiligteSyncSettings } from '../contracts/beteiligte';
import type { BankverbindungenSyncConfig, BeteiligteSyncConfig } from '../config/env';

/**
 * The worker's configuration, handed to workflows through a (local) activity so it is
 * recorded in each workflow's history and replays identically after a config change.
 */
export function createSettingsActivities(config: BeteiligteSyncConfig & BankverbindungenSyncConfig) {
  const beteiligte = (): BeteiligteSyncSettings => ({
    backoffMs: config.BETEILIGTE_SYNC_BACKOFF_SECONDS.map((s) => s * 1000),
    maxAttempts: config.BETEILIGTE_SYNC_MAX_ATTEMPTS,
    autoResetMs: config.BETEILIGTE_SYNC_AUTO_RESET_SECONDS * 1000,
    staleMs: config.BETEILIGTE_SYNC_STALE_SECONDS * 1000,
    callTimeoutMs: config.BETEILIGTE_SYNC_CALL_TIMEOUT_SECONDS * 1000,
  });
  return {
    async beteiligteSyncSettings(): Promise<BeteiligteSyncSettings> {
      return beteiligte();
    },

    /** A bank account has the Beteiligte's status machine (SPEC §5.6: one machine, one timing) and its own party wait. */
    async bankverbindungenSyncSettings(): Promise<BankverbindungenSyncSettings> {
      return {
        ...beteiligte(),
        partyWaitMs: config.BANKVERBINDUNGEN_SYNC_PARTY_WAIT_SECONDS * 1000,
        partyPollMs: config.BANKVERBINDUNGEN_SYNC_PARTY_POLL_SECONDS * 1000,
      };
    },
  };
}

export type SettingsActivities = ReturnType<typeof createSettingsActivities>;
