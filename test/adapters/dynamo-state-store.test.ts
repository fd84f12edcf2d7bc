import { createHash } from 'node:crypto';
import {
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { DynamoStateStore } from '../../lambda/adapters/dynamo-state-store';
import { headlineOf } from '../../lambda/core/identity';
import { startStory, storyBandKeys, storySignature } from '../../lambda/core/story';
import { type LocalDynamo, startDynalite } from '../support/dynalite';
import { FAKE_AWS } from '../support/fake-aws';
import { describeStateStoreContract, itemRecord } from '../support/state-store-contract';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const LEASE_MS = 5 * 60_000;
const DAY_S = 86_400;

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.stop();
});

describeStateStoreContract('DynamoStateStore on dynalite', async () => {
  const tableName = await dynamo.createStateTable();
  // The peer talks through its own client, as a second Lambda would.
  const peerClient = new DynamoDBClient({ ...FAKE_AWS, endpoint: dynamo.endpoint });
  return {
    store: new DynamoStateStore({ client: dynamo.client, tableName }),
    peer: new DynamoStateStore({ client: peerClient, tableName }),
    close: async () => peerClient.destroy(),
  };
});

describe('DynamoStateStore table rows', () => {
  let tableName: string;
  let store: DynamoStateStore;

  beforeEach(async () => {
    tableName = await dynamo.createStateTable();
    store = new DynamoStateStore({ client: dynamo.client, tableName });
  });

  async function row(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await dynamo.client.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk }, sk: { S: sk } }, ConsistentRead: true }),
    );
    return Item ? unmarshall(Item) : undefined;
  }

  it('writes a claim with its lease and a TTL about 90 days out', async () => {
    await store.claimItem(itemRecord('guid:a', [], 'Krebs fired'), T0, LEASE_MS);
    expect(await row('ITEM#guid:a', 'ITEM')).toEqual({
      pk: 'ITEM#guid:a',
      sk: 'ITEM',
      status: 'claimed',
      leaseUntil: T0 + LEASE_MS,
      feedUrl: 'https://feeds.example.test/politics.rss',
      title: 'Krebs fired',
      // What tells this wording from a rewrite under the same key or link.
      headline: headlineOf('Krebs fired'),
      expiresAt: T0 / 1000 + 90 * DAY_S,
    });
  });

  it('marks the item sent and writes alias rows pointing at it, all with the TTL attribute', async () => {
    const item = itemRecord('guid:a', ['link:https://news.example.test/a', 'title:krebs-fired'], 'Krebs fired');
    await store.claimItem(item, T0, LEASE_MS);
    await store.markSent(item, T0 + 5000, 'alert-a');
    const expiresAt = Math.floor((T0 + 5000) / 1000) + 90 * DAY_S;
    expect(await row('ITEM#guid:a', 'ITEM')).toEqual({
      pk: 'ITEM#guid:a',
      sk: 'ITEM',
      status: 'sent',
      sentAt: T0 + 5000,
      alertId: 'alert-a',
      feedUrl: 'https://feeds.example.test/politics.rss',
      title: 'Krebs fired',
      headline: headlineOf('Krebs fired'),
      expiresAt,
    });
    for (const alias of ['link:https://news.example.test/a', 'title:krebs-fired']) {
      expect(await row(`ITEM#${alias}`, 'ALIAS')).toEqual({
        pk: `ITEM#${alias}`,
        sk: 'ALIAS',
        itemKey: 'guid:a',
        status: 'sent',
        headline: headlineOf('Krebs fired'),
        expiresAt,
      });
    }
  });

  it('takes a row written before headlines were kept for done under any headline, so an upgrade re-alerts nothing', async () => {
    await dynamo.client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall({
          pk: 'ITEM#guid:legacy',
          sk: 'ITEM',
          status: 'sent',
          feedUrl: 'f',
          title: 'Old',
          expiresAt: 2e9,
        }),
      }),
    );
    expect(await store.claimItem(itemRecord('guid:legacy', [], 'Old, reworded'), T0, LEASE_MS)).toBe('done');
  });

  it('records silently with status silent and a TTL from itemTtlDays', async () => {
    const shortLived = new DynamoStateStore({ client: dynamo.client, tableName, itemTtlDays: 7 });
    await shortLived.recordSilently(itemRecord('guid:old', ['link:https://news.example.test/old']), T0);
    expect(await row('ITEM#guid:old', 'ITEM')).toMatchObject({ status: 'silent', expiresAt: T0 / 1000 + 7 * DAY_S });
    expect(await row('ITEM#link:https://news.example.test/old', 'ALIAS')).toMatchObject({
      status: 'silent',
      itemKey: 'guid:old',
      expiresAt: T0 / 1000 + 7 * DAY_S,
    });
  });

  it('stores an over-long key under its SHA-256, within the 2048-byte partition key limit', async () => {
    const key = `link:https://news.example.test/${'a'.repeat(3000)}`;
    expect(await store.claimItem(itemRecord(key), T0, LEASE_MS)).toBe('claimed');
    const { Items } = await dynamo.client.send(new ScanCommand({ TableName: tableName }));
    expect(Items?.map((item) => unmarshall(item).pk)).toEqual([
      `ITEM#sha256:${createHash('sha256').update(key).digest('hex')}`,
    ]);
    expect(await store.claimItem(itemRecord(key), T0 + 1, LEASE_MS)).toBe('busy');
  });

  it('lists more than one page of feed state (over 1 MB) in full', async () => {
    const urls = Array.from({ length: 24 }, (_, i) => `https://feed-${i}.example.test/rss`);
    for (const url of urls) {
      await store.putFeed({ url, consecutiveFailures: 3, lastError: `${url} `.repeat(1600) });
    }
    const firstPage = await dynamo.client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :feed',
        ExpressionAttributeValues: { ':feed': { S: 'FEED' } },
      }),
    );
    expect(firstPage.LastEvaluatedKey).toBeDefined();
    const listed = await store.listFeeds();
    expect(listed.map((feed) => feed.url).sort()).toEqual([...urls].sort());
    expect(listed.every((feed) => feed.lastError?.startsWith(feed.url))).toBe(true);
  });
});

