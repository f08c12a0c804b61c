import { electronicFormatIBAN, isValidBIC, validateIBAN, ValidationErrorsIBAN } from 'ibantools';
import { maskValue } from '../contact-values';
import type { EspoBankverbindung } from '../../contracts/bankverbindungen';

/** The account's values as Advoware gets them: IBAN in electronic format (no spaces, upper case), BIC likewise. */
export interface ValidAccount {
  iban: string;
  bic: string | null;
}

/** An IBAN as logs, results and messages show it: compact, all but the last four characters masked. */
export function maskIban(value: string | null | undefined): string {
  return maskValue(electronicFormatIBAN(value ?? '') ?? '');
}

export type AccountCheck = { valid: true; account: ValidAccount } | { valid: false; reason: string };

/** Readable reasons for ibantools' error codes; the user reads them in `syncErrorMessage`. */
const IBAN_REASONS: Partial<Record<ValidationErrorsIBAN, string>> = {
  [ValidationErrorsIBAN.NoIBANProvided]: 'no IBAN given',
  [ValidationErrorsIBAN.NoIBANCountry]: 'unknown country code',
  [ValidationErrorsIBAN.WrongBBANLength]: 'wrong length for its country',
  [ValidationErrorsIBAN.WrongBBANFormat]: 'account part has the wrong format for its country',
  [ValidationErrorsIBAN.ChecksumNotNumber]: 'check digits are not a number',
  [ValidationErrorsIBAN.WrongIBANChecksum]: 'check digits do not match (typo?)',
  [ValidationErrorsIBAN.WrongAccountBankBranchChecksum]: 'national check digit does not match (typo?)',
  [ValidationErrorsIBAN.QRIBANNotAllowed]: 'QR-IBAN is not an account IBAN',
};

/**
 * SPEC §5.5: the IBAN is validated (checksum, length of its country) before anything is written, and a BIC, when
 * given, must have the SWIFT format. An invalid account never reaches Advoware. Pure: the workflow decides with it.
 */
export function checkAccount(entity: Pick<EspoBankverbindung, 'iban' | 'bic'>): AccountCheck {
  const iban = electronicFormatIBAN(entity.iban ?? '') ?? '';
  const ibanCheck = validateIBAN(iban);
  if (!ibanCheck.valid) {
    const reasons = ibanCheck.errorCodes.map((code) => IBAN_REASONS[code] ?? `error ${code}`);
    return { valid: false, reason: `invalid IBAN ${maskIban(iban) || '(empty)'}: ${[...new Set(reasons)].join(', ')}` };
  }
  const bic = (entity.bic ?? '').replace(/\s+/g, '').toUpperCase();
  if (bic !== '' && !isValidBIC(bic))
    return { valid: false, reason: `invalid BIC "${bic}": expected 8 or 11 characters (bank, country, location, branch)` };
  return { valid: true, account: { iban, bic: bic === '' ? null : bic } };
}
