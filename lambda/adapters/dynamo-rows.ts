// The DynamoDB state table's rows (layout in dynamo-state-store.ts): their keys, and each record to and from its row.
import { createHash } from 'node:crypto';
import { FEED_STATE_FIELDS } from '../contract/feed-state';
import { dealtWith } from '../core/identity';
import { FOLLOW_UP_HORIZON_MS, type StoryHeadline, type StoryRecord, type StoryRef } from '../core/story';
import { withoutUndefined } from '../core/without-undefined';
import type { ClaimOutcome, FeedState, ItemRecord } from '../ports';
import { epochSeconds, type Row } from './dynamo-table';

export type ItemStatus = 'claimed' | 'sent' | 'silent';

export interface ItemRow {
  pk: string;
  sk: typeof ITEM_SK;
  status: ItemStatus;
  leaseUntil?: number;
  sentAt?: number;
  alertId?: string;
  storyId?: string;
  feedUrl: string;
  title: string;
  /** headlineOf(title) of the full title; absent on rows written before headlines were kept. */
  headline?: string;
  /** The tracked entities the item named; absent on rows written before they were kept. */
  entities?: string[];
  expiresAt: number;
}

export interface AliasRow {
  pk: string;
  sk: typeof ALIAS_SK;
  itemKey: string;
  status: Exclude<ItemStatus, 'claimed'>;
  /** The headline of the item it points at (ItemRow.headline); absent on older rows. */
  headline?: string;
  /** The entities of the item it points at (ItemRow.entities); absent on older rows. */
  entities?: string[];
  expiresAt: number;
}

export const FEED_PK = 'FEED';
export const ITEM_SK = 'ITEM';
export const ALIAS_SK = 'ALIAS';
export const BAND_SK = 'BAND';
export const STORY_SK = 'STORY';
/** DynamoDB caps a sort key at 1024 bytes and a partition key at 2048; longer keys are stored by their SHA-256. */
const MAX_RAW_KEY_BYTES = 1024;

export function storyPk(id: string): string {
  return `STORY#${id}`;
}

export function headlinePk(entityId: string): string {
  return `E#${entityId}`;
}

export function headlineSk(firstSeenAt: number, id: string): string {
  return `${isoTime(firstSeenAt)}#${id}`;
}

/** ISO 8601 in UTC: sorts as time does (years 0-9999), so sort keys of times compare in order. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** The story row: entities and links as string sets so a join can ADD to them and test `contains`. */
export function storyRow(story: StoryRecord, version: number): Row {
  const links = new Set(story.sources.flatMap((source) => (source.link === undefined ? [] : [source.link])));
  return {
    pk: storyPk(story.id),
    sk: STORY_SK,
    ...story,
    sources: story.sources.map(withoutUndefined),
    entities: new Set(story.entities),
    ...(links.size > 0 ? { links } : {}),
    version,
    expiresAt: epochSeconds(story.lastSeenAt + FOLLOW_UP_HORIZON_MS),
  };
}

export function storyFromRow(row: Row): StoryRecord {
  return {
    id: String(row.id),
    title: String(row.title),
    entities: sortedStrings(row.entities),
    firstSeenAt: Number(row.firstSeenAt),
    lastSeenAt: Number(row.lastSeenAt),
    signature: row.signature as StoryRecord['signature'],
    sources: row.sources as StoryRecord['sources'],
    ...(typeof row.recordedAt === 'number' ? { recordedAt: row.recordedAt } : {}),
    ...(typeof row.alerted === 'boolean' ? { alerted: row.alerted } : {}),
  };
}

export function storyRefFromRow(row: Row): StoryRef {
  return {
    storyId: String(row.storyId),
    ...(typeof row.storyTitle === 'string' ? { storyTitle: row.storyTitle } : {}),
    entities: row.entities as string[],
    ...(Array.isArray(row.storyEntities) ? { storyEntities: row.storyEntities as string[] } : {}),
    signature: row.signature as StoryRef['signature'],
    origin: row.origin as StoryRef['origin'],
    seenAt: Number(row.seenAt),
  };
}

export function headlineFromRow(row: Row): StoryHeadline {
  return {
    id: String(row.id),
    title: String(row.title),
    entities: row.entities as string[],
    firstSeenAt: Number(row.firstSeenAt),
  };
}

/** A string set comes back as a Set: the record keeps a sorted list, as core/story makes it. */
function sortedStrings(value: unknown): string[] {
  return [...((value as Iterable<string> | undefined) ?? [])].sort();
}

/** The item row and the alias row that may exist under one key. */
export function rowKeysOf(key: string): { pk: string; sk: string }[] {
  return [
    { pk: itemPk(key), sk: ITEM_SK },
    { pk: itemPk(key), sk: ALIAS_SK },
  ];
}

export function itemPk(key: string): string {
  return `ITEM#${boundedKey(key)}`;
}

export function boundedKey(key: string): string {
  if (Buffer.byteLength(key, 'utf8') <= MAX_RAW_KEY_BYTES) return key;
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

export function bandRowKeysOf(bandKeys: string[]): { pk: string; sk: string }[] {
  return [...new Set(bandKeys)].map((pk) => ({ pk, sk: BAND_SK }));
}

/** One name for a set of band keys, whatever their order or repeats. */
export function bandSetKey(bandKeys: string[]): string {
  return [...new Set(bandKeys)].sort().join('\n');
}

/** The item's key first, then its alias keys, without repeats. */
export function uniqueKeys(item: ItemRecord): string[] {
  return [...new Set([item.identity.key, ...item.identity.aliasKeys])];
}

export function isDone(row: ItemRow | AliasRow): boolean {
  return row.status === 'sent' || row.status === 'silent';
}

/**
 * 'done' if a row says so under this headline (or a row that keeps none) and told every entity the item names,
 * 'more-entities' if it names one they did not, 'rewritten' if done rows know only other headlines, 'busy' if a lease
 * is live under any key, else undefined (free to claim).
 */
export function priorOutcome(
  rows: (ItemRow | AliasRow)[],
  now: number,
  headline: string,
  entities?: readonly string[],
): ClaimOutcome | undefined {
  const done = dealtWith(rows.filter(isDone), headline, entities)?.kind;
  if (done !== undefined) return done;
  if (rows.some((row) => row.status === 'claimed' && (row.leaseUntil ?? 0) >= now)) return 'busy';
  return undefined;
}

export function feedStateFromRow(row: Record<string, unknown>): FeedState {
  const state: Record<string, unknown> = { url: row.url, consecutiveFailures: 0 };
  for (const field of FEED_STATE_FIELDS) if (row[field] !== undefined) state[field] = row[field];
  return state as unknown as FeedState;
}