describe('DynamoStateStore story rows', () => {
  let tableName: string;
  let client: DynamoDBClient;
  let commands: string[];
  let store: DynamoStateStore;

  beforeEach(async () => {
    tableName = await dynamo.createStateTable();
    client = new DynamoDBClient({ ...FAKE_AWS, endpoint: dynamo.endpoint });
    commands = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        commands.push(String(context.commandName).replace(/Command$/, ''));
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    store = new DynamoStateStore({ client, tableName });
  });
  afterEach(() => client.destroy());

  const at = Date.UTC(2020, 10, 17, 23, 50);
  const fired = { title: 'Trump fires CISA director Chris Krebs' };
  const signature = storySignature(fired);
  const entities = ['cisa', 'krebs'];
  const bandKeys = storyBandKeys(signature, entities);
  const story = startStory('st-1', signature, entities, {
    publisher: 'Reuters',
    link: 'https://r.test/1',
    ...fired,
    seenAt: at,
  });
  const ref = { storyId: 'st-1', entities, signature, origin: signature, seenAt: at };

  async function row(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await dynamo.client.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk }, sk: { S: sk } }, ConsistentRead: true }),
    );
    return Item ? unmarshall(Item) : undefined;
  }

  it('keeps band rows 72 hours, story and headline rows 30 days, counted from the item time', async () => {
    await store.saveStoryItem({ kind: 'start', story, bandKeys, ref });
    expect(await row(bandKeys[0]!, 'BAND')).toMatchObject({
      storyId: 'st-1',
      seenAt: at,
      expiresAt: at / 1000 + 72 * 3600,
    });
    expect(await row('STORY#st-1', 'STORY')).toMatchObject({
      title: fired.title,
      entities: new Set(entities),
      links: new Set(['https://r.test/1']),
      expiresAt: at / 1000 + 30 * DAY_S,
    });
    expect(await row('E#krebs', '2020-11-17T23:50:00.000Z#st-1')).toEqual({
      pk: 'E#krebs',
      sk: '2020-11-17T23:50:00.000Z#st-1',
      id: 'st-1',
      title: fired.title,
      entities,
      firstSeenAt: at,
      expiresAt: at / 1000 + 30 * DAY_S,
    });
  });

  it("reads an item's rows and its story's band rows in one request, which the story lookup then uses once", async () => {
    await store.saveStoryItem({ kind: 'start', story, bandKeys, ref });
    const joining = storySignature({ title: 'Krebs ousted as CISA director' });
    const joinKeys = storyBandKeys(joining, ['krebs']);
    const direct = await store.findStoryRefs(joinKeys);
    expect(direct.map((found) => found.storyId)).toContain('st-1');
    commands.length = 0;

    const item = itemRecord('guid:ousted', ['link:https://bbc.test/1']);
    await store.prefetchItems([item], joinKeys);
    expect(await store.claimItem(item, at + 60_000, LEASE_MS)).toBe('claimed');
    expect(await store.findStoryRefs([...joinKeys].reverse())).toEqual(direct);
    expect(commands).toEqual(['BatchGetItem', 'PutItem']);
    // Used once: the next lookup of the same keys reads again (it may find what was filed since).
    await store.findStoryRefs(joinKeys);
    expect(commands).toEqual(['BatchGetItem', 'PutItem', 'BatchGetItem']);
    // Band rows read ahead for an item whose claim came to nothing are dropped by the next read-ahead.
    commands.length = 0;
    await store.prefetchItems([item], joinKeys);
    await store.prefetchItems([itemRecord('guid:other')], []);
    await store.findStoryRefs(joinKeys);
    expect(commands).toEqual(['BatchGetItem', 'BatchGetItem', 'BatchGetItem']);
  });

  it('costs the requests docs/stories.md counts: a join is one read, one UpdateItem and the band rows', async () => {
    await store.saveStoryItem({ kind: 'start', story, bandKeys, ref });
    expect(commands).toEqual(['PutItem', 'BatchWriteItem', 'BatchWriteItem']); // 32 band rows + 2 headlines, 25 per batch
    commands.length = 0;
    const joining = storySignature({ title: 'Krebs ousted as CISA director' });
    const joinKeys = storyBandKeys(joining, ['krebs']);
    await store.findStoryRefs(joinKeys);
    await store.saveStoryItem({
      kind: 'join',
      storyId: 'st-1',
      source: { publisher: 'BBC', link: 'https://bbc.test/1', title: 'Krebs ousted', seenAt: at + 60_000 },
      entities: ['krebs'],
      bandKeys: joinKeys,
      ref: { ...ref, entities: ['krebs'], signature: joining, seenAt: at + 60_000 },
    });
    await store.recentHeadlines('krebs', at - 30 * DAY_S * 1000, at, 5);
    expect(commands).toEqual(['BatchGetItem', 'UpdateItem', 'BatchWriteItem', 'Query']);
  });
});

