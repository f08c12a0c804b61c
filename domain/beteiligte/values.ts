/**
 * Value normalisation shared by the mapping and the hash: both must agree on when two values
 * are "the same", or a sync would report changes that are only formatting.
 */

/** Trimmed text; empty and whitespace-only count as absent, because users clear fields either way. */
export function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** True when both sides hold the same text after normalisation (`''` ≡ null). */
export function sameText(a: string | null | undefined, b: string | null | undefined): boolean {
  return text(a) === text(b);
}

const DATE_PREFIX = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/;

/** The `YYYY-MM-DD` part of an EspoCRM date or an Advoware `YYYY-MM-DDT00:00:00`; null when there is none. */
export function datePart(value: string | null | undefined): string | null {
  const match = DATE_PREFIX.exec(text(value) ?? '');
  return match?.[1] ?? null;
}

/** EspoCRM `2001-01-05` → Advoware `2001-01-05T00:00:00` (a date without time or zone). */
export function toAdvowareDate(value: string | null | undefined): string | null {
  const date = datePart(value);
  return date ? `${date}T00:00:00` : null;
}

/** Advoware `2001-01-05T00:00:00` → EspoCRM `2001-01-05`. */
export function toEspoDate(value: string | null | undefined): string | null {
  return datePart(value);
}
