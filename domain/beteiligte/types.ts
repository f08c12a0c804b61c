/** EspoCRM `syncStatus` values (SPEC §5.6). */
export type SyncStatus =
  | 'pending_sync'
  | 'dirty'
  | 'syncing'
  | 'clean'
  | 'failed'
  | 'permanently_failed'
  | 'conflict'
  | 'deleted_in_advoware';

/** EspoCRM `CBeteiligte` as the hub reads and writes it (SPEC §4). */
export interface EspoBeteiligte {
  id: string;
  name?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  firmenname?: string | null;
  salutationName?: string | null;
  /** `YYYY-MM-DD` */
  dateOfBirth?: string | null;
  rechtsform?: string | null;
  betnr?: number | null;
  advowareRowId?: string | null;
  syncStatus?: SyncStatus | null;
  advowareLastSync?: string | null;
  advowareDeletedAt?: string | null;
  syncErrorMessage?: string | null;
  syncRetryCount?: number | null;
  syncNextRetry?: string | null;
  syncAutoResetAt?: string | null;
  kommunikationHash?: string | null;
  stammdatenHash?: string | null;
  modifiedAt?: string | null;
  assignedUserId?: string | null;
  emailAddressData?: { emailAddress: string; primary?: boolean }[] | null;
  phoneNumberData?: { phoneNumber: string; type?: string; primary?: boolean }[] | null;
}
