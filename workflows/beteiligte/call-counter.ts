/** Counts the external calls of one run for its outcome (SPEC §5.2 budget); Temporal's retries are not counted. */
export class CallCounter {
  count = 0;

  async call<T>(fn: () => Promise<T>): Promise<T> {
    this.count++;
    return fn();
  }
}
