// What the memory store holds, as plain JSON (the file store's format), and the helpers its rows are read with.

import type { ArchivedItem } from '../core/archive';
import type { KnownAlert } from '../core/feedback';
import { dealtWith, headlineOf } from '../core/identity';
import type { SmsWindow } from '../core/sms-window';
import { STORY_WINDOW_MS, type StoryHeadline, type StoryRecord, type StoryRef } from '../core/story';
import type { TermCounts } from '../core/term-rarity';
import type { LearnedTopic } from '../core/topic-profile';
import type { AlertedText, FeedState, ItemRecord } from '../ports';
import type { MemoryStateStore } from './memory-state-store';
import type { VerdictRows } from './memory-verdict-rows';

export interface StoredItem {
  /** 'recorded': done without an alert (first-poll backfill). */
  status: 'claimed' | 'sent' | 'recorded';
  feedUrl: string;
  title: string;
  aliasKeys: string[];
  /** ms since epoch; only while claimed. */
  leaseUntil?: number;
  sentAt?: number;
  alertId?: string;
  /** The story the item started or joined. */
  storyId?: string;
  /** What an alerted item said and whom it alerted for (ItemRecord.alerted). */
  alerted?: AlertedText;
  /** The tracked entities the item named (ItemRecord.entities); absent on items stored before they were kept. */
  entities?: string[];
  /** ms since epoch after which the item is forgotten, as DynamoDB's TTL forgets it in AWS. */
  expiresAt: number;
}

/** A story row of docs/stories.md with its expiry (ms since epoch), as the DynamoDB table keeps it. */
export type Expiring<T> = T & { expiresAt: number };

/** The story rows, as plain JSON. */
export interface StorySnapshot {
  /**
   * Band key -> the id (in `bandRefs`) of the ref of the latest item filed under it. An item's ref is kept once for
   * all its band keys (16 per entity), as a DynamoDB row per key would be too large to hold in memory 16 times over.
   */
  bands: Record<string, string>;
  bandRefs: Record<string, Expiring<StoryRef>>;
  /** Id of the next ref in `bandRefs`. */
  nextBandRef: number;
  /** Story id -> story. */
  records: Record<string, Expiring<StoryRecord>>;
  /** Entity id -> headlines of the stories it started with, by story id. */
  headlines: Record<string, Record<string, Expiring<StoryHeadline>>>;
  /** SMS storm guard: when each SMS of the last hour was granted (ms, oldest first), and the alerts held back since. */
  smsSent?: number[];
  smsHeld?: Expiring<{ count: number; since: number }>;
  /** The storm guard's windows of a scope (takeSmsSlot's `scope`); the two fields above are the unscoped one. */
  smsScopes?: Record<string, SmsWindow>;
}

/** Everything a store holds, as plain JSON (the file store's format). */
export interface StateSnapshot {
  version: 1;
  feeds: FeedState[];
  /** Item key -> item. */
  items: Record<string, StoredItem>;
  /** Alias key (canonical link, title fingerprint) -> the key of the item it was first seen on. */
  aliases: Record<string, string>;
  /** Absent in state files written before stories existed. */
  stories?: StorySnapshot;
  /** How common story terms are in the news read (term-rarity.ts); absent until a poll has read some. */
  termCounts?: TermCounts;
  /** Learned topic profiles by entity id (docs/matching.md); absent until a poll has learned one. */
  topics?: Record<string, LearnedTopic>;
  /** Entity id -> alert id -> the verdict (memory-verdict-rows.ts); absent until a verdict is recorded. */
  verdicts?: VerdictRows;
  /** The items read, each once, oldest read first (for `backtest`); absent until a poll archived some. */
  archive?: ArchivedItem[];
}

/** The methods that change the state. */
export type ChangingMethod =
  | 'putFeed'
  | 'claimItem'
  | 'markSent'
  | 'releaseClaim'
  | 'recordSilently'
  | 'saveStoryItem'
  | 'markStoryAlerted'
  | 'takeSmsSlot'
  | 'addTermCounts'
  | 'saveTopic'
  | 'recordVerdict'
  | 'settleVerdicts'
  | 'archiveItems';

/** One change, as the call that made it. */
export type StateChange = {
  [Method in ChangingMethod]: { op: Method; args: Parameters<MemoryStateStore[Method]> };
}[ChangingMethod];

export function emptyStories(): StorySnapshot {
  return { bands: {}, bandRefs: {}, nextBandRef: 0, records: {}, headlines: {}, smsSent: [] };
}

