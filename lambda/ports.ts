// The interfaces the use case needs; adapters implement them and are passed in, never built at module scope.

import type { FeedJob } from './contract/feed-job';
import type { FeedState } from './contract/feed-state';
import type { ArchivedItem } from './core/archive';
import type { KnownAlert, Verdict } from './core/feedback';
import type { StoryHeadline, StoryRecord, StoryRef, StorySource } from './core/story';
import type { TermCounts } from './core/term-rarity';
import type { LearnedTopic } from './core/topic-profile';
import type { Alert, ItemIdentity, NormalizedItem } from './core/types';

export type { FeedErrorCode } from './core/feed-error';
export type { FeedState };

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

export interface FeedSource {
  /** Resolves with the body or not-modified; rejects with a FeedError (core/feed-error). */
  fetch(request: FetchRequest): Promise<FetchResponse>;
}

export type ClaimOutcome =
  /** This caller owns the item until the lease ends: publish, then markSent. */
  | 'claimed'
  /** Already alerted (or recorded silently): nothing to do. */
  | 'done'
  /** Another poller holds a live lease. */
  | 'busy'
  /**
   * Dealt with under its key or an alias, but only under other headlines: the item rewritten, or another item sharing
   * its link. Claim it again under revisionIdentity, so each wording is filed once.
   */
  | 'rewritten'
  /**
   * Dealt with under this headline, but this item names a tracked entity none of those did (another outlet's copy
   * whose summary names one more): claim it again under rematchIdentity, so that entity hears of it.
   */
  | 'more-entities';

export interface ItemRecord {
  identity: ItemIdentity;
  feedUrl: string;
  title: string;
  /** The tracked entities the item names; kept when it is done, so a copy naming more is not taken for it. */
  entities?: string[];
  /** The story the item started or joined, kept on the item's row so an item links to its story. */
  storyId?: string;
  /**
   * Set on an item that alerts: the entities it alerted for and the text its topic terms are read from (core
   * itemTopicText), kept with the sent item so a verdict on the alert can teach its words (docs/verdicts.md).
   */
  alerted?: AlertedText;
}

export interface AlertedText {
  entities: string[];
  text: string;
}

/** What filing one item on a story writes: its band rows (pointing at `ref`) and the story's record. */
export type StoryItemWrite =
  /** The item starts `story`: the story row, the band rows and one headline row per entity of the story. */
  | { kind: 'start'; story: StoryRecord; bandKeys: string[]; ref: StoryRef }
  /**
   * The item joins story `storyId`: its source is added to the story (as core/story addToStory does), band rows, and a
   * headline row for each entity in `addedEntities` (the story's first to name them), so their digest finds it.
   */
  | {
      kind: 'join';
      storyId: string;
      source: StorySource;
      entities: string[];
      addedEntities?: string[];
      bandKeys: string[];
      ref: StoryRef;
    };

/** Story rows (docs/stories.md): band rows find an item's story, story rows hold it, headline rows find follow-ups. */
export interface StoryStore {
  /**
   * The band rows stored under these keys (one read). Rows past their time may still come back, as DynamoDB's TTL
   * deletes lazily: chooseStory checks the window itself. `consistent`: the rows as last written, by any poller (not a
   * read-ahead, nor an eventually consistent read).
   */
  findStoryRefs(bandKeys: string[], consistent?: boolean): Promise<StoryRef[]>;
  /**
   * Optional, for a store that pollers in several processes share (DynamoDB): runs `work`, which may start a story of
   * these entities, while holding a short lease on starting stories for each of them. Two pollers that each found no
   * story for one event would both start one; with the lease, the second reads the band rows again (consistently)
   * once the first has filed its story, and joins it. A lease it cannot get within a few seconds is not waited for.
   */
  whileStartingStory?<T>(entityIds: string[], work: () => Promise<T>): Promise<T>;
  /**
   * Files an item on its story. A 'start' of a story that exists already (a retried item) leaves its record as it is.
   * Returns the story's record after the write; undefined when a 'join' found no story row (it expired).
   */
  saveStoryItem(write: StoryItemWrite): Promise<StoryRecord | undefined>;
  /**
   * The story's first alert is out (StoryRecord.alerted): a report joining it from now on is no alert. A story gone
   * (expired) or marked already is left as it is. Optional: without it (a dry run), stories stay as filed.
   */
  markStoryAlerted?(storyId: string): Promise<void>;
  /** Headlines of stories of `entityId` first seen in [since, until], newest first, at most `limit`. */
  recentHeadlines(entityId: string, since: number, until: number, limit: number): Promise<StoryHeadline[]>;
  /** Stories of any of `entityIds` first seen in [from, to), oldest first, each once (the digest's query). */
  storiesBetween(entityIds: string[], from: number, to: number): Promise<StoryRecord[]>;
}

/** The SMS storm guard's answer for one alert. */
export type SmsSlot =
  /** The alert may go to SMS; `heldBefore` counts the alerts held back since the previous SMS (then reset). */
  | { granted: true; heldBefore?: { count: number; since: number } }
  /** Over the hour's limit: the alert goes to email only, and is counted as held back. */
  | { granted: false };

