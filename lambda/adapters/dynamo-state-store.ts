// StateStore on one DynamoDB table: feed state, item claims and story rows kept exact with conditional writes.
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
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
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { FEED_STATE_FIELDS } from '../contract/feed-state';
import { SMS_WINDOW_MS, smsHeldExpiresAt, smsSlotFree } from '../core/sms-window';
import {
  addToStory,
  DIGEST_LOOKBACK_MS,
  FOLLOW_UP_HORIZON_MS,
  MAX_STORY_SOURCES,
  recordedIn,
  STORY_WINDOW_MS,
  type StoryHeadline,
  type StoryRecord,
  type StoryRef,
} from '../core/story';
import { withoutUndefined } from '../core/without-undefined';
import type { ClaimOutcome, FeedState, ItemRecord, SmsSlot, StateStore, StoryItemWrite } from '../ports';

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
 *
 *   findStoryRefs 1 BatchGetItem per 100 keys (eventually consistent). saveStoryItem: a join is 1 UpdateItem (append
 *     the source while the story has room, the link is new and time moves forward; otherwise a GetItem and a
 *     versioned PutItem through core addToStory) + 1 BatchWriteItem per 25 band rows; a start is 1 conditional
 *     PutItem + the band and headline rows in BatchWriteItems. recentHeadlines 1 Query. takeSmsSlot 1 read and 2 writes.
 *   whileStartingStory (an item that found no story to join): per entity 1 conditional PutItem to take the lease and
 *     1 conditional DeleteItem to give it back, around a consistent BatchGetItem of the band rows.
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
  storyId?: string;
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

type Row = Record<string, unknown>;

