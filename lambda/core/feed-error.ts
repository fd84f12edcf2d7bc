// How one feed failed: the error every fetch and parse failure becomes, so the poll records it on that feed alone.

export type FeedErrorCode =
  | 'timeout'
  | 'too-large'
  | 'http-status'
  | 'rate-limited'
  | 'gone'
  | 'too-many-redirects'
  | 'bad-url'
  | 'blocked-address'
  | 'network'
  | 'parse';

/** Every failure of one feed is one of these, so the use case can record it on that feed and go on. */
export class FeedError extends Error {
  constructor(
    readonly code: FeedErrorCode,
    message: string,
    readonly details: { httpStatus?: number; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'FeedError';
  }
}
