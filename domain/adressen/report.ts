import type { AdresseDifference } from '../../contracts/beteiligte';

const KIND_NAMES: Readonly<Record<string, string>> = { billing: 'billing address', shipping: 'shipping address' };

/** `billing address (66a…:billing)` */
function addressName(key: string): string {
  const kind = key.slice(key.lastIndexOf(':') + 1);
  return `${KIND_NAMES[kind] ?? 'address'} (${key})`;
}

function describeDifference(d: AdresseDifference): string {
  if (d.field === 'address') {
    const hint = 'Advoware does not allow deleting addresses: end or remove it there by hand';
    return `${addressName(d.address)} was deleted in EspoCRM but stays in Advoware as "${d.advoware}" (${hint})`;
  }
  const hint = 'read-only in Advoware after creation: change it there by hand';
  return `${addressName(d.address)}: ${d.field} is "${d.advoware}" in Advoware and "${d.espocrm}" in EspoCRM (${hint})`;
}

/**
 * The notification about address changes Advoware cannot take (SPEC §5.4: reported, never dropped): the party, and per
 * change the address, the field, Advoware's value and EspoCRM's. Null when there is nothing new to tell.
 */
export function describeUnsyncable(party: string, betNr: number, differences: readonly AdresseDifference[]): string | null {
  if (differences.length === 0) return null;
  const count = differences.length === 1 ? 'An address change' : `${differences.length} address changes`;
  return `${party} (betNr ${betNr}): ${count} could not be written to Advoware: ${differences.map(describeDifference).join('; ')}.`;
}
