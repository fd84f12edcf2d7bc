// StateStore on one DynamoDB table: feed state, item claims and story rows kept exact with conditional writes.

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { FEED_STATE_FIELDS } from '../contract/feed-state';
import type { Verdict } from '../core/feedback';
import { headlineOf } from '../core/identity';
import type { StoryHeadline, StoryRecord, StoryRef } from '../core/story';
import type { TermCounts } from '../core/term-rarity';
import type { LearnedTopic } from '../core/topic-profile';
import type {
  ClaimOutcome,
  FeedState,
  ItemRecord,
  PendingVerdict,
  SmsSlot,
  StateStore,
  StoryItemWrite,
} from '../ports';
import { alertRowsOf } from './dynamo-alert-rows';
import {
  ALIAS_SK,
  type AliasRow,
  BAND_SK,
  bandRowKeysOf,
  bandSetKey,
  boundedKey,
  FEED_PK,
  feedStateFromRow,
  ITEM_SK,
  type ItemRow,
  itemPk,
  priorOutcome,
  rowKeysOf,
  storyRefFromRow,
  uniqueKeys,
} from './dynamo-rows';
import { DynamoSmsGuard } from './dynamo-sms-guard';
import { DynamoStoryRows } from './dynamo-story-rows';
import { StoryStartLeases } from './dynamo-story-start-lease';
import { DynamoTable, queryRows, unlessConditionFails } from './dynamo-table';
import { addTermCounts, loadTermCounts } from './dynamo-term-counts';
import { loadTopics, saveTopic } from './dynamo-topics';
import { pendingVerdicts, settleVerdicts } from './dynamo-verdicts';

/*
 * This class keeps feeds and item claims; it hands story rows to dynamo-story-rows.ts, story-start leases to
 * dynamo-story-start-lease.ts, the SMS guard to dynamo-sms-guard.ts, the term table to dynamo-term-counts.ts and topic
 * profiles to dynamo-topics.ts; row keys and codecs are in dynamo-rows.ts.
 *
 * Table layout (partition key pk, sort key sk, TTL attribute expiresAt):
 *   pk 'FEED',        sk <feed url>  url, FeedState fields (a URL over 1024 bytes is keyed by its SHA-256)
 *   pk 'ITEM#<key>',  sk 'ITEM'      status 'claimed' | 'sent' | 'silent', leaseUntil, sentAt, alertId, feedUrl, title
 *   pk 'ITEM#<alias>', sk 'ALIAS'    itemKey (the primary key it stands for), status 'sent' | 'silent'
 * Alias rows live under their own sort key so they never overwrite an item row that happens to share the key.
 *
 * Requests per operation:
 *   getFeed 1 GetItem; putFeed 1 PutItem; listFeeds 1 Query per MB of feed state (one for any realistic watchlist).
 *   claimItem 1 BatchGetItem (item and alias rows of the key and every alias key) + 1 conditional PutItem when the
 *     item is new; 'done' and 'busy' are answered from the read alone; a lost race costs 1 GetItem more.
 *   prefetchItems 1 eventually consistent BatchGetItem per 100 row keys for the items given and the band rows their
 *     story lookup will read: the poll reads ahead for each new matching item just before claiming and filing it, so
 *     the claim skips its read and findStoryRefs of those band keys sends nothing.
 *   markSent, recordSilently 1 BatchWriteItem (item row + alias rows); releaseClaim 1 DeleteItem.
 * So a new matching item costs one read it shares with its story lookup, its claim and its sent record. Items a feed
 * dealt with before cost nothing: the feed row remembers their keys (FeedState.itemKeys). Folding the read into the
 * claim instead would need TransactWriteItems (a ConditionCheck on each alias row beside the claim's Put), which
 * dynalite, which the tests run against, does not implement.
 *
 * Alias rows are written when an item is done, not when it is claimed: two different keys of one story claimed within
 * the same lease window can both alert. Same-key races are exact (conditional put); cross-story dedupe is the story
 * fingerprint's job.
 *
 * Story rows (docs/stories.md; TTLs from the item's time, not the clock):
 *   pk 'S#<entity>#<band>#<hash>', sk 'BAND'   StoryRef of the latest item filed under the key    seenAt + 72 h
 *   pk 'STORY#<id>', sk 'STORY'                StoryRecord; entities and links as string sets,   lastSeenAt + 30 d
 *                                               version (optimistic lock of the rare read-modify-write)
 *   pk 'E#<entity>', sk '<firstSeenAt ISO>#<id>'  StoryHeadline                                  firstSeenAt + 30 d
 *   pk 'START#<entity>', sk 'LEASE'            owner, until: a poller is starting a story of it   until + 1 h
 *   pk 'SMS', sk 'WINDOW#<limit>'               the last `limit` SMS grant times (sliding window)
 *   pk 'SMS', sk 'HELD'                         heldCount, since: alerts held back since the last SMS  since + 24 h
 *   pk 'TOPIC', sk <entity id>                  profile (a LearnedTopic as JSON text), updatedAt        updatedAt + 1 y
 *   pk 'ALERT#<entity>', sk <alert id>          title, text, entities of an alert (dynamo-alert-rows.ts) item TTL
 *   pk 'VERDICT#<entity>', sk <alert id>        a reader's verdict; 'VERDICT#~new' the ones not counted (dynamo-verdicts.ts)
 *
 *   loadTopics 1 Query (eventually consistent). saveTopic 1 PutItem on condition that updatedAt is still the one
 *     loaded; a poller that lost the race loads again and relearns (dynamo-topics.ts). pendingVerdicts 1 Query, and
 *     when there are any 1 BatchGetItem of their ALERT# rows; settleVerdicts 1 BatchWriteItem. markSent writes the
 *     alert's ALERT# rows in its own BatchWriteItem.
 *
 *   findStoryRefs 1 BatchGetItem per 100 keys (eventually consistent). saveStoryItem: a join is 1 UpdateItem (append
 *     the source while the story has room, the link is new and time moves forward; otherwise a GetItem and a
 *     versioned PutItem through core addToStory) + 1 BatchWriteItem per 25 band rows; a start is 1 conditional
 *     PutItem + the band and headline rows in BatchWriteItems. markStoryAlerted (a story's first alert is out) 1
 *     conditional UpdateItem. recentHeadlines 1 Query. takeSmsSlot 1 read and 2 writes.
 *   whileStartingStory (an item that found no story to join): per entity 1 conditional PutItem to take the lease and
 *     1 conditional DeleteItem to give it back, around a consistent BatchGetItem of the band rows.
 */

