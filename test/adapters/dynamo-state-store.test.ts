import { createHash } from 'node:crypto';
import {
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DynamoDBDocumentClient,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { DynamoStateStore } from '../../lambda/adapters/dynamo-state-store';
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
      expiresAt,
    });
    for (const alias of ['link:https://news.example.test/a', 'title:krebs-fired']) {
      expect(await row(`ITEM#${alias}`, 'ALIAS')).toEqual({
        pk: `ITEM#${alias}`,
        sk: 'ALIAS',
        itemKey: 'guid:a',
        status: 'sent',
        expiresAt,
      });
    }
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