const FEED_PK = 'FEED';
const ITEM_SK = 'ITEM';
const ALIAS_SK = 'ALIAS';
const BAND_SK = 'BAND';
const STORY_SK = 'STORY';
const SMS_PK = 'SMS';
const SMS_HELD_SK = 'HELD';
const START_LEASE_SK = 'LEASE';
/** How long a story-start lease lasts: far longer than filing one item takes, and a dead poller's soon lapses. */
const START_LEASE_MS = 10_000;
/** How long a poller waits for another's lease before it starts its story anyway. */
const START_LEASE_WAIT_MS = 5_000;
/** Retries of a conditional write (versioned story, held-back SMS count) that another poller raced. */
const CONDITIONAL_WRITE_ATTEMPTS = 5;
/** DynamoDB caps a sort key at 1024 bytes and a partition key at 2048; longer keys are stored by their SHA-256. */
const MAX_RAW_KEY_BYTES = 1024;
/** The title is kept only so a person reading the table can tell rows apart. */
const STORED_TITLE_CHARS = 200;
const BATCH_GET_MAX_KEYS = 100;
const BATCH_WRITE_MAX_ITEMS = 25;
const UNPROCESSED_RETRIES = 5;
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
    for (const row of await this.readRows([...itemKeys, ...bandRowKeys], false)) {
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
    const prior = priorOutcome(known, now);
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
    return priorOutcome(Item ? [Item as ItemRow] : [], now) ?? 'busy';
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
    return (await this.readRows(bandRowKeysOf(bandKeys), consistent)).map(storyRefFromRow);
  }

  async whileStartingStory<T>(entityIds: string[], work: () => Promise<T>): Promise<T> {
    const owner = randomUUID();
    const held: string[] = [];
    try {
      // In one order for everyone, so two pollers never each wait for a lease the other holds.
      for (const entityId of [...new Set(entityIds)].sort()) {
        if (await this.takeStartLease(entityId, owner)) held.push(entityId);
      }
      return await work();
    } finally {
      await Promise.all(held.map((entityId) => this.dropStartLease(entityId, owner)));
    }
  }

  /**
   * Takes the lease on starting stories of an entity: a conditional PutItem that succeeds while no other poller holds
   * an unexpired one. Waits (with jittered backoff) at most START_LEASE_WAIT_MS, then goes on without it: a poller
   * that died holding it, or a slow one, costs at worst the extra alert there would be without leases.
   */
  private async takeStartLease(entityId: string, owner: string): Promise<boolean> {
    const deadline = Date.now() + START_LEASE_WAIT_MS;
    for (let attempt = 0; ; attempt += 1) {
      const now = Date.now();
      const taken = await unlessConditionFails(
        this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              pk: startLeasePk(entityId),
              sk: START_LEASE_SK,
              owner,
              until: now + START_LEASE_MS,
              expiresAt: epochSeconds(now + START_LEASE_MS) + 3600,
            },
            ConditionExpression: 'attribute_not_exists(pk) OR #until < :now',
            ExpressionAttributeNames: { '#until': 'until' },
            ExpressionAttributeValues: { ':now': now },
          }),
        ),
      );
      if (taken) return true;
      if (Date.now() >= deadline) return false;
      await sleep((10 + Math.random() * 20) * 2 ** Math.min(attempt, 4));
    }
  }

  /**
   * Gives the lease back, if it is still ours (it may have run out and been taken). Best effort: the story is filed by
   * now, and a lease left behind lapses in START_LEASE_MS, so a failed release must not fail the filing.
   */
  private async dropStartLease(entityId: string, owner: string): Promise<void> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: startLeasePk(entityId), sk: START_LEASE_SK },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch {
      // Not ours any more, or DynamoDB refused the delete: either way the lease ends by itself.
    }
  }

  async saveStoryItem(write: StoryItemWrite): Promise<StoryRecord | undefined> {
    const story = write.kind === 'start' ? await this.startStory(write.story) : await this.joinStory(write);
    if (story === undefined) return undefined;
    const band = { ...write.ref, sk: BAND_SK, expiresAt: epochSeconds(write.ref.seenAt + STORY_WINDOW_MS) };
    const rows: object[] = [...new Set(write.bandKeys)].map((pk) => ({ ...band, pk }));
    if (write.kind === 'start') {
      const { id, title, entities, firstSeenAt } = write.story;
      const expiresAt = epochSeconds(firstSeenAt + FOLLOW_UP_HORIZON_MS);
      for (const entityId of entities) {
        rows.push({
          pk: headlinePk(entityId),
          sk: headlineSk(firstSeenAt, id),
          id,
          title,
          entities,
          firstSeenAt,
          expiresAt,
        });
      }
    }
    await this.writeRows(rows);
    return story;
  }

  async recentHeadlines(entityId: string, since: number, until: number, limit: number): Promise<StoryHeadline[]> {
    if (limit <= 0) return [];
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': headlinePk(entityId),
          ':from': isoTime(since),
          ':to': `${isoTime(until)}~`,
        },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map(headlineFromRow);
  }

  async storiesBetween(entityIds: string[], from: number, to: number): Promise<StoryRecord[]> {
    if (to <= from) return [];
    const ids = new Set<string>();
    for (const entityId of new Set(entityIds)) {
      let startKey: Row | undefined;
      do {
        const page = await this.documents.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': headlinePk(entityId),
              ':from': isoTime(from - DIGEST_LOOKBACK_MS),
              // The sort key is '<ISO>#<id>': '~' sorts after '#', so the last millisecond before `to` is included.
              ':to': `${isoTime(to - 1)}~`,
            },
            ProjectionExpression: 'id',
            ExclusiveStartKey: startKey,
          }),
        );
        for (const row of page.Items ?? []) ids.add(String(row.id));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    const rows = await this.readRows(
      [...ids].map((id) => ({ pk: storyPk(id), sk: STORY_SK })),
      false,
    );
    return rows
      .map(storyFromRow)
      .filter((story) => recordedIn(story, from, to))
      .sort((a, b) => a.firstSeenAt - b.firstSeenAt || (a.id < b.id ? -1 : 1));
  }

  async takeSmsSlot(limit: number, now: number): Promise<SmsSlot> {
    if (!(limit > 0) || !(await this.takeWindowSlot(limit, now))) {
      await this.countHeldSms(now);
      return { granted: false };
    }
    // Taking the held-back count deletes it in the same request, so each held alert is told by exactly one SMS.
    const { Attributes } = await this.documents.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: SMS_PK, sk: SMS_HELD_SK }, ReturnValues: 'ALL_OLD' }),
    );
    if (Attributes === undefined || Number(Attributes.expiresAt) <= now / 1000) return { granted: true };
    return { granted: true, heldBefore: { count: Number(Attributes.heldCount), since: Number(Attributes.since) } };
  }

  /**
   * The window row keeps the times of the last `limit` SMS in a ring (s0 .. s<limit-1>); `next` is the slot to
   * overwrite, which holds the oldest of them. A slot is granted when that oldest SMS left the window: fewer than
   * `limit` were sent in the last hour. Read, then a write conditional on `next` not having moved; a lost race reads
   * again. The row is per limit: a changed `smsPerHour` starts a new window.
   */
  private async takeWindowSlot(limit: number, now: number): Promise<boolean> {
    const Key = { pk: SMS_PK, sk: `WINDOW#${limit}` };
    for (let attempt = 1; attempt <= CONDITIONAL_WRITE_ATTEMPTS + limit; attempt++) {
      const { Item } = await this.documents.send(
        new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }),
      );
      const next = Item === undefined ? 0 : Number(Item.next);
      if (!smsSlotFree(ringGrants(Item, limit, next), limit, now)) return false;
      const written = await unlessConditionFails(
        this.documents.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: 'SET #slot = :now, #next = :following, expiresAt = :expiresAt',
            ConditionExpression: Item === undefined ? 'attribute_not_exists(pk)' : '#next = :next',
            ExpressionAttributeNames: { '#slot': `s${next}`, '#next': 'next' },
            ExpressionAttributeValues: {
              ':now': now,
              ':following': (next + 1) % limit,
              ':expiresAt': epochSeconds(now + 2 * SMS_WINDOW_MS),
              ...(Item === undefined ? {} : { ':next': next }),
            },
          }),
        ),
      );
      if (written) return true;
    }
    throw new Error(`SMS window in ${this.tableName} kept changing; gave up`);
  }

  /**
   * One more alert held back: added to the live HELD row, or a fresh row when there is none or it is past its day.
   * Both writes are conditional, so two pollers starting a row at once cannot overwrite each other's count.
   */
  private async countHeldSms(now: number): Promise<void> {
    const Key = { pk: SMS_PK, sk: SMS_HELD_SK };
    for (let attempt = 1; attempt <= CONDITIONAL_WRITE_ATTEMPTS; attempt++) {
      const added = await unlessConditionFails(
        this.documents.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: 'ADD heldCount :one',
            ConditionExpression: 'expiresAt > :now',
            ExpressionAttributeValues: { ':one': 1, ':now': now / 1000 },
          }),
        ),
      );
      if (added) return;
      const started = await unlessConditionFails(
        this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...Key, heldCount: 1, since: now, expiresAt: epochSeconds(smsHeldExpiresAt(now)) },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
            ExpressionAttributeValues: { ':now': now / 1000 },
          }),
        ),
      );
      if (started) return;
    }
    throw new Error(`SMS held-back count in ${this.tableName} kept changing; gave up`);
  }

  /** Writes a new story row; a story that exists already (a retried item) is left as it is and returned. */
  private async startStory(story: StoryRecord): Promise<StoryRecord> {
    const written = await unlessConditionFails(
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: storyRow(story, 0),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return written ? story : ((await this.readStory(story.id))?.story ?? story);
  }

  /**
   * Adds the item's source to its story. The common case (room for a source, a new link, time moving forward) is one
   * UpdateItem; any other case reads the story and writes what core addToStory makes of it, guarded by the version.
   */
  private async joinStory(write: Extract<StoryItemWrite, { kind: 'join' }>): Promise<StoryRecord | undefined> {
    const { source } = write;
    const link = source.link;
    const updated = await unlessConditionFails(
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: storyPk(write.storyId), sk: STORY_SK },
          UpdateExpression:
            'SET #sources = list_append(#sources, :source), #lastSeenAt = :at, expiresAt = :expiresAt ' +
            `ADD #entities :entities, #version :one${link === undefined ? '' : ', #links :links'}`,
          ConditionExpression:
            'attribute_exists(pk) AND #lastSeenAt <= :at AND size(#sources) < :max' +
            (link === undefined ? '' : ' AND NOT contains(#links, :link)'),
          ExpressionAttributeNames: {
            '#sources': 'sources',
            '#lastSeenAt': 'lastSeenAt',
            '#entities': 'entities',
            '#version': 'version',
            ...(link === undefined ? {} : { '#links': 'links' }),
          },
          ExpressionAttributeValues: {
            ':source': [withoutUndefined(source)],
            ':at': source.seenAt,
            ':expiresAt': epochSeconds(source.seenAt + FOLLOW_UP_HORIZON_MS),
            ':entities': new Set(write.entities),
            ':one': 1,
            ':max': MAX_STORY_SOURCES,
            ...(link === undefined ? {} : { ':links': new Set([link]), ':link': link }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    if (updated) return updated.Attributes ? storyFromRow(updated.Attributes) : undefined;
    for (let attempt = 1; attempt <= CONDITIONAL_WRITE_ATTEMPTS; attempt++) {
      const current = await this.readStory(write.storyId);
      if (current === undefined) return undefined;
      const story = addToStory(current.story, source, write.entities);
      const written = await unlessConditionFails(
        this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: storyRow(story, current.version + 1),
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': current.version },
          }),
        ),
      );
      if (written) return story;
    }
    throw new Error(`story ${write.storyId} kept changing; gave up after ${CONDITIONAL_WRITE_ATTEMPTS} attempts`);
  }

  private async readStory(id: string): Promise<{ story: StoryRecord; version: number } | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: storyPk(id), sk: STORY_SK }, ConsistentRead: true }),
    );
    return Item ? { story: storyFromRow(Item), version: Number(Item.version ?? 0) } : undefined;
  }

  private itemRowBase(item: ItemRecord, now: number): Omit<ItemRow, 'status'> {
    return {
      pk: itemPk(item.identity.key),
      sk: ITEM_SK,
      storyId: item.storyId,
      feedUrl: item.feedUrl,
      title: Array.from(item.title).slice(0, STORED_TITLE_CHARS).join(''),
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
    return (await this.readRows(uniqueKeys(item).flatMap(rowKeysOf), true)) as unknown as (ItemRow | AliasRow)[];
  }

  /** The rows under `keys` (at most one per key), in any order, in BatchGetItems of 100 keys. */
  private async readRows(keys: { pk: string; sk: string }[], consistent: boolean): Promise<Row[]> {
    const rows: Row[] = [];
    for (let start = 0; start < keys.length; start += BATCH_GET_MAX_KEYS) {
      let pending: Row[] | undefined = keys.slice(start, start + BATCH_GET_MAX_KEYS);
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        if (attempt > 0) await this.pauseBeforeRetry(attempt, pending.length);
        const result: BatchGetCommandOutput = await this.documents.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: consistent } } }),
        );
        rows.push(...(result.Responses?.[this.tableName] ?? []));
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
    await this.writeRows([row, ...aliasRows]);
  }

  /** Puts `rows` in BatchWriteItems of 25, retrying what DynamoDB leaves unprocessed. */
  private async writeRows(rows: object[]): Promise<void> {
    const requests = rows.map((Item) => ({ PutRequest: { Item: Item as Row } }));
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
    await sleep(20 * 2 ** attempt);
  }
}