export interface SmsGuardStore {
  /**
   * Takes one of `limit` SMS slots of the last hour, a sliding window: at most `limit` SMS in any 60 minutes, across a
   * clock hour's end too (atomic across pollers). Without a slot the alert is counted as held back. Held-back counts
   * older than a day are forgotten. `scope` keeps a window of its own (the alert's entities, so one entity's busy hour
   * never holds another's SMS); none is the one window of every alert.
   */
  takeSmsSlot(limit: number, now: number, scope?: string): Promise<SmsSlot>;
}

/** Topic profiles learned from the feeds (docs/matching.md): one small record per entity with ambiguous terms. */
export interface TopicStore {
  /** Every entity's learned profile, in one read. */
  loadTopics(): Promise<LearnedTopic[]>;
  /**
   * Saves an entity's profile if the stored one is still the one it was learned onto (`basedOn`: its updatedAt, or
   * undefined when none was stored). False when another poller saved first: load again and learn onto that.
   */
  saveTopic(profile: LearnedTopic, basedOn: number | undefined): Promise<boolean>;
  /**
   * Optional: the verdicts recorded since they were last settled, each with the text of the alert it judged while the
   * state holds it. The poll counts them on their entities' profiles (each profile lists the verdicts it counted).
   */
  pendingVerdicts?(): Promise<PendingVerdict[]>;
  /** Optional, with pendingVerdicts: these verdicts are counted (or can teach nothing): no longer pending. */
  settleVerdicts?(verdicts: Verdict[]): Promise<void>;
}

/** A verdict not yet counted on its entity's profile; `text` is absent when the state no longer holds the alert. */
export interface PendingVerdict extends Verdict {
  text?: string;
}

export interface StateStore extends StoryStore, SmsGuardStore, TopicStore {
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
  /**
   * Optional: reads ahead, in as few requests as the store can, what claimItem and isItemDone will look at for these
   * items and, when given, the band rows the next findStoryRefs(bandKeys) will ask for, so an item's dedupe check and
   * its story lookup share one read. Each item's rows are used once, by its next claimItem or isItemDone, the band
   * rows once, by that findStoryRefs; claiming still takes a conditional write.
   */
  prefetchItems?(items: ItemRecord[], bandKeys?: string[]): Promise<void>;
  /**
   * Optional: resolves once every change acknowledged so far would survive a crash, and rejects if that cannot be
   * done. A store that acknowledges changes before they are durable (the local file store) has it, and the poll calls
   * it before anything leaves the process (an alert is published only once its claim is saved) and before it returns.
   */
  flush?(): Promise<void>;
  /** Optional: the table of how common story terms are in the news read so far (story-evidence weighs by it). */
  loadTermCounts?(): Promise<TermCounts | undefined>;
  /** Optional: counts what a poll read into the stored table (best effort: a lost update only makes words rarer). */
  addTermCounts?(added: TermCounts): Promise<void>;
}

/**
 * Where a poll keeps the items it read, for `news-alerts backtest` (the local state, or S3 in AWS). Kept after the
 * alerts are out: a failure here costs the archive an entry, never an alert.
 */
export interface ItemArchive {
  /** Keeps one document's items (a store may keep each item once, as first read). */
  archiveItems(entries: ArchivedItem[]): Promise<void>;
  /**
   * Optional: resolves once what archiveItems was given is stored (S3: one object for the batch); rejects if it could
   * not be. Called last, once the alerts are out.
   */
  drain?(): Promise<unknown>;
}

/** The items an archive holds, for a replay. */
export interface ArchiveSource {
  /** The entries read at or after `since` (ms), in any order; an item may come more than once. */
  archivedItems(since: number): Promise<ArchivedItem[]>;
}

/** Verdicts recorded from alert links (docs/verdicts.md): one row per entity and alert. */
export interface VerdictStore {
  /** Records the verdict once: a second one for the same entity and alert changes nothing and says so. */
  recordVerdict(verdict: Verdict): Promise<'recorded' | 'already-recorded'>;
  /** Every verdict recorded for these entities. */
  verdictsFor(entityIds: string[]): Promise<Verdict[]>;
}

/** What `news-alerts feedback` reads from a state (file or table): the verdicts and the alerts they judge. */
export interface FeedbackSource extends VerdictStore {
  /** The alerts of these entities the state still holds (a store may return others too). */
  knownAlerts(entityIds: string[]): Promise<KnownAlert[]>;
}

export type PublishResult =
  | { alertId: string; ok: true; messageId?: string }
  | { alertId: string; ok: false; error: string };

export interface AlertSink {
  /** Publish alerts; one result per alert, in order. Must not throw for per-alert failures. */
  publish(alerts: Alert[]): Promise<PublishResult[]>;
}

/** A fetched document read into items, and how long the reading took (wherever it ran). */
export interface ReadDocument {
  items: NormalizedItem[];
  ms: number;
}

/** Turns a fetched document into normalized items: on the calling thread, or on worker threads for a large poll. */
export interface DocumentReader {
  /** Rejects with FeedError('parse') for a body that is not a feed it can read. */
  read(body: Uint8Array, contentType: string | undefined, feed: { name: string; url: string }): Promise<ReadDocument>;
}

/** The feed-jobs queue, dispatch's side: the poll function reads the jobs as SQS delivers them. */
export interface FeedJobQueue {
  /** Queues every job; rejects, after trying them all, naming the feeds whose jobs could not be queued. */
  send(jobs: FeedJob[]): Promise<void>;
}
