// When a feed is fetched: not soon after a 410, not while backing off, not inside its own interval. Read by dispatch too,
// which must not bundle the parser the rest of the pipeline needs.

import { DEFAULT_BACKOFF } from './backoff';
import type { FeedConfig } from './types';

/** The parts of a feed's stored state (FeedState, lambda/contract/feed-state.ts) its schedule depends on. */
export interface FeedScheduleState {
  consecutiveFailures: number;
  /** ms since epoch */
  lastAttemptAt?: number;
  nextAttemptAt?: number;
  lastError?: string;
  gone?: boolean;
  turnedOverAt?: number;
}

/** Why a feed is not fetched now, with what a user needs to decide whether to wait or force it. */
export type FeedSkip =
  /** It answered 410 Gone: tried again at `until` (a feed gone during a move comes back), or when forced. */
  | { reason: 'gone'; until: number; lastError?: string }
  /** It failed `failures` times in a row; the next attempt is at `until`. */
  | { reason: 'backing-off'; until: number; failures: number; lastError?: string }
  /** Its own `intervalMinutes` has not passed since the last attempt. */
  | { reason: 'not-due'; until: number; intervalMinutes: number };

/** Whether a feed should be fetched now: not gone, not backing off, and its own interval has passed. */
export function isDue<State extends FeedScheduleState>(
  feed: FeedConfig,
  state: State | undefined,
  now: number,
): boolean {
  return feedSkip(feed, state, now) === undefined;
}

/** Why a feed should not be fetched now (gone, backing off, or inside its interval); undefined when it is due. */
export function feedSkip<State extends FeedScheduleState>(
  feed: FeedConfig,
  state: State | undefined,
  now: number,
): FeedSkip | undefined {
  if (state === undefined) return undefined;
  const lastError = state.lastError === undefined ? {} : { lastError: state.lastError };
  // Times written under a clock ahead of this one (a laptop's clock set wrong, then corrected) are not waited for: the
  // feed would go unread for as long as the clock was ahead, while its items leave it.
  const ahead = (time: number) => time > now + DEFAULT_BACKOFF.politeMaxMs;
  if (state.gone && state.lastAttemptAt !== undefined && !ahead(state.lastAttemptAt)) {
    const until = state.lastAttemptAt + DEFAULT_BACKOFF.politeMaxMs;
    if (until > now) return { reason: 'gone', until, ...lastError };
  }
  const until = state.nextAttemptAt;
  if (until !== undefined && until > now && !ahead(until)) {
    return { reason: 'backing-off', until, failures: state.consecutiveFailures, ...lastError };
  }
  // After a failure the backoff says when to try again, not the interval: one failed read must not cost a whole one.
  // Nor for a day after a read found the feed turned over since the one before: it publishes faster than its interval.
  const turnedOverLately = state.turnedOverAt !== undefined && now - state.turnedOverAt < 24 * 60 * 60_000;
  const readSooner = state.consecutiveFailures > 0 || turnedOverLately;
  if (
    feed.intervalMinutes !== undefined &&
    !readSooner &&
    state.lastAttemptAt !== undefined &&
    state.lastAttemptAt <= now
  ) {
    const until = state.lastAttemptAt + feed.intervalMinutes * 60_000;
    if (until > now) return { reason: 'not-due', until, intervalMinutes: feed.intervalMinutes };
  }
  return undefined;
}
