import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkProxyPath } from '../../api/proxy-path';

const BASE = 'https://advoware.example:90/prod/';

test('relative paths below the base pass, a leading slash is dropped', () => {
  assert.deepEqual(checkProxyPath('api/v1/advonet/Beteiligte/1', BASE), { ok: true, path: 'api/v1/advonet/Beteiligte/1' });
  assert.deepEqual(checkProxyPath('/api/v1/advonet/Mitarbeiter', BASE), { ok: true, path: 'api/v1/advonet/Mitarbeiter' });
  assert.deepEqual(checkProxyPath('api/v1/advonet/Termine?kuerzel=ABC', BASE), {
    ok: true,
    path: 'api/v1/advonet/Termine?kuerzel=ABC',
  });
});

const rejected: [string, RegExp][] = [
  ['http://evil.example/x', /absolute/],
  ['https://advoware.example:90/prod/api', /absolute/],
  ['HTTP://evil.example', /absolute/],
  ['//evil.example/x', /protocol-relative/],
  ['javascript:alert(1)', /absolute/],
  ['api/../../etc/passwd', /traversal/],
  ['../api', /traversal/],
  ['api/./v1', /traversal/],
  ['api/%2e%2e/%2e%2e/secret', /traversal/],
  ['api/%2E%2E/secret', /traversal/],
  ['api/%252e%252e/secret', /traversal/],
  ['api%2f..%2fsecret', /traversal/],
  ['http%3a%2f%2fevil.example', /absolute/],
  ['api\\..\\secret', /backslash/],
  ['api/%00/x', /control/],
  ['api/x#frag', /fragment/],
  ['api/%zz', /percent-encoding/],
  ['%25252525252e', /percent-encoding/],
  ['', /empty/],
  ['x'.repeat(3000), /longer/],
];

for (const [path, reason] of rejected) {
  test(`rejects ${JSON.stringify(path.slice(0, 40))}`, () => {
    const result = checkProxyPath(path, BASE);
    assert.equal(result.ok, false);
    assert.match((result as { reason: string }).reason, reason);
  });
}
