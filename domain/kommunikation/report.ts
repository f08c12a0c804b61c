import type { SkippedValue } from './model';

const REASONS: Record<SkippedValue['reason'], string> = {
  invalidEmail: 'not an e-mail address',
  invalidPhone: 'not a phone number',
  duplicate: 'entered twice',
  notSyncable: 'a type EspoCRM has no field for',
};

const SIDES: Record<SkippedValue['side'], string> = { espocrm: 'EspoCRM', advoware: 'Advoware' };

/**
 * One line for `syncErrorMessage` and the notification about values the sync leaves alone, so a user can find
 * and fix them; null when every value was synced. Web addresses, E-Post and beA ids in Advoware are not news
 * (EspoCRM has no field for them by design), so they are not reported.
 */
export function describeSkipped(skipped: readonly SkippedValue[]): string | null {
  const worth = skipped.filter((s) => s.reason !== 'notSyncable');
  if (worth.length === 0) return null;
  const items = worth.map((s) => `${s.value} in ${SIDES[s.side]}${s.entryId === undefined ? '' : ` (entry ${s.entryId})`}: ${REASONS[s.reason]}`);
  const count = worth.length === 1 ? '1 phone number or e-mail address was' : `${worth.length} phone numbers or e-mail addresses were`;
  return `${count} not synced: ${items.join('; ')}`;
}
