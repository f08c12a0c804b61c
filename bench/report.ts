/** A target of the issue: its text for the table, and the test the measured value must pass. */
export interface Target {
  text: string;
  test: (value: number) => boolean;
}

export const atMost = (limit: number, unit = ''): Target => ({ text: `≤ ${limit.toLocaleString('en')}${unit}`, test: (v) => v <= limit });
export const atLeast = (limit: number, unit = ''): Target => ({ text: `≥ ${limit.toLocaleString('en')}${unit}`, test: (v) => v >= limit });
export const exactly = (expected: number): Target => ({ text: `= ${expected}`, test: (v) => v === expected });

export interface BenchRow {
  figure: string;
  value: number;
  unit: string;
  /** What the issue asks for; absent for a figure shown for context. */
  target?: string;
  /** Absent when there is no target. A value that could not be measured (NaN) misses. */
  met?: boolean;
  /** Context: the original figure, the bare comparison, how it was measured. */
  note?: string;
}

export function row(figure: string, value: number, unit: string, target?: Target, note?: string): BenchRow {
  return {
    figure,
    value,
    unit,
    ...(target ? { target: target.text, met: Number.isFinite(value) && target.test(value) } : {}),
    ...(note ? { note } : {}),
  };
}

const format = (value: number): string => (Number.isFinite(value) ? value.toLocaleString('en', { maximumFractionDigits: 2 }) : 'n/a');

export function printTable(title: string, rows: readonly BenchRow[]): void {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map((r) => r.figure.length), 6);
  const targetWidth = Math.max(...rows.map((r) => (r.target ?? '').length), 6);
  console.log(`  ${'figure'.padEnd(width)}  ${'value'.padStart(10)}  ${'unit'.padEnd(6)}  ${'target'.padEnd(targetWidth)}  met   note`);
  for (const r of rows) {
    const met = r.met === undefined ? '' : r.met ? 'yes' : 'MISS';
    console.log(
      `  ${r.figure.padEnd(width)}  ${format(r.value).padStart(10)}  ${r.unit.padEnd(6)}  ${(r.target ?? '').padEnd(targetWidth)}  ${met.padEnd(4)}  ${r.note ?? ''}`,
    );
  }
}

/** The misses, said plainly at the end of the run: a measurement, not a test, so the exit code stays 0. */
export function printMisses(misses: readonly (BenchRow & { part: string })[]): void {
  if (misses.length === 0) {
    console.log('\nEvery target met.');
    return;
  }
  console.log(`\nMISSED TARGETS (${misses.length}):`);
  for (const m of misses) console.log(`  - [${m.part}] ${m.figure}: ${format(m.value)} ${m.unit}, target ${m.target}`);
}
