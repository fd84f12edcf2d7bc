import { backoffDelay, DEFAULT_BACKOFF } from '../../lambda/core/backoff';

describe('backoffDelay', () => {
  it('doubles from the base delay with each consecutive failure', () => {
    expect(backoffDelay(1)).toBe(DEFAULT_BACKOFF.baseMs);
    expect(backoffDelay(2)).toBe(2 * DEFAULT_BACKOFF.baseMs);
    expect(backoffDelay(3)).toBe(4 * DEFAULT_BACKOFF.baseMs);
  });

  it('never waits longer than the cap, however many failures', () => {
    expect(backoffDelay(50)).toBe(DEFAULT_BACKOFF.maxMs);
    expect(backoffDelay(1000)).toBe(DEFAULT_BACKOFF.maxMs);
  });

  it('honours a longer Retry-After, still within the cap', () => {
    expect(backoffDelay(1, DEFAULT_BACKOFF, 20 * 60_000)).toBe(20 * 60_000);
    expect(backoffDelay(1, DEFAULT_BACKOFF, 1_000)).toBe(DEFAULT_BACKOFF.baseMs);
    expect(backoffDelay(1, DEFAULT_BACKOFF, 48 * 3600_000)).toBe(6 * 3600_000);
  });

  it('doubles to an hour at most, so a busy feed is read again before its items after an outage roll off', () => {
    expect([1, 2, 3, 4, 5, 6, 20].map((failures) => backoffDelay(failures) / 60_000)).toEqual([
      5, 10, 20, 40, 60, 60, 60,
    ]);
  });
});
