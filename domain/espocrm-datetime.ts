/** EspoCRM's DateTime format (SPEC §4): `YYYY-MM-DD HH:MM:SS` in UTC, without a zone designator. */
export function toEspoDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

export function parseEspoDateTime(value: string): Date {
  return new Date(`${value.replace(' ', 'T')}Z`);
}
