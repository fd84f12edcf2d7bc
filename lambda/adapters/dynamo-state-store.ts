// StateStore on one DynamoDB table: feed state rows, and item claims/sent records kept exact with conditional writes.
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ClaimOutcome, FeedState, ItemRecord, StateStore } from '../ports';

/*
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
 *   markSent, recordSilently 1 BatchWriteItem (item row + alias rows); releaseClaim 1 DeleteItem.
 * So a new matching item costs 3 requests: read, claim, sent. (TransactWriteItems could fold the read into the claim,
 * but dynalite, which the tests run against, does not implement transactions.)
 *
 * Alias rows are written when an item is done, not when it is claimed: two different keys of one story claimed within
 * the same lease window can both alert. Same-key races are exact (conditional put); cross-story dedupe is the story
 * fingerprint's job.
 */

export interface DynamoStateStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Item and alias rows expire this long after their last write (DynamoDB TTL). */
  itemTtlDays?: number;
}

type ItemStatus = 'claimed' | 'sent' | 'silent';

interface ItemRow {
  pk: string;
  sk: typeof ITEM_SK;
  status: ItemStatus;
  leaseUntil?: number;
  sentAt?: number;
  alertId?: string;
  feedUrl: string;
  title: string;
  expiresAt: number;
}

interface AliasRow {
  pk: string;
  sk: typeof ALIAS_SK;
  itemKey: string;
  status: Exclude<ItemStatus, 'claimed'>;
  expiresAt: number;
}

const FEED_PK = 'FEED';
const ITEM_SK = 'ITEM';
const ALIAS_SK = 'ALIAS';
const FEED_STATE_FIELDS = [
  'etag',
  'lastModified',
  'firstPolledAt',
  'lastSuccessAt',
  'lastAttemptAt',
  'consecutiveFailures',
  'failingSince',
  'nextAttemptAt',
  'lastError',
  'gone',
] as const satisfies readonly (keyof FeedState)[];
/** DynamoDB caps a sort key at 1024 bytes and a partition key at 2048; longer keys are stored by their SHA-256. */
const MAX_RAW_KEY_BYTES = 1024;
/** The title is kept only so a person reading the table can tell rows apart. */
const STORED_TITLE_CHARS = 200;
const BATCH_GET_MAX_KEYS = 100;
const BATCH_WRITE_MAX_ITEMS = 25;
const UNPROCESSED_RETRIES = 5;

