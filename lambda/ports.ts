// The interfaces the use case needs; adapters implement them and are passed in, never built at module scope.
import type { Alert, ItemIdentity } from './core/types';

export interface Clock {
  now(): number;
}

export interface FetchRequest {
  url: string;
  etag?: string;
  lastModified?: string;
}

export type FetchResponse =
  | {
      kind: 'ok';
      body: Uint8Array;
      contentType?: string;
      /** Validators from a 200 response, to send on the next poll. */
      etag?: string;
      lastModified?: string;
      /** URL after redirects. */
      finalUrl: string;
    }
  | { kind: 'not-modified' };

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

export interface FeedSource {
  /** Resolves with the body or not-modified; rejects with a FeedError. */
  fetch(request: FetchRequest): Promise<FetchResponse>;
}

/** What is remembered about one feed between polls. */
export interface FeedState {
  url: string;
  etag?: string;
  lastModified?: string;
  /** ms since epoch */
  firstPolledAt?: number;
  lastSuccessAt?: number;
  lastAttemptAt?: number;
  consecutiveFailures: number;
  /** ms since epoch of the first failure in the current run of failures (a 304 does not move lastSuccessAt). */
  failingSince?: number;
  nextAttemptAt?: number;
  lastError?: string;
  /** 410 Gone: polling stopped until the watchlist changes the URL. */
  gone?: boolean;
}

export type ClaimOutcome =
  /** This caller owns the item until the lease ends: publish, then markSent. */
  | 'claimed'
  /** Already alerted (or recorded silently): nothing to do. */
  | 'done'
  /** Another poller holds a live lease. */
  | 'busy';

export interface ItemRecord {
  identity: ItemIdentity;
  feedUrl: string;
  title: string;
}

export interface StateStore {
  getFeed(url: string): Promise<FeedState | undefined>;
  /** All feeds' state in one call (dispatch reads it once per cycle). */
  listFeeds(): Promise<FeedState[]>;
  putFeed(state: FeedState): Promise<void>;
  /**
   * Claim an item for alerting. Looks at the item's key and its alias keys: an item already done under any of them
   * is 'done'. A claim whose lease expired may be taken again.
   */
  claimItem(item: ItemRecord, now: number, leaseMs: number): Promise<ClaimOutcome>;
  /** Claimed -> sent. */
  markSent(item: ItemRecord, now: number, alertId: string): Promise<void>;
  /** Give a claim back after a failed publish so the next poll retries at once. */
  releaseClaim(item: ItemRecord): Promise<void>;
  /** Record an item as done without alerting (first-poll backfill older than the window). */
  recordSilently(item: ItemRecord, now: number): Promise<void>;
  /**
   * Read-only: would claimItem answer 'done' (under the key or an alias key)? Lets a dry run preview alerts without
   * writing. Optional: a store without it makes a dry run treat every matching item as new.
   */
  isItemDone?(item: ItemRecord, now: number): Promise<boolean>;
}

export type PublishResult =
  | { alertId: string; ok: true; messageId?: string }
  | { alertId: string; ok: false; error: string };

export interface AlertSink {
  /** Publish alerts; one result per alert, in order. Must not throw for per-alert failures. */
  publish(alerts: Alert[]): Promise<PublishResult[]>;
}