export interface DynamoStateStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Item and alias rows expire this long after their last write (DynamoDB TTL). */
  itemTtlDays?: number;
}

/** The title is kept only so a person reading the table can tell rows apart. */
const STORED_TITLE_CHARS = 200;
/** Read-ahead rows kept for items not claimed yet; past this many, ones never claimed are dropped (reads again). */
const MAX_PREFETCHED_ITEMS = 5_000;

export class DynamoStateStore implements StateStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly itemTtlSeconds: number;
  /** Rows read by prefetchItems, by item key, until that item's claimItem or isItemDone uses them. */
  private readonly prefetched = new Map<string, (ItemRow | AliasRow)[]>();
  /** Band rows of the latest prefetchItems and the band keys asked for, until the findStoryRefs of those keys. */
  private prefetchedBands: { keys: string; refs: StoryRef[] } | undefined;
  private readonly table: DynamoTable;
  private readonly stories: DynamoStoryRows;
  private readonly leases: StoryStartLeases;
  private readonly sms: DynamoSmsGuard;

  constructor(options: DynamoStateStoreOptions) {
    const ttlDays = options.itemTtlDays ?? 90;
    if (!(ttlDays > 0)) throw new Error(`itemTtlDays must be positive, got ${ttlDays}`);
    this.documents = DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.tableName = options.tableName;
    this.itemTtlSeconds = Math.round(ttlDays * 86_400);
    this.table = new DynamoTable(this.documents, this.tableName);
    this.stories = new DynamoStoryRows(this.table);
    this.leases = new StoryStartLeases(this.table);
    this.sms = new DynamoSmsGuard(this.table);
  }

  async getFeed(url: string): Promise<FeedState | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: FEED_PK, sk: boundedKey(url) }, ConsistentRead: true }),
    );
    return Item ? feedStateFromRow(Item) : undefined;
  }

  async listFeeds(): Promise<FeedState[]> {
    const rows = await queryRows(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :feed',
      ExpressionAttributeValues: { ':feed': FEED_PK },
      ConsistentRead: true,
    });
    return rows.map(feedStateFromRow);
  }

  async putFeed(state: FeedState): Promise<void> {
    const row: Record<string, unknown> = { pk: FEED_PK, sk: boundedKey(state.url), url: state.url };
    for (const field of FEED_STATE_FIELDS) row[field] = state[field];
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: row }));
  }

  async prefetchItems(items: ItemRecord[], bandKeys: string[] = []): Promise<void> {
    if (this.prefetched.size > MAX_PREFETCHED_ITEMS) this.prefetched.clear(); // items read ahead but never claimed
    // Only the latest read-ahead's band rows are kept: ones a claim that came back 'done' or 'busy' never used must
    // not answer a later lookup of the same keys. Another poll's lookup that finds them gone just reads the table.
    this.prefetchedBands = undefined;
    const itemKeys = [...new Set(items.flatMap(uniqueKeys))].flatMap(rowKeysOf);
    const bandRowKeys = bandRowKeysOf(bandKeys);
    const byPk = new Map<string, (ItemRow | AliasRow)[]>();
    const bands: StoryRef[] = [];
    // Eventually consistent, at half the read units: the claim's conditional put still settles a race on the item's
    // own key, and an alias row written in the last second is the race the alias design already accepts (see above).
    // Band rows are read as findStoryRefs reads them, eventually consistent, just before it would.
    for (const row of await this.table.readRows([...itemKeys, ...bandRowKeys], false)) {
      if (row.sk === BAND_SK) bands.push(storyRefFromRow(row));
      else {
        const itemRow = row as unknown as ItemRow | AliasRow;
        byPk.set(itemRow.pk, [...(byPk.get(itemRow.pk) ?? []), itemRow]);
      }
    }
    for (const item of items) {
      this.prefetched.set(
        item.identity.key,
        uniqueKeys(item).flatMap((key) => byPk.get(itemPk(key)) ?? []),
      );
    }
    if (bandRowKeys.length > 0) this.prefetchedBands = { keys: bandSetKey(bandKeys), refs: bands };
  }

  async claimItem(item: ItemRecord, now: number, leaseMs: number): Promise<ClaimOutcome> {
    const known = await this.readItemRows(item);
    const headline = headlineOf(item.title);
    const prior = priorOutcome(known, now, headline, item.entities);
    if (prior) return prior;
    const row: ItemRow = {
      ...this.itemRowBase(item, now),
      status: 'claimed',
      leaseUntil: now + leaseMs,
    };
    const claimed = await unlessConditionFails(
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: row,
          // Free, or a claim whose lease has run out: exactly one of two concurrent claimers wins this write.
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :claimed AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now },
        }),
      ),
    );
    if (claimed) return 'claimed';
    // Someone wrote the row since our read: it is now done, or their lease is live.
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: row.pk, sk: ITEM_SK }, ConsistentRead: true }),
    );
    return priorOutcome(Item ? [Item as ItemRow] : [], now, headline, item.entities) ?? 'busy';
  }

  async isItemDone(item: ItemRecord): Promise<boolean> {
    return priorOutcome(await this.readItemRows(item), 0, headlineOf(item.title), item.entities) === 'done';
  }

  async markSent(item: ItemRecord, now: number, alertId: string): Promise<void> {
    const row: ItemRow = { ...this.itemRowBase(item, now), status: 'sent', sentAt: now, alertId };
    await this.recordDone(item, now, row, alertRowsOf(item, alertId, now, row));
  }

  async recordSilently(item: ItemRecord, now: number): Promise<void> {
    await this.recordDone(item, now, { ...this.itemRowBase(item, now), status: 'silent' });
  }

  async releaseClaim(item: ItemRecord): Promise<void> {
    // A failed condition: already sent, recorded or gone, so there is no claim to give back.
    await unlessConditionFails(
      this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: itemPk(item.identity.key), sk: ITEM_SK },
          ConditionExpression: '#status = :claimed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':claimed': 'claimed' },
        }),
      ),
    );
  }

  async findStoryRefs(bandKeys: string[], consistent = false): Promise<StoryRef[]> {
    const prefetched = this.prefetchedBands;
    if (!consistent && prefetched?.keys === bandSetKey(bandKeys)) {
      this.prefetchedBands = undefined;
      return prefetched.refs;
    }
    return (await this.table.readRows(bandRowKeysOf(bandKeys), consistent)).map(storyRefFromRow);
  }

  whileStartingStory<T>(entityIds: string[], work: () => Promise<T>): Promise<T> {
    return this.leases.whileStartingStory(entityIds, work);
  }

  saveStoryItem(write: StoryItemWrite): Promise<StoryRecord | undefined> {
    return this.stories.saveStoryItem(write);
  }

  markStoryAlerted(storyId: string): Promise<void> {
    return this.stories.markAlerted(storyId);
  }

  recentHeadlines(entityId: string, since: number, until: number, limit: number): Promise<StoryHeadline[]> {
    return this.stories.recentHeadlines(entityId, since, until, limit);
  }

  storiesBetween(entityIds: string[], from: number, to: number): Promise<StoryRecord[]> {
    return this.stories.storiesBetween(entityIds, from, to);
  }

  loadTermCounts(): Promise<TermCounts | undefined> {
    return loadTermCounts(this.documents, this.tableName);
  }

  async addTermCounts(added: TermCounts): Promise<void> {
    await addTermCounts(this.documents, this.tableName, added);
  }

  loadTopics(): Promise<LearnedTopic[]> {
    return loadTopics(this.documents, this.tableName);
  }

  saveTopic(profile: LearnedTopic, basedOn: number | undefined): Promise<boolean> {
    return saveTopic(this.documents, this.tableName, profile, basedOn);
  }

  pendingVerdicts(): Promise<PendingVerdict[]> {
    return pendingVerdicts(this.table);
  }

  settleVerdicts(verdicts: Verdict[]): Promise<void> {
    return settleVerdicts(this.table, verdicts);
  }

  takeSmsSlot(limit: number, now: number, scope?: string): Promise<SmsSlot> {
    return this.sms.takeSmsSlot(limit, now, scope);
  }

  private itemRowBase(item: ItemRecord, now: number): Omit<ItemRow, 'status'> {
    return {
      pk: itemPk(item.identity.key),
      sk: ITEM_SK,
      storyId: item.storyId,
      feedUrl: item.feedUrl,
      title: Array.from(item.title).slice(0, STORED_TITLE_CHARS).join(''),
      headline: headlineOf(item.title),
      ...(item.entities && { entities: [...item.entities] }),
      expiresAt: Math.floor(now / 1000) + this.itemTtlSeconds,
    };
  }

  /** The item row and alias row under the item's key and each alias key, whichever exist: read ahead, or now. */
  private async readItemRows(item: ItemRecord): Promise<(ItemRow | AliasRow)[]> {
    const prefetched = this.prefetched.get(item.identity.key);
    if (prefetched !== undefined) {
      this.prefetched.delete(item.identity.key);
      return prefetched;
    }
    return (await this.table.readRows(uniqueKeys(item).flatMap(rowKeysOf), true)) as unknown as (ItemRow | AliasRow)[];
  }

  /** Writes the item row as done and an alias row under each alias key, so a changed GUID finds this item. */
  private async recordDone(item: ItemRecord, now: number, row: ItemRow, alertRows: object[] = []): Promise<void> {
    const aliasRows: AliasRow[] = uniqueKeys(item)
      .slice(1)
      .map((alias) => ({
        pk: itemPk(alias),
        sk: ALIAS_SK,
        itemKey: item.identity.key,
        status: row.status === 'silent' ? 'silent' : 'sent',
        headline: row.headline,
        ...(row.entities && { entities: row.entities }),
        expiresAt: Math.floor(now / 1000) + this.itemTtlSeconds,
      }));
    await this.table.writeRows([row, ...aliasRows, ...alertRows]);
  }
}
