import { isValidDate, isValidDateTime } from './datetime.js';
import { badRequest } from './errors.js';
import { PHONE_TYPES, SYNC_STATUSES, type EntityData } from './model.js';

/** Real EspoCRM rejects `null` for these; the hub has to leave them out instead. */
const NON_NULLABLE_FIELDS = ['name', 'dateOfBirth', 'salutationName', 'rechtsform', 'emailAddressData', 'phoneNumberData'];

/**
 * Required attributes per entity type, checked on the finished record of a create (after the
 * CRM derived `name`), so a hub mapping that loses every name part fails loudly.
 */
const REQUIRED_ON_CREATE: Readonly<Record<string, readonly string[]>> = {
  CBeteiligte: ['name'],
  Call: ['name'],
  Task: ['name'],
  Notification: ['type', 'userId'],
};
const DATETIME_FIELDS = ['advowareLastSync', 'advowareDeletedAt', 'syncNextRetry', 'syncAutoResetAt'];
/** The parts of EspoCRM's `address` field type, on CBeteiligte twice (billing, shipping): text or null. */
const ADDRESS_FIELDS = ['billing', 'shipping'].flatMap((kind) =>
  ['Street', 'PostalCode', 'City', 'State', 'Country'].map((part) => `${kind}Address${part}`),
);
const SYNC_ERROR_MESSAGE_MAX = 2000;

/** Validates the attributes a create or update body sets; throws a 400 EspoError naming the field. */
export function validateAttributes(data: EntityData): void {
  for (const field of NON_NULLABLE_FIELDS) {
    if (field in data && data[field] === null) throw badRequest(`Field "${field}" must not be null`);
  }
  const dob = data.dateOfBirth;
  if (dob !== undefined && (typeof dob !== 'string' || !isValidDate(dob))) {
    throw badRequest('Field "dateOfBirth" must be a date YYYY-MM-DD');
  }
  for (const field of DATETIME_FIELDS) {
    const v = data[field];
    if (v !== undefined && v !== null && (typeof v !== 'string' || !isValidDateTime(v))) {
      throw badRequest(`Field "${field}" must be a datetime YYYY-MM-DD HH:MM:SS`);
    }
  }
  for (const field of ADDRESS_FIELDS) {
    const v = data[field];
    if (v !== undefined && v !== null && typeof v !== 'string') throw badRequest(`Field "${field}" must be a string`);
  }
  if ('syncStatus' in data && !(SYNC_STATUSES as readonly unknown[]).includes(data.syncStatus)) {
    throw badRequest(`Field "syncStatus" must be one of ${SYNC_STATUSES.join(', ')}`);
  }
  const msg = data.syncErrorMessage;
  if (typeof msg === 'string' && msg.length > SYNC_ERROR_MESSAGE_MAX) {
    throw badRequest(`Field "syncErrorMessage" exceeds ${SYNC_ERROR_MESSAGE_MAX} characters`);
  }
  const retries = data.syncRetryCount;
  if (retries !== undefined && retries !== null && !Number.isInteger(retries)) {
    throw badRequest('Field "syncRetryCount" must be an integer');
  }
  if (data.emailAddressData !== undefined) validateEmails(data.emailAddressData);
  if (data.phoneNumberData !== undefined) validatePhones(data.phoneNumberData);
}

/** Checks that a record about to be created carries its entity type's required attributes. */
export function validateRequired(type: string, record: EntityData): void {
  for (const field of REQUIRED_ON_CREATE[type] ?? []) {
    const v = record[field];
    if (v === undefined || v === null || v === '') throw badRequest(`Field "${field}" is required`);
  }
}

function validateEmails(value: unknown): void {
  if (!Array.isArray(value)) throw badRequest('Field "emailAddressData" must be an array');
  for (const item of value) {
    if (!isObject(item) || typeof item.emailAddress !== 'string' || !item.emailAddress.includes('@')) {
      throw badRequest('Field "emailAddressData" needs items {emailAddress, primary}');
    }
    checkPrimary('emailAddressData', item);
  }
}

function validatePhones(value: unknown): void {
  if (!Array.isArray(value)) throw badRequest('Field "phoneNumberData" must be an array');
  for (const item of value) {
    if (!isObject(item) || typeof item.phoneNumber !== 'string' || item.phoneNumber === '') {
      throw badRequest('Field "phoneNumberData" needs items {phoneNumber, type, primary}');
    }
    if (!(PHONE_TYPES as readonly unknown[]).includes(item.type)) {
      throw badRequest(`Field "phoneNumberData" type must be one of ${PHONE_TYPES.join(', ')}`);
    }
    checkPrimary('phoneNumberData', item);
  }
}

function checkPrimary(field: string, item: Record<string, unknown>): void {
  if (item.primary !== undefined && typeof item.primary !== 'boolean') {
    throw badRequest(`Field "${field}" primary must be a boolean`);
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
