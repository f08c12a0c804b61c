import { randomBytes } from 'node:crypto';

/** A 17-character hex id, the shape of the ids EspoCRM generates. */
export function newEspoId(): string {
  return randomBytes(9).toString('hex').slice(0, 17);
}

export function newSecretKey(): string {
  return randomBytes(16).toString('hex');
}
