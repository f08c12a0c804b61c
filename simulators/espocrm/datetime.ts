/** EspoCRM's DateTime format: `YYYY-MM-DD HH:MM:SS`, UTC, no zone designator, whole seconds. */
export function formatDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const DATETIME_PATTERN = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** True for a `YYYY-MM-DD` string naming a real calendar day. */
export function isValidDate(value: string): boolean {
  if (!DATE_PATTERN.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

export function isValidDateTime(value: string): boolean {
  if (!DATETIME_PATTERN.test(value)) return false;
  const d = new Date(`${value.replace(' ', 'T')}Z`);
  return !Number.isNaN(d.getTime()) && formatDateTime(d) === value;
}
