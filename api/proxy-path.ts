/**
 * Guard of the Advoware proxy against SSRF (SPEC §2): only paths relative to and
 * below the configured Advoware base URL pass. Everything else is a 400.
 */
export type ProxyPathResult = { ok: true; path: string } | { ok: false; reason: string };

const MAX_PATH_LENGTH = 2048;
// Enough to unwrap %252e%252e (double-encoded) and a little more; deeper nesting is refused outright.
const MAX_DECODE_ROUNDS = 4;

export function checkProxyPath(raw: string, baseUrl: string): ProxyPathResult {
  if (raw.trim() === '') return fail('path is empty');
  if (raw.length > MAX_PATH_LENGTH) return fail(`path is longer than ${MAX_PATH_LENGTH} characters`);

  const variants = decodedVariants(raw);
  if (!variants) return fail('path is not valid percent-encoding or is encoded too many times');

  for (const variant of variants) {
    // eslint-disable-next-line no-control-regex -- matching control characters is the point of this check
    if (/[\u0000-\u001f\u007f\\]/.test(variant)) return fail('path contains control characters or backslashes');
    if (/^[a-z][a-z0-9+.-]*:/i.test(variant) || variant.includes('://')) return fail('absolute URLs are not allowed');
    if (variant.startsWith('//')) return fail('protocol-relative URLs are not allowed');
    if (variant.includes('#')) return fail('fragments are not allowed');
    const pathPart = variant.split('?')[0] ?? '';
    if (pathPart.split('/').some((segment) => segment === '..' || segment === '.')) {
      return fail('path traversal (".." or ".") is not allowed');
    }
  }

  // A leading slash would resolve against the host root and escape the base path.
  const relative = raw.replace(/^\/+/, '');
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const target = new URL(relative, base);
  if (target.origin !== base.origin || !target.pathname.startsWith(base.pathname)) {
    return fail('path leaves the Advoware base URL');
  }
  return { ok: true, path: relative };
}

function fail(reason: string): ProxyPathResult {
  return { ok: false, reason };
}

/** The string and each further percent-decoding of it, or undefined when decoding fails or never settles. */
function decodedVariants(raw: string): string[] | undefined {
  const variants = [raw];
  let current = raw;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return undefined;
    }
    if (next === current) return variants;
    variants.push(next);
    current = next;
  }
  return undefined;
}
