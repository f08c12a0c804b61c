import { randomUUID } from 'node:crypto';
import type { AdvowareConfig } from '../../config/env';
import { externalFailure } from '../errors';
import { failForStatus, isSuccess, sendHttp } from '../http';
import { signTokenRequest } from './signature';

export type AdvowareCredentials = Pick<
  AdvowareConfig,
  | 'ADVOWARE_TOKEN_URL'
  | 'ADVOWARE_PRODUCT_ID'
  | 'ADVOWARE_APP_ID'
  | 'ADVOWARE_API_KEY'
  | 'ADVOWARE_KANZLEI'
  | 'ADVOWARE_DATABASE'
  | 'ADVOWARE_USER'
  | 'ADVOWARE_ROLE'
  | 'ADVOWARE_PASSWORD'
  | 'ADVOWARE_TIMEOUT_MS'
>;

/** Asks Advoware's security service for a new access token (SPEC §3.1); `signal` abandons the request. */
export async function requestAdvowareToken(config: AdvowareCredentials, now: () => Date = () => new Date(), signal?: AbortSignal): Promise<string> {
  const nonce = randomUUID();
  const timestamp = now().toISOString();
  const request = {
    method: 'POST',
    url: config.ADVOWARE_TOKEN_URL,
    displayPath: 'Token',
    phase: 'token' as const,
    timeoutMs: config.ADVOWARE_TIMEOUT_MS,
    signal,
    body: {
      AppID: config.ADVOWARE_APP_ID,
      Kanzlei: config.ADVOWARE_KANZLEI,
      Database: config.ADVOWARE_DATABASE,
      User: config.ADVOWARE_USER,
      Role: config.ADVOWARE_ROLE,
      Product: config.ADVOWARE_PRODUCT_ID,
      Password: config.ADVOWARE_PASSWORD,
      Nonce: nonce,
      HMAC512Signature: signTokenRequest({
        productId: config.ADVOWARE_PRODUCT_ID,
        appId: config.ADVOWARE_APP_ID,
        nonce,
        timestamp,
        apiKeyBase64: config.ADVOWARE_API_KEY,
      }),
      RequestTimeStamp: timestamp,
    },
  };
  const res = await sendHttp('Advoware', request);
  // On the token endpoint a 4xx (but 408/429) means the configured credentials or token URL are wrong: no retry
  // helps, an operator must act. Never NotFound: a caller would take that for the Beteiligte being gone.
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
    throw externalFailure(
      { system: 'Advoware', kind: 'AuthenticationFailed', status: res.status, method: 'POST', path: 'Token', phase: 'token' },
      `token request rejected (HTTP ${res.status} ${describeRejection(res.body)}); check the ADVOWARE_* credentials`,
    );
  }
  if (!isSuccess(res.status)) failForStatus('Advoware', request, res);
  const token = (res.body as { access_token?: unknown } | undefined)?.access_token;
  if (typeof token !== 'string' || token === '') {
    throw externalFailure(
      { system: 'Advoware', kind: 'ServerError', status: res.status, method: 'POST', path: 'Token', phase: 'token' },
      'token answer has no access_token',
    );
  }
  return token;
}

// Only the service's own short message goes into the failure; never the request, which holds the secrets.
function describeRejection(body: unknown): string {
  const message = (body as { Message?: unknown } | undefined)?.Message;
  return typeof message === 'string' ? message.slice(0, 200) : 'no message';
}
