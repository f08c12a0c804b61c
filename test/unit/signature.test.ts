import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signTokenRequest } from '../../clients/advoware/signature';

// Vector computed outside the code under test:
//   printf '%s' '42:hub-app:6b0f7c1e-nonce:2026-01-05T10:00:00.000Z' \
//     | openssl dgst -sha512 -mac HMAC -macopt key:"secret-key-for-tests" -binary | base64
const VECTOR = {
  productId: '42',
  appId: 'hub-app',
  nonce: '6b0f7c1e-nonce',
  timestamp: '2026-01-05T10:00:00.000Z',
  apiKeyBase64: Buffer.from('secret-key-for-tests').toString('base64'),
  expected: 'cuVfP2zusWYURIwpFh0IbzzIWy4B788kByLNK7VyQ+jDelPevEgERY+qlv6+jYtJeElgJJlFEPW1ZxRcqR+ZOQ==',
};

test('token signature matches an HMAC-SHA512 vector computed with openssl', () => {
  assert.equal(signTokenRequest(VECTOR), VECTOR.expected);
});

test('the API key is base64-decoded before use as the HMAC key', () => {
  // Using the base64 text itself as key must give a different signature.
  const withRawKey = signTokenRequest({ ...VECTOR, apiKeyBase64: Buffer.from(VECTOR.apiKeyBase64).toString('base64') });
  assert.notEqual(withRawKey, VECTOR.expected);
});

test('every part of the message changes the signature', () => {
  for (const field of ['productId', 'appId', 'nonce', 'timestamp'] as const) {
    assert.notEqual(signTokenRequest({ ...VECTOR, [field]: `${VECTOR[field]}x` }), VECTOR.expected, field);
  }
});
