import type { Mitarbeiter } from '../../contracts/advoware';

/**
 * The employees whose calendars the hub syncs (SPEC §6): the active ones, by kuerzel as Advoware writes it
 * (the calendar `AW-<kuerzel>` and its cursor are named after it). The one rule for the sync, the manual
 * trigger and the audit.
 */
export function activeKuerzels(mitarbeiter: readonly Mitarbeiter[]): string[] {
  return [...new Set(mitarbeiter.filter((m) => m.aktiv).map((m) => m.kuerzel))];
}

/** People type `abc`; Advoware writes `ABC`. */
export function isActiveEmployee(mitarbeiter: readonly Mitarbeiter[], kuerzel: string): boolean {
  const wanted = kuerzel.toUpperCase();
  return activeKuerzels(mitarbeiter).some((k) => k.toUpperCase() === wanted);
}
