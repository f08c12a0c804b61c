import { text } from './values';

/**
 * EspoCRM has one `salutationName` (`Mr.`, `Ms.`, `Mrs.`, `Dr.`; the firm's CRM also holds
 * German `Herr`/`Frau`); Advoware splits it into `anrede` (Herr/Frau) and `titel` (Dr., Prof.).
 * A value with no sure counterpart is left out rather than guessed: Advoware keeps its own,
 * and EspoCRM is never sent an option its enum might reject.
 */

export interface AdvowareSalutation {
  /** Absent: EspoCRM says nothing about it, Advoware keeps its value. */
  anrede?: string;
  titel?: string;
}

type Gender = 'Herr' | 'Frau';

/** Keys are lower case without dots, so `MR`, `mr.` and `Mr.` all match. */
const GENDER_BY_KEY: Readonly<Record<string, Gender>> = {
  mr: 'Herr',
  herr: 'Herr',
  hr: 'Herr',
  ms: 'Frau',
  mrs: 'Frau',
  frau: 'Frau',
  fr: 'Frau',
};

const TITLE_BY_KEY: Readonly<Record<string, string>> = {
  dr: 'Dr.',
  prof: 'Prof.',
  'prof dr': 'Prof. Dr.',
};

const ENGLISH: Readonly<Record<Gender, string>> = { Herr: 'Mr.', Frau: 'Ms.' };

function key(value: string): string {
  return value.toLowerCase().replace(/\./g, ' ').replace(/\s+/g, ' ').trim();
}

/** `Hr.`, `herr` and `Herr` are one anrede; anything else compares as written. */
function canonical(value: string | null | undefined): string {
  const k = key(text(value) ?? '');
  return GENDER_BY_KEY[k] ?? TITLE_BY_KEY[k] ?? k;
}

/** EspoCRM → Advoware. An unknown salutation is passed on as `anrede`; it is what the user chose. */
export function salutationToAdvoware(salutationName: string | null | undefined): AdvowareSalutation {
  const value = text(salutationName);
  if (!value) return {};
  const gender = GENDER_BY_KEY[key(value)];
  if (gender) return { anrede: gender };
  const titel = TITLE_BY_KEY[key(value)];
  if (titel) return { titel };
  return { anrede: value };
}

/**
 * Advoware → EspoCRM: the `salutationName` to write, or undefined when there is nothing to
 * write — the current value already says the same, or Advoware's has no EspoCRM counterpart.
 * The answer follows the current value's style (German or EspoCRM's English options).
 */
export function salutationFromAdvoware(
  anrede: string | null | undefined,
  titel: string | null | undefined,
  currentSalutation?: string | null,
): string | undefined {
  const current = text(currentSalutation);
  if (current && agrees(salutationToAdvoware(current), anrede, titel)) return undefined;

  const gender = GENDER_BY_KEY[key(text(anrede) ?? '')];
  if (gender) {
    const german = current !== null && (key(current) === 'herr' || key(current) === 'frau');
    return german ? gender : ENGLISH[gender];
  }
  if (key(text(titel) ?? '').startsWith('dr')) return 'Dr.';
  return undefined;
}

/** The parts EspoCRM's salutation states match Advoware's; parts it does not state are no contradiction. */
function agrees(mapped: AdvowareSalutation, anrede: string | null | undefined, titel: string | null | undefined): boolean {
  const sameAnrede = mapped.anrede === undefined || canonical(mapped.anrede) === canonical(anrede);
  const sameTitel = mapped.titel === undefined || canonical(mapped.titel) === canonical(titel);
  return sameAnrede && sameTitel;
}
