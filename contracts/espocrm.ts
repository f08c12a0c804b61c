/** EspoCRM `syncStatus` values (SPEC §5.6), as a list so input can be checked against it. */
export const SYNC_STATUSES = [
  'pending_sync',
  'dirty',
  'syncing',
  'clean',
  'failed',
  'permanently_failed',
  'conflict',
  'deleted_in_advoware',
] as const;

export type SyncStatus = (typeof SYNC_STATUSES)[number];

export function isSyncStatus(value: unknown): value is SyncStatus {
  return (SYNC_STATUSES as readonly unknown[]).includes(value);
}

export interface EspoEmailAddress {
  emailAddress: string;
  primary?: boolean;
  /** The user opted out of mail to this address; a write of the array sends it back as read, or EspoCRM may reset it. */
  optOut?: boolean;
  /** Marked undeliverable in EspoCRM; kept on write like optOut. */
  invalid?: boolean;
}

export interface EspoPhoneNumber {
  phoneNumber: string;
  /** `Office | Mobile | Home | Fax | Other` in the firm's CRM; kept open because a CRM admin can add types. */
  type?: string;
  primary?: boolean;
  /** Do-not-call; a write of the array sends it back as read, or EspoCRM may reset it. */
  optOut?: boolean;
  /** Marked unreachable in EspoCRM; kept on write like optOut. */
  invalid?: boolean;
}

/**
 * EspoCRM `CBeteiligte` as the hub reads and writes it (SPEC §4). Every attribute but `id`
 * may be missing (a list `select`, a webhook's changed attributes) or null (never set);
 * DateTimes are EspoCRM's `YYYY-MM-DD HH:MM:SS` UTC strings.
 */
export interface EspoBeteiligte {
  id: string;
  name?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  /** Set for a company; EspoCRM then hides the person's names (SPEC §4). */
  firmenname?: string | null;
  salutationName?: string | null;
  /** `YYYY-MM-DD` */
  dateOfBirth?: string | null;
  rechtsform?: string | null;
  /** Advoware's Beteiligte number; absent until the Beteiligte was created there. */
  betnr?: number | null;
  /** Advoware's `rowId` at the last sync: a different current one means Advoware changed. */
  advowareRowId?: string | null;
  syncStatus?: SyncStatus | null;
  advowareLastSync?: string | null;
  advowareDeletedAt?: string | null;
  /** At most 2000 characters. */
  syncErrorMessage?: string | null;
  syncRetryCount?: number | null;
  syncNextRetry?: string | null;
  syncAutoResetAt?: string | null;
  /** Hash of the sync-relevant Advoware Kommunikation rowIds at the last sync (SPEC §5.3). */
  kommunikationHash?: string | null;
  /** Content hash of the e-mail/phone data at the last sync (SPEC §5.3: EspoCRM changes by content, never modifiedAt). */
  kommunikationEspoHash?: string | null;
  /** Content hash of the sync-relevant values at the last sync (see `hash.ts`). */
  stammdatenHash?: string | null;
  modifiedAt?: string | null;
  assignedUserId?: string | null;
  emailAddressData?: EspoEmailAddress[] | null;
  phoneNumberData?: EspoPhoneNumber[] | null;
  /** EspoCRM's `address` field type, twice: the billing and the shipping address (SPEC §5.4). */
  billingAddressStreet?: string | null;
  billingAddressPostalCode?: string | null;
  billingAddressCity?: string | null;
  billingAddressState?: string | null;
  billingAddressCountry?: string | null;
  shippingAddressStreet?: string | null;
  shippingAddressPostalCode?: string | null;
  shippingAddressCity?: string | null;
  shippingAddressState?: string | null;
  shippingAddressCountry?: string | null;
  /** Content hash of the two addresses at the last sync: only a different one makes a run read Advoware's Adressen. */
  adressenEspoHash?: string | null;
  /** Address differences Advoware cannot take that were already notified (domain/adressen/report.ts), so each is told once. */
  adressenReported?: string | null;
}

/** The attributes the Stammdaten mapping reads; the hash covers exactly these. */
export type EspoStammdaten = Pick<EspoBeteiligte, 'name' | 'firstName' | 'lastName' | 'firmenname' | 'salutationName' | 'dateOfBirth' | 'rechtsform'>;

/** EspoCRM's `where` filter language (SPEC §4), as the REST API takes it in the query string. */
export type WhereClause =
  | {
      type: 'equals' | 'notEquals' | 'before' | 'after' | 'lessThan' | 'greaterThan';
      attribute: string;
      value: string | number | boolean;
    }
  | { type: 'in' | 'notIn'; attribute: string; value: readonly (string | number)[] }
  | { type: 'isNull' | 'isNotNull'; attribute: string }
  | { type: 'or' | 'and'; value: readonly WhereClause[] };