export class DynamoStateStore implements StateStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly itemTtlSeconds: number;

  constructor(options: DynamoStateStoreOptions) {
    const ttlDays = options.itemTtlDays ?? 90;
    if (!(ttlDays > 0)) throw new Error(`itemTtlDays must be positive, got ${ttlDays}`);
    this.documents = DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.tableName = options.tableName;
    this.itemTtlSeconds = Math.round(ttlDays * 86_400);
  }

  async getFeed(url: string): Promise<FeedState | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: FEED_PK, sk: boundedKey(url) }, ConsistentRead: true }),
    );
    return Item ? feedStateFromRow(Item) : undefined;
  }

  async listFeeds(): Promise<FeedState[]> {
    const feeds: FeedState[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :feed',
          ExpressionAttributeValues: { ':feed': FEED_PK },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const row of page.Items ?? []) feeds.push(feedStateFromRow(row));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return feeds;
  }

  async putFeed(state: FeedState): Promise<void> {
    const row: Record<string, unknown> = { pk: FEED_PK, sk: boundedKey(state.url), url: state.url };
    for (const field of FEED_STATE_FIELDS) row[field] = state[field];
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: row }));
  }

  async claimItem(item: ItemRecord, now: number, leaseMs: number): Promise<ClaimOutcome> {
    const known = await this.readItemRows(item);
    const prior = priorOutcome(known, now);
    if (prior) return prior;
    const row: ItemRow = {
      ...this.itemRowBase(item, now),
      status: 'claimed',
      leaseUntil: now + leaseMs,
    };
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: row,
          // Free, or a claim whose lease has run out: exactly one of two concurrent claimers wins this write.
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :claimed AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Someone wrote the row since our read: it is now done, or their lease is live.
      const { Item } = await this.documents.send(
        new GetCommand({ TableName: this.tableName, Key: { pk: row.pk, sk: ITEM_SK }, ConsistentRead: true }),
      );
      return priorOutcome(Item ? [Item as ItemRow] : [], now) ?? 'busy';
    }
  }

  async isItemDone(item: ItemRecord): Promise<boolean> {
    return (await this.readItemRows(item)).some(isDone);
  }

  async markSent(item: ItemRecord, now: number, alertId: string): Promise<void> {
    await this.recordDone(item, now, { ...this.itemRowBase(item, now), status: 'sent', sentAt: now, alertId });
  }

  async recordSilently(item: ItemRecord, now: number): Promise<void> {
    await this.recordDone(item, now, { ...this.itemRowBase(item, now), status: 'silent' });
  }

  async releaseClaim(item: ItemRecord): Promise<void> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: itemPk(item.identity.key), sk: ITEM_SK },
          ConditionExpression: '#status = :claimed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':claimed': 'claimed' },
        }),
      );
    } catch (error) {
      // Already sent, recorded or gone: there is no claim to give back.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private itemRowBase(item: ItemRecord, now: number): Omit<ItemRow, 'status'> {
    return {
      pk: itemPk(item.identity.key),
      sk: ITEM_SK,
      feedUrl: item.feedUrl,
      title: Array.from(item.title).slice(0, STORED_TITLE_CHARS).join(''),
      expiresAt: Math.floor(now / 1000) + this.itemTtlSeconds,
    };
  }

  /** The item row and alias row under the item's key and each alias key, whichever exist. */
  private async readItemRows(item: ItemRecord): Promise<(ItemRow | AliasRow)[]> {
    const keys = uniqueKeys(item).flatMap((key) => [
      { pk: itemPk(key), sk: ITEM_SK },
      { pk: itemPk(key), sk: ALIAS_SK },
    ]);
    const rows: (ItemRow | AliasRow)[] = [];
    for (let start = 0; start < keys.length; start += BATCH_GET_MAX_KEYS) {
      let pending: Record<string, unknown>[] | undefined = keys.slice(start, start + BATCH_GET_MAX_KEYS);
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        if (attempt > 0) await this.pauseBeforeRetry(attempt, pending.length);
        const result: BatchGetCommandOutput = await this.documents.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }),
        );
        rows.push(...((result.Responses?.[this.tableName] ?? []) as (ItemRow | AliasRow)[]));
        pending = result.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return rows;
  }

  /** Writes the item row as done and an alias row under each alias key, so a changed GUID finds this item. */
  private async recordDone(item: ItemRecord, now: number, row: ItemRow): Promise<void> {
    const aliasRows: AliasRow[] = uniqueKeys(item)
      .slice(1)
      .map((alias) => ({
        pk: itemPk(alias),
        sk: ALIAS_SK,
        itemKey: item.identity.key,
        status: row.status === 'silent' ? 'silent' : 'sent',
        expiresAt: Math.floor(now / 1000) + this.itemTtlSeconds,
      }));
    const requests = [row, ...aliasRows].map((Item) => ({ PutRequest: { Item } }));
    for (let start = 0; start < requests.length; start += BATCH_WRITE_MAX_ITEMS) {
      let pending: typeof requests | undefined = requests.slice(start, start + BATCH_WRITE_MAX_ITEMS);
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        if (attempt > 0) await this.pauseBeforeRetry(attempt, pending.length);
        const result = await this.documents.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
        );
        pending = result.UnprocessedItems?.[this.tableName] as typeof requests | undefined;
      }
    }
  }

  /** Batch calls return throttled keys as unprocessed instead of failing; back off, and give up as a real error. */
  private async pauseBeforeRetry(attempt: number, unprocessed: number): Promise<void> {
    if (attempt > UNPROCESSED_RETRIES) {
      throw new Error(`DynamoDB left ${unprocessed} request(s) unprocessed in ${this.tableName} after retries`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
  }
}

function itemPk(key: string): string {
  return `ITEM#${boundedKey(key)}`;
}

function boundedKey(key: string): string {
  if (Buffer.byteLength(key, 'utf8') <= MAX_RAW_KEY_BYTES) return key;
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/** The item's key first, then its alias keys, without repeats. */
function uniqueKeys(item: ItemRecord): string[] {
  return [...new Set([item.identity.key, ...item.identity.aliasKeys])];
}

function isDone(row: ItemRow | AliasRow): boolean {
  return row.status === 'sent' || row.status === 'silent';
}

/** 'done' if any row says so, 'busy' if a lease is live under any key, else undefined (free to claim). */
function priorOutcome(rows: (ItemRow | AliasRow)[], now: number): ClaimOutcome | undefined {
  if (rows.some(isDone)) return 'done';
  if (rows.some((row) => row.status === 'claimed' && (row.leaseUntil ?? 0) >= now)) return 'busy';
  return undefined;
}

function feedStateFromRow(row: Record<string, unknown>): FeedState {
  const state: Record<string, unknown> = { url: row.url, consecutiveFailures: 0 };
  for (const field of FEED_STATE_FIELDS) if (row[field] !== undefined) state[field] = row[field];
  return state as unknown as FeedState;
}
