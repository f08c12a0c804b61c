/** Counts the external calls of one run for its outcome (SPEC §5.2 budget); Temporal's retries are not counted. */
export class CallCounter {
  count = 0;

  /** `apiCalls`: an activity that makes more than one call (a read right before its write) counts each. */
  async call<T>(fn: () => Promise<T>, apiCalls = 1): Promise<T> {
    this.count += apiCalls;
    return fn();
  }
}
