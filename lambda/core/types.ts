// Domain types shared by the pure core, the use case and the adapters. No behaviour here.

/** A tracked entity, as validated from the watchlist. */
export interface Entity {
  /** Stable id used in alerts, filter policies and state (`krebs`, `cisa`). */
  id: string;
  /** Display name (`Christopher Krebs`). */
  name: string;
  /** Phrases that identify the entity on their own (full names, titles, long forms, safe abbreviations). */
  aliases: string[];
  /**
   * Phrases that may name the entity or a look-alike (`Krebs`): they count with one of `context` in the same item, or
   * unless the item's words lean away from the entity's topic profile (docs/matching.md).
   */
  ambiguous: string[];
  /** Context phrases that make an `ambiguous` hit count (`election`, `CISA`, `Trump`). */
  context: string[];
  /** Phrases that suppress any hit of this entity that falls inside them (`Brian Krebs`, `Krebs cycle`). */
  excludes: string[];
  /** Words and phrases of the entity's world that seed its topic profile (`ballots`, `recount`). */
  topics?: string[];
}

export interface FeedConfig {
  url: string;
  name: string;
  /** Minimum minutes between polls of this feed; the schedule's period when absent. */
  intervalMinutes?: number;
  /**
   * Entity ids whose full name every item of the feed contains (a search for "Chris Krebs"): a bare surname in its
   * items is theirs. When absent, read from a Google News search's query (core/feed-subjects.ts).
   */
  about?: string[];
}

export type DeliveryMode = 'instant' | 'digest';

export interface Subscriber {
  /** Exactly one of email / phone (E.164). */
  email?: string;
  phone?: string;
  /** Entity ids this subscriber wants; all entities when absent. */
  entities?: string[];
  mode: DeliveryMode;
}

export interface WatchlistSettings {
  /** First poll of a feed alerts only items published in the last `backfillHours`. */
  backfillHours: number;
  /** SMS storm guard: at most this many alerts an hour reach SMS subscribers (default 5); the rest go to email only. */
  smsPerHour?: number;
  /** User-Agent sent to the feeds (default names news-alerts). */
  userAgent?: string;
  /** Days the local state keeps the items read, for `backtest` (default 14; 0 keeps none). */
  archiveDays?: number;
  /** Megabytes the local archive may take (default 32); past it, the oldest reads are dropped first. */
  archiveMegabytes?: number;
}

export interface Watchlist {
  entities: Entity[];
  feeds: FeedConfig[];
  subscribers: Subscriber[];
  settings: WatchlistSettings;
}

/** One item as rss-parser hands it over, before any cleaning. */
export interface RawItem {
  guid?: string;
  title?: string;
  link?: string;
  /** Summary / description / contentSnippet, possibly HTML. */
  summary?: string;
  /** Full content (content:encoded, atom content), possibly HTML. */
  content?: string;
  /** Date string as found in the feed (pubDate, isoDate, updated). */
  published?: string;
  /** Google News and others: `<source url="...">Publisher</source>`. */
  source?: { name?: string; url?: string };
}

/** An item reduced to plain text with a canonical link: what matching and identity work on. */
export interface NormalizedItem {
  /** The feed's GUID / id, trimmed, when it had one. */
  guid?: string;
  title: string;
  summary: string;
  content: string;
  /** The link as published (absolute, http(s)), if any. */
  link?: string;
  /** Lower-case host, no fragment, no tracking parameters. */
  canonicalLink?: string;
  /** Publisher from `<source>` (Google News) or the feed's own name. */
  publisher?: string;
  /** Publication time in ms since the epoch, when the feed gave a parseable date. */
  publishedAt?: number;
}

export type TextField = 'title' | 'summary' | 'content';

/** Why an entity matched: which phrase, where, and the text around it. */
export interface Evidence {
  entityId: string;
  /** The watchlist phrase that hit (alias or ambiguous term). */
  phrase: string;
  kind: 'alias' | 'ambiguous';
  field: TextField;
  /** Offsets in the field's normalized text. */
  start: number;
  end: number;
  /** About 60 characters either side, ellipsised. */
  snippet: string;
  /** For ambiguous hits: the context phrase that made it count. */
  context?: string;
  /** For ambiguous hits without a context phrase: the item's words that tipped it, their score and the margin. */
  topic?: {
    score: number;
    margin: number;
    terms: { term: string; weight: number }[];
    /** An acronym's score against its own look-alikes, when other names' look-alikes alone leaned away. */
    ownScore?: number;
  };
}

export interface EntityMatch {
  entityId: string;
  evidence: Evidence[];
}

/** Keys that identify an item across polls: `key` first, `aliasKeys` catch changed GUIDs and re-tagged links. */
export interface ItemIdentity {
  key: string;
  aliasKeys: string[];
}

/** An alert ready for a sink; formatting per protocol happens in the sink through core/format. */
export interface Alert {
  /** Deterministic id (from the item key) so a retried publish is recognisable. */
  id: string;
  itemKey: string;
  entities: string[];
  /** Display names, same order as `entities`. */
  entityNames: string[];
  /** The shortest name of each entity ("CISA", "Krebs"), for an SMS or subject that cannot hold the full names. */
  entityShortNames?: string[];
  title: string;
  link?: string;
  summary: string;
  publisher?: string;
  publishedAt?: number;
  /** The feed's name and URL. */
  feed: string;
  feedUrl: string;
  evidence: Evidence[];
  /** The story the item started (stories join items that report one event; see docs/stories.md). */
  storyId?: string;
  /** The most recent earlier story of the same entities (30 days back): this alert is a follow-up to it. */
  followUp?: { title: string; firstSeenAt: number };
  /**
   * The story this item joined, which was alerted before for other entities: this alert carries only the entities
   * the story had not named, so their followers hear of it and the others do not hear of it twice.
   */
  partOf?: { title: string; firstSeenAt: number };
  /** Publishers of other items that joined this alert's story before it was sent (same poll). */
  alsoIn?: string[];
  /** SMS storm guard: this alert goes to email only (the hour's SMS budget is spent). */
  smsHeld?: boolean;
  /** SMS storm guard: alerts held back from SMS since the previous SMS, told in this one. */
  smsHeldBefore?: { count: number; since: number };
}
