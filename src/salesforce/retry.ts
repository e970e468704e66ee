/**
 * Retry policy shared by every call. jsforce retries GET/PUT/DELETE only, never POST or PATCH, and
 * re-sends an already-consumed body on PUT. So the adapter switches jsforce's
 * transport retries off and retries here, building a fresh request each attempt.
 */

export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  /** Wait before the 2nd attempt; doubles after each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  sleep: defaultSleep,
};

/** Wait after failed attempt number `attempt` (1-based): base, 2×base, 4×base, … capped. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
}

/**
 * Runs `task` until it succeeds, `shouldRetry` says no, or the attempts run out; the last error is
 * thrown as is.
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  task: (attempt: number) => Promise<T>,
  shouldRetry: (error: unknown) => boolean,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      if (attempt >= policy.maxAttempts || !shouldRetry(error)) throw error;
      await policy.sleep(backoffDelay(policy, attempt));
    }
  }
}
