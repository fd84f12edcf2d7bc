// Capped exponential backoff for failing feeds: when to try a feed again after its n-th consecutive failure.

export interface BackoffPolicy {
  baseMs: number;
  /** The longest wait the doubling reaches: shorter than a busy feed keeps its items, so an outage's end loses none. */
  maxMs: number;
  /** The longest a server's Retry-After is honoured, and how long a 410 is believed before the feed is tried again. */
  politeMaxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5 * 60_000, maxMs: 60 * 60_000, politeMaxMs: 6 * 60 * 60_000 };

/**
 * Delay before the next attempt after `consecutiveFailures` failures in a row (1 = the first failure).
 * A server's Retry-After wins when it asks for longer, within its own cap.
 */
export function backoffDelay(consecutiveFailures: number, policy = DEFAULT_BACKOFF, retryAfterMs?: number): number {
  const exponent = Math.max(0, Math.min(consecutiveFailures - 1, 30));
  const exponential = Math.min(policy.baseMs * 2 ** exponent, policy.maxMs);
  if (retryAfterMs !== undefined && retryAfterMs > exponential) return Math.min(retryAfterMs, policy.politeMaxMs);
  return exponential;
}