function storyPk(id: string): string {
  return `STORY#${id}`;
}

/**
 * The output of a conditional write, or undefined when DynamoDB refused it because its condition did not hold: for
 * these writes that is an answer (taken, changed by another poller), not a failure. Other errors propagate.
 */
async function unlessConditionFails<Output>(write: Promise<Output>): Promise<Output | undefined> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

function startLeasePk(entityId: string): string {
  return `START#${entityId}`;
}

function headlinePk(entityId: string): string {
  return `E#${entityId}`;
}

function headlineSk(firstSeenAt: number, id: string): string {
  return `${isoTime(firstSeenAt)}#${id}`;
}

/** ISO 8601 in UTC: sorts as time does (years 0-9999), so sort keys of times compare in order. */
function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** The grant times in the SMS window row's ring, oldest first: from slot `next` (the oldest) round to the newest. */
function ringGrants(row: Row | undefined, limit: number, next: number): number[] {
  const grants: number[] = [];
  for (let offset = 0; offset < limit; offset++) {
    const at = row?.[`s${(next + offset) % limit}`];
    if (typeof at === 'number') grants.push(at);
  }
  return grants;
}

/** DynamoDB TTL reads whole seconds since the epoch. */
function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** The story row: entities and links as string sets so a join can ADD to them and test `contains`. */
function storyRow(story: StoryRecord, version: number): Row {
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

function storyFromRow(row: Row): StoryRecord {
  return {
    id: String(row.id),
    title: String(row.title),
    entities: sortedStrings(row.entities),
    firstSeenAt: Number(row.firstSeenAt),
    lastSeenAt: Number(row.lastSeenAt),
    signature: row.signature as StoryRecord['signature'],
    sources: row.sources as StoryRecord['sources'],
    ...(typeof row.recordedAt === 'number' ? { recordedAt: row.recordedAt } : {}),
  };
}

function storyRefFromRow(row: Row): StoryRef {
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

function headlineFromRow(row: Row): StoryHeadline {
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
function rowKeysOf(key: string): { pk: string; sk: string }[] {
  return [
    { pk: itemPk(key), sk: ITEM_SK },
    { pk: itemPk(key), sk: ALIAS_SK },
  ];
}

function itemPk(key: string): string {
  return `ITEM#${boundedKey(key)}`;
}

function boundedKey(key: string): string {
  if (Buffer.byteLength(key, 'utf8') <= MAX_RAW_KEY_BYTES) return key;
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

function bandRowKeysOf(bandKeys: string[]): { pk: string; sk: string }[] {
  return [...new Set(bandKeys)].map((pk) => ({ pk, sk: BAND_SK }));
}

/** One name for a set of band keys, whatever their order or repeats. */
function bandSetKey(bandKeys: string[]): string {
  return [...new Set(bandKeys)].sort().join('\n');
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
