/** Google's JSON error envelope (`{error:{code, message, errors:[…]}}`), the only error shape the simulator sends. */

export interface GoogleErrorItem {
  domain: string;
  reason: string;
  message: string;
  location?: string;
  locationType?: string;
}

export interface GoogleErrorBody {
  error: {
    code: number;
    message: string;
    errors: GoogleErrorItem[];
    status?: string;
  };
}

export function googleErrorBody(
  code: number,
  message: string,
  reason: string,
  extra: Partial<GoogleErrorItem> & { status?: string } = {},
): GoogleErrorBody {
  const { status, domain = 'global', ...item } = extra;
  return {
    error: {
      code,
      message,
      errors: [{ domain, reason, message, ...item }],
      ...(status !== undefined ? { status } : {}),
    },
  };
}

/** Thrown by stores and handlers; the error middleware turns it into the envelope above. */
export class GoogleApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason: string,
    readonly extra: Partial<GoogleErrorItem> & { status?: string } = {},
  ) {
    super(message);
    this.name = 'GoogleApiError';
  }

  toBody(): GoogleErrorBody {
    return googleErrorBody(this.code, this.message, this.reason, this.extra);
  }
}

export const notFound = (): GoogleApiError => new GoogleApiError(404, 'Not Found', 'notFound');

export const resourceDeleted = (): GoogleApiError => new GoogleApiError(410, 'Resource has been deleted', 'deleted');

export const fullSyncRequired = (): GoogleApiError =>
  new GoogleApiError(410, 'Sync token is no longer valid, a full sync is required.', 'fullSyncRequired');

/** 400 for a bad query parameter; `location` names the parameter as Google does. */
export const invalidParameter = (parameter: string, message = 'Invalid Value'): GoogleApiError =>
  new GoogleApiError(400, message, 'invalid', { location: parameter, locationType: 'parameter' });

/** 400 for a bad request body. */
export const invalid = (message: string): GoogleApiError => new GoogleApiError(400, message, 'invalid');

export const required = (message: string): GoogleApiError => new GoogleApiError(400, message, 'required');

export const timeRangeEmpty = (): GoogleApiError => new GoogleApiError(400, 'The specified time range is empty.', 'timeRangeEmpty');

export const duplicateId = (): GoogleApiError => new GoogleApiError(409, 'The requested identifier already exists.', 'duplicate');

export const conditionNotMet = (): GoogleApiError =>
  new GoogleApiError(412, 'Precondition Failed', 'conditionNotMet', { location: 'If-Match', locationType: 'header' });

export const syncTokenWithRestrictions = (): GoogleApiError =>
  new GoogleApiError(400, 'Sync token cannot be used with other request restrictions.', 'syncTokenWithRequestRestrictions');

/** Default body of a status without a more specific cause, e.g. for injected faults. */
export function genericErrorBody(code: number): GoogleErrorBody {
  const known: Record<number, [string, string, string?]> = {
    400: ['Bad Request', 'badRequest'],
    401: ['Invalid Credentials', 'authError'],
    403: ['Forbidden', 'forbidden'],
    404: ['Not Found', 'notFound'],
    409: ['Conflict', 'conflict'],
    410: ['Resource has been deleted', 'deleted'],
    412: ['Precondition Failed', 'conditionNotMet'],
    429: ['Rate Limit Exceeded', 'rateLimitExceeded', 'usageLimits'],
    500: ['Backend Error', 'backendError'],
    503: ['The service is currently unavailable.', 'backendError'],
  };
  const [message, reason, domain] = known[code] ?? (code >= 500 ? ['Backend Error', 'backendError'] : ['Error', 'unknown']);
  return googleErrorBody(code, message, reason, domain ? { domain } : {});
}
