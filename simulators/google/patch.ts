/**
 * Google's patch semantics: nested objects merge, arrays and scalars replace,
 * and an explicit `null` removes a field (e.g. `start: {date: null, dateTime: …}`
 * to turn an all-day event into a timed one).
 */
export function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else if (isPlainObject(value) && isPlainObject(result[key])) {
      result[key] = mergePatch(result[key], value);
    } else {
      result[key] = value;
    }
  }
  return result;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