/**
 * Sent items with their alert ids: the entities they alerted for and their text, or, for items kept before those were,
 * the entities of the item's story while the state holds it.
 */
export function knownAlertsOf(items: Iterable<StoredItem>, records: StorySnapshot['records']): KnownAlert[] {
  const alerts: KnownAlert[] = [];
  for (const item of items) {
    if (item.status !== 'sent' || item.alertId === undefined) continue;
    if (item.alerted) {
      const { entities, text } = item.alerted;
      alerts.push({ alertId: item.alertId, title: item.title, entities: [...entities], text });
      continue;
    }
    const story = item.storyId === undefined ? undefined : records[item.storyId];
    alerts.push({ alertId: item.alertId, title: item.title, entities: story ? [...story.entities] : [] });
  }
  return alerts;
}

/** The first index of a list where `test` turns true, the list being ordered so that it stays true from there on. */
export function firstIndex<T>(list: T[], test: (value: T) => boolean): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (test(list[middle]!)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Freezes a plain JSON value and everything in it: a stored row that readers share and nobody may change. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const field of Object.values(value)) deepFreeze(field);
    Object.freeze(value);
  }
  return value;
}

export function withoutExpiry<T extends object>(row: Expiring<T>): T {
  const { expiresAt: _expiresAt, ...rest } = row;
  return rest as unknown as T;
}

export function newestFirst(a: StoryHeadline, b: StoryHeadline): number {
  return b.firstSeenAt - a.firstSeenAt || (a.id < b.id ? -1 : 1);
}

/** Each entity's headlines newest first (the memory store's index for finding the story a new one follows up). */
export function headlineIndexOf(headlines: StorySnapshot['headlines']): Map<string, Expiring<StoryHeadline>[]> {
  return new Map(
    Object.entries(headlines).map(([entityId, byStory]) => [entityId, Object.values(byStory).sort(newestFirst)]),
  );
}

/** Puts a written headline in its place in the index; `replaced`: one with its id was there. */
export function insertHeadline(
  index: Map<string, Expiring<StoryHeadline>[]>,
  entityId: string,
  row: Expiring<StoryHeadline>,
  replaced: boolean,
): void {
  const newest = index.get(entityId) ?? [];
  index.set(entityId, newest);
  const stale = replaced ? newest.findIndex((headline) => headline.id === row.id) : -1;
  if (stale >= 0) newest.splice(stale, 1);
  newest.splice(
    firstIndex(newest, (headline) => newestFirst(row, headline) < 0),
    0,
    row,
  );
}

/** Forgets story rows past their TTL, as DynamoDB does in its own time. */
/** Band rows under each key, all pointing at one frozen ref (each lookup hands it out without a copy). */
export function addBandRows(stories: StorySnapshot, bandKeys: readonly string[], ref: StoryRef): void {
  if (bandKeys.length === 0) return;
  const refId = String(stories.nextBandRef++);
  stories.bandRefs[refId] = deepFreeze(structuredClone({ ...ref, expiresAt: ref.seenAt + STORY_WINDOW_MS }));
  for (const key of bandKeys) stories.bands[key] = refId;
}

export function pruneStoryRows(stories: StorySnapshot, now: number): void {
  const { bands, bandRefs, records, headlines } = stories;
  for (const [key, refId] of Object.entries(bands)) if ((bandRefs[refId]?.expiresAt ?? 0) <= now) delete bands[key];
  const pointedAt = new Set(Object.values(bands));
  for (const refId of Object.keys(bandRefs)) if (!pointedAt.has(refId)) delete bandRefs[refId];
  for (const [id, record] of Object.entries(records)) if (record.expiresAt <= now) delete records[id];
  for (const [entityId, byStory] of Object.entries(headlines)) {
    for (const [id, headline] of Object.entries(byStory)) if (headline.expiresAt <= now) delete byStory[id];
    if (Object.keys(byStory).length === 0) delete headlines[entityId];
  }
}

/** What the items dealt with under an item's keys say of it (core dealtWith). */
export function doneOutcome(
  known: readonly StoredItem[],
  item: Pick<ItemRecord, 'title' | 'entities'>,
): 'done' | 'rewritten' | 'more-entities' | undefined {
  const done = known.filter((stored) => stored.status !== 'claimed');
  const rows = done.map((stored) => ({ headline: headlineOf(stored.title), entities: stored.entities }));
  return dealtWith(rows, headlineOf(item.title), item.entities)?.kind;
}
