// When a feed is fetched: its own interval and its backoff, and times written under a clock that ran ahead.
import { feedSkip } from '../../lambda/core/feed-schedule';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const MINUTE = 60_000;
const feed = { url: 'https://news.example.test/feed.xml', name: 'Feed', intervalMinutes: 30 };

describe('feedSkip', () => {
  it('skips a feed inside its own interval and polls it once the interval has passed', () => {
    const state = { consecutiveFailures: 0, lastAttemptAt: NOW - 10 * MINUTE };
    expect(feedSkip(feed, state, NOW)).toEqual({ reason: 'not-due', until: NOW + 20 * MINUTE, intervalMinutes: 30 });
    expect(feedSkip(feed, state, NOW + 21 * MINUTE)).toBeUndefined();
  });

  it('polls a feed whose last attempt is in the future: written under a clock that ran ahead, then was corrected', () => {
    expect(feedSkip(feed, { consecutiveFailures: 0, lastAttemptAt: NOW + 24 * 60 * MINUTE }, NOW)).toBeUndefined();
  });

  it('waits out a backoff, but not one further off than the longest backoff (a clock that ran ahead)', () => {
    const backingOff = { consecutiveFailures: 3, nextAttemptAt: NOW + 20 * MINUTE, lastAttemptAt: NOW - MINUTE };
    expect(feedSkip({ ...feed, intervalMinutes: undefined }, backingOff, NOW)).toMatchObject({
      reason: 'backing-off',
      until: NOW + 20 * MINUTE,
    });
    const fromTheFuture = {
      ...backingOff,
      nextAttemptAt: NOW + 30 * 60 * MINUTE,
      lastAttemptAt: NOW + 24 * 60 * MINUTE,
    };
    expect(feedSkip(feed, fromTheFuture, NOW)).toBeUndefined();
  });
});
