import { asyncLocalStorage } from '@temporalio/activity';
import { isFailure, type ExternalSystem } from '../contracts/failures';

/** A record that does not exist (404) is an answer (`null`), not a failure. */
export async function nullWhenNotFound<T>(system: ExternalSystem, read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (isFailure(err, system, 'NotFound')) return null;
    throw err;
  }
}

/**
 * An Advoware POST of an entry Advoware never deletes (an entry, address or bank account): it runs as a regular
 * activity, recorded once it landed, yet a retry may follow a POST that landed but answered too late (a time-out).
 * On a retry `findLanded` looks for the entry by the hub's marker, and what it finds is taken instead of a second
 * POST. Outside an activity (a benchmark calling it directly) there is no retry.
 */
export async function createOnce<T>(findLanded: () => Promise<T | undefined>, create: () => Promise<T>): Promise<T> {
  if ((asyncLocalStorage.getStore()?.info.attempt ?? 1) > 1) {
    const landed = await findLanded();
    if (landed !== undefined) return landed;
  }
  return create();
}
