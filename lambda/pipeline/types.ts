// What a poll is given (ports, options) and what it tells of each feed (FeedOutcome).
import type { FeedErrorCode } from '../core/feed-error';
import type { FeedSkip } from '../core/feed-schedule';
import type { Matcher } from '../core/match';
import type { StoryMatch, WeightedTerm } from '../core/story';
import type { TermRarity } from '../core/term-rarity';
import type { Alert, Entity, FeedConfig } from '../core/types';
import type { AlertSink, Clock, DocumentReader, FeedSource, ItemArchive, StateStore } from '../ports';

export interface PollPorts {
  source: FeedSource;
  state: StateStore;
  sink: AlertSink;
  clock: Clock;
  /** Parses and normalizes each fetched document (an adapter: on this thread, or on worker threads). */
  reader: DocumentReader;
  /** Keeps the items of each document read, after its alerts are out (none when absent, and none in a dry run). */
  archive?: ItemArchive;
}

export interface PollOptions {
  matcher: Matcher;
  entities: Entity[];
  backfillHours: number;
  /** How long a claim keeps other pollers off an item while this one publishes it. */
  leaseMs?: number;
  /**
   * Fetch, parse and match, but claim, publish and record nothing: `alerts` are the would-be alerts. The poll runs as
   * ever over a read-only state store and a sink that only records (pipeline/dry-run.ts).
   */
  dryRun?: boolean;
  /**
   * Told how long parsing and normalizing one feed's document took, for benchmarks and diagnostics (fetch, match and
   * state are timed by wrapping the ports and the matcher; parsing happens in here).
   */
  onParsed?: (feedUrl: string, items: number, ms: number) => void;
  /**
   * SMS storm guard: at most this many alerts an hour go to SMS subscribers; the rest are published for email only
   * (`smsHeld`) and the next SMS tells how many were held. No guard when absent (nothing goes to SMS locally).
   */
  smsPerHour?: number;
  /** Fetch every feed now, whatever its backoff, its interval or an earlier 410 (the user asked: `poll --force`). */
  force?: boolean;
  /**
   * How rare story terms are in the news read so far, kept across polls by a long-lived process (a warm Lambda); the
   * state store's table is read into it once. A fresh table, filled from the store, when absent.
   */
  rarity?: TermRarity;
}

/** Which story a matching item joined instead of alerting, and why (`--explain`). */
export interface StoryJoin {
  title: string;
  link?: string;
  publisher?: string;
  storyId: string;
  storyTitle: string;
  /** Why it joined: the same copy, or rare event terms shared; and their summed weight. */
  reason?: StoryMatch['reason'];
  weight: number;
  sharedEntities: string[];
  /** The event terms that carried the join, rarest first, each with its weight (0..1, by rarity). */
  sharedTerms: WeightedTerm[];
}

export type FeedStatus = 'ok' | 'not-modified' | 'error' | 'skipped';

export interface FeedOutcome {
  url: string;
  name: string;
  status: FeedStatus;
  /** Items in the fetched document. */
  items: number;
  /** Items that matched at least one entity (new or not). */
  matches: number;
  /** Alerts published (or, in a dry run, that would be). */
  alerts: Alert[];
  /** Alerts the sink refused; their items are retried on the next poll. */
  failedAlerts: number;
  /** Matching items older than the backfill window on a feed's first poll: recorded, not alerted. */
  backfilled: number;
  /** New matching items that reported a story already alerted: recorded on that story, not alerted. */
  joined: StoryJoin[];
  error?: string;
  /** Set when the feed itself failed; absent on an error of our own (state store, sink, bug). */
  errorCode?: FeedErrorCode;
  bytes?: number;
  /** Set on a 'skipped' feed: why, and until when. */
  skip?: FeedSkip;
  /** Set when the items read could not be archived (the alerts were sent all the same). */
  archiveError?: string;
  /**
   * Set when the document held nothing the last read did: the feed turned over since, and items published between
   * may have rolled off unread (poll it more often).
   */
  turnedOver?: boolean;
}

export const DEFAULT_LEASE_MS = 2 * 60_000;
export const DEFAULT_SMS_PER_HOUR = 5;

export function emptyOutcome(feed: FeedConfig): FeedOutcome {
  return {
    url: feed.url,
    name: feed.name,
    status: 'ok',
    items: 0,
    matches: 0,
    alerts: [],
    failedAlerts: 0,
    backfilled: 0,
    joined: [],
  };
}
