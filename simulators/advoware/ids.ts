import { randomBytes } from 'node:crypto';

/** A fresh Advoware-like rowId: base64 of 30 random bytes, 40 characters, new on every write. */
export function newRowId(): string {
  return randomBytes(30).toString('base64');
}

/** Increasing integer ids (betNr, frNr, entry ids), continuing after the highest one already used. */
export class Sequence {
  private last: number;
  constructor(start: number) {
    this.last = start - 1;
  }

  next(): number {
    this.last += 1;
    return this.last;
  }

  /** Make sure ids handed out later never collide with one loaded from a seed. */
  observe(id: number): void {
    if (id > this.last) this.last = id;
  }
}