describe('DynamoStateStore story-start leases', () => {
  let tableName: string;
  let store: DynamoStateStore;
  let peer: DynamoStateStore;
  let peerClient: DynamoDBClient;

  beforeEach(async () => {
    tableName = await dynamo.createStateTable();
    store = new DynamoStateStore({ client: dynamo.client, tableName });
    peerClient = new DynamoDBClient({ ...FAKE_AWS, endpoint: dynamo.endpoint });
    peer = new DynamoStateStore({ client: peerClient, tableName });
  });
  afterEach(() => peerClient.destroy());

  /** A story-start lease row another poller left in the table, running until `until`. */
  async function leaseLeftBy(owner: string, entityId: string, until: number): Promise<void> {
    await dynamo.client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: `START#${entityId}` },
          sk: { S: 'LEASE' },
          owner: { S: owner },
          until: { N: String(until) },
        },
      }),
    );
  }

  /** Runs a work that records when it ran, taking `ms`. */
  function timed(log: string[], name: string, ms: number) {
    return async () => {
      log.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      log.push(`${name} end`);
      return name;
    };
  }

  it('runs two pollers starting stories of one entity one after the other, and of different entities side by side', async () => {
    const same: string[] = [];
    await Promise.all([
      store.whileStartingStory(['krebs'], timed(same, 'a', 60)),
      peer.whileStartingStory(['cisa', 'krebs'], timed(same, 'b', 60)),
    ]);
    expect([
      ['a start', 'a end', 'b start', 'b end'],
      ['b start', 'b end', 'a start', 'a end'],
    ]).toContainEqual(same);

    const apart: string[] = [];
    await Promise.all([
      store.whileStartingStory(['krebs'], timed(apart, 'a', 60)),
      peer.whileStartingStory(['sterling'], timed(apart, 'b', 60)),
    ]);
    expect(apart.slice(0, 2).sort()).toEqual(['a start', 'b start']);
  });

  it('gives the lease back when the work fails, and takes a lapsed one (its poller died) at once', async () => {
    await expect(
      store.whileStartingStory(['krebs'], async () => {
        throw new Error('filing failed');
      }),
    ).rejects.toThrow('filing failed');
    await leaseLeftBy('a poller that died', 'sterling', Date.now() - 1);
    const started = Date.now();
    expect(await peer.whileStartingStory(['krebs', 'sterling'], async () => 'filed')).toBe('filed');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('stops waiting for a lease that is held too long, and files anyway', async () => {
    await leaseLeftBy('a stuck poller', 'krebs', Date.now() + 60_000);
    const started = Date.now();
    expect(await store.whileStartingStory(['krebs'], async () => 'filed')).toBe('filed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 20_000);
});

describe("DynamoStateStore read-ahead of a feed's items", () => {
  let tableName: string;
  let client: DynamoDBClient;
  let commands: string[];
  let store: DynamoStateStore;

  beforeEach(async () => {
    tableName = await dynamo.createStateTable();
    client = new DynamoDBClient({ ...FAKE_AWS, endpoint: dynamo.endpoint });
    commands = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        commands.push(String(context.commandName).replace(/Command$/, ''));
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    store = new DynamoStateStore({ client, tableName });
  });
  afterEach(() => client.destroy());

  const link = (n: number) => `link:https://news.example.test/${n}`;

  it("looks up a feed's items in one read, then claims each with its conditional write alone", async () => {
    const seen = itemRecord('guid:seen', [link(0)]);
    await store.claimItem(seen, T0, LEASE_MS);
    await store.markSent(seen, T0, 'alert-seen');
    commands.length = 0;
    // Twenty items: a new GUID for the sent story (found through its link), nineteen new ones.
    const items = [
      itemRecord('guid:renamed', [link(0)]),
      ...Array.from({ length: 19 }, (_, n) => itemRecord(`guid:${n + 1}`, [link(n + 1)])),
    ];
    await store.prefetchItems(items);
    const outcomes = [];
    for (const item of items) outcomes.push(await store.claimItem(item, T0 + 1000, LEASE_MS));
    expect(outcomes).toEqual(['done', ...Array(19).fill('claimed')]);
    expect(commands).toEqual(['BatchGetItem', ...Array(19).fill('PutItem')]);
  });

  it('still loses to a claim another poller made after the read-ahead', async () => {
    const peer = new DynamoStateStore({ client: dynamo.client, tableName });
    const item = itemRecord('guid:raced', [link(1)]);
    await store.prefetchItems([item]);
    expect(await peer.claimItem(item, T0, LEASE_MS)).toBe('claimed');
    expect(await store.claimItem(item, T0 + 1000, LEASE_MS)).toBe('busy');
  });

  it('uses what it read once: a second claim of the item reads afresh and finds the first', async () => {
    const item = itemRecord('guid:twice');
    await store.prefetchItems([item]);
    expect(await store.claimItem(item, T0, LEASE_MS)).toBe('claimed');
    await store.markSent(item, T0, 'alert-twice');
    expect(await store.claimItem(item, T0 + 1000, LEASE_MS)).toBe('done');
  });
});

describe('DynamoStateStore faults DynamoDB itself reports', () => {
  // Replaces send on every document client while this block runs; restored afterwards for the dynalite tests.
  let documents: AwsClientStub<DynamoDBDocumentClient>;
  const throttled = () =>
    new ProvisionedThroughputExceededException({
      message: 'Rate of requests exceeds the allowed throughput',
      $metadata: {},
    });
  let store: DynamoStateStore;

  beforeAll(() => {
    documents = mockClient(DynamoDBDocumentClient);
  });
  beforeEach(() => {
    documents.reset();
    store = new DynamoStateStore({ client: dynamo.client, tableName: 'state' });
  });
  afterAll(() => documents.restore());

  it('files the story even when giving the story-start lease back is throttled (the lease lapses by itself)', async () => {
    documents.on(PutCommand).resolves({});
    documents.on(DeleteCommand).rejects(throttled());
    expect(await store.whileStartingStory(['krebs'], async () => 'filed')).toBe('filed');
    expect(documents.commandCalls(DeleteCommand)).toHaveLength(1);
  });

  it('lets ProvisionedThroughputExceeded propagate from a claim, so the poll counts it as an infrastructure failure', async () => {
    documents.on(BatchGetCommand).rejects(throttled());
    await expect(store.claimItem(itemRecord('guid:a'), T0, LEASE_MS)).rejects.toBeInstanceOf(
      ProvisionedThroughputExceededException,
    );
  });

  it('lets a throttled conditional put propagate instead of reading it as busy', async () => {
    documents.on(BatchGetCommand).resolves({ Responses: { state: [] } });
    documents.on(PutCommand).rejects(throttled());
    await expect(store.claimItem(itemRecord('guid:a'), T0, LEASE_MS)).rejects.toBeInstanceOf(
      ProvisionedThroughputExceededException,
    );
    await expect(store.putFeed({ url: 'https://a.test/rss', consecutiveFailures: 0 })).rejects.toBeInstanceOf(
      ProvisionedThroughputExceededException,
    );
  });

  it('retries only the rows a batch write left unprocessed', async () => {
    const item = itemRecord('guid:a', ['link:https://news.example.test/a']);
    documents
      .on(BatchWriteCommand)
      .callsFakeOnce(async (input: BatchWriteCommandInput) => ({
        UnprocessedItems: { state: input.RequestItems?.state?.slice(1) },
      }))
      .resolves({ UnprocessedItems: {} });
    await store.markSent(item, T0, 'alert-a');
    const calls = documents.commandCalls(BatchWriteCommand);
    expect(calls).toHaveLength(2);
    const retried = calls[1]!.args[0].input.RequestItems?.state?.map((request) => request.PutRequest?.Item?.pk);
    expect(retried).toEqual(['ITEM#link:https://news.example.test/a']);
  });

  it('gives up with an error when a batch write stays unprocessed', async () => {
    documents
      .on(BatchWriteCommand)
      .callsFake(async (input: BatchWriteCommandInput) => ({ UnprocessedItems: { state: input.RequestItems?.state } }));
    await expect(store.markSent(itemRecord('guid:a'), T0, 'alert-a')).rejects.toThrow(/unprocessed/);
  });
});
