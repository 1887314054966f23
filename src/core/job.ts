/**
 * A long computation cut into slices, so that a host with one thread (the extension host, a browser) can stay
 * responsive: it calls `step` with a `shouldYield` that says when the slice has used its time, does other work, and
 * calls `step` again until it returns true.
 */
export interface Job<T> {
  /**
   * Work until the job is finished or until `shouldYield()` returns true (asked after every small, bounded piece of
   * work). Without `shouldYield` the job runs to the end. Returns true once the job is finished.
   */
  step(shouldYield?: () => boolean): boolean;
  /** The result; throws before `step` has returned true. */
  result(): T;
}

/** Run a job to the end in one go and return its result. */
export function runJob<T>(job: Job<T>): T {
  job.step();
  return job.result();
}

/**
 * How much work a job does between two questions to `shouldYield`: about this many segments (or the equivalent for
 * other units). Small enough that a slice overruns its budget by well under a millisecond.
 */
export const JOB_CHUNK = 256;
