// Delivery faults through the real pipeline: SNS throttling and 5xx (whole batch, single entry) on the real
// SnsAlertSink, and DynamoDB throttling on the real client against dynalite. Every alert arrives; only alerts whose
// publish could not be recorded are ever sent twice, and only once more.

import { ProvisionedThroughputExceededException, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  InternalErrorException,
  PublishBatchCommand,
  type PublishBatchCommandInput,
  type PublishBatchCommandOutput,
  SNSClient,
  ThrottledException,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoStateStore } from '../../lambda/adapters/dynamo-state-store';
import { MemoryStateStore } from '../../lambda/adapters/memory-state-store';
import { SnsAlertSink } from '../../lambda/adapters/sns-alert-sink';
import type { FeedConfig } from '../../lambda/core/types';
import { DEFAULT_LEASE_MS, type FeedOutcome, type PollPorts, pollFeeds } from '../../lambda/pipeline';
import type { StateStore } from '../../lambda/ports';
import { type LocalDynamo, startDynalite } from '../support/dynalite';
import { FAKE_AWS } from '../support/fake-aws';
import { conditionalFeed, FeedServer } from '../support/feed-server';
import { pollPorts } from '../support/poll-ports';
import {
  CapturingSink,
  countOf,
  ManualClock,
  MINUTE,
  newsFeed,
  pollOptions,
  repeated,
  T0,
  testFeedSource,
} from './harness';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:news-alerts-alerts';

let server: FeedServer;
let feedCounter = 0;

beforeAll(async () => {
  server = await FeedServer.start();
});

afterAll(async () => {
  await server.close();
});

/** A new feed of `count` matching items on the loopback server, served with an ETag (a 304 once it is unchanged). */
function serveFeed(count: number): { feed: FeedConfig; links: string[] } {
  const name = `delivery${++feedCounter}`;
  const { body, alertLinks } = newsFeed(name, count, 1);
  server.route(`/${name}`, conditionalFeed(body, { etag: `"${name}-v1"` }));
  return { feed: { url: server.url(`/${name}`), name }, links: alertLinks };
}

function runner(feed: FeedConfig, ports: PollPorts) {
  return async (time: number): Promise<FeedOutcome> => {
    (ports.clock as ManualClock).time = time;
    const [outcome] = await pollFeeds([feed], ports, pollOptions());
    return outcome!;
  };
}

describe('SNS faults on the real SnsAlertSink (injected: a local SNS cannot throttle)', () => {
  type Fault = (input: PublishBatchCommandInput) => PublishBatchCommandOutput | Error;
  const $metadata = { httpStatusCode: 200 };
  const throttled = () =>
    new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400, attempts: 3 } });
  const serverError = () =>
    new InternalErrorException({ message: 'Internal error', $metadata: { httpStatusCode: 500, attempts: 3 } });
  /** Fails entry `index` of the batch with `code`, accepts the rest. */
  const failEntry =
    (index: number, code: string): Fault =>
    ({ PublishBatchRequestEntries: entries = [] }) => ({
      $metadata,
      Successful: entries.filter((_, i) => i !== index).map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}` })),
      Failed: [{ Id: entries[index]?.Id, Code: code, SenderFault: false, Message: `${code} (injected)` }],
    });

  // The first PublishBatch of the first poll meets the fault; every later call succeeds.
  it.each<[string, Fault, number]>([
    ['throttling of a whole batch', throttled, 10],
    ['a 5xx for a whole batch', serverError, 10],
    ['throttling of one entry', failEntry(3, 'Throttled'), 1],
    ['a 5xx for one entry', failEntry(7, 'InternalError'), 1],
  ])('%s: the refused alerts go out on the next poll, each alert exactly once', async (_name, fault, refused) => {
    const client = new SNSClient(FAKE_AWS);
    const sns = mockClient(client);
    const delivered: string[] = [];
    let calls = 0;
    sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => {
      calls += 1;
      const answer: PublishBatchCommandOutput | Error =
        calls === 1
          ? fault(input)
          : {
              $metadata,
              Successful: (input.PublishBatchRequestEntries ?? []).map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })),
            };
      if (answer instanceof Error) throw answer;
      const accepted = new Set((answer.Successful ?? []).map((entry) => entry.Id));
      for (const entry of input.PublishBatchRequestEntries ?? []) {
        if (accepted.has(entry.Id))
          delivered.push(/Link: (\S+)/.exec(JSON.parse(entry.Message ?? '{}').default)?.[1] ?? '?');
      }
      return answer;
    });
    // 13 alerts: two PublishBatch calls (10 + 3), so a whole-batch fault spares the other batch.
    const { feed, links } = serveFeed(13);
    const poll = runner(
      feed,
      pollPorts({
        source: testFeedSource(),
        state: new MemoryStateStore(),
        sink: new SnsAlertSink({ client, topicArn: TOPIC_ARN }),
        clock: new ManualClock(),
      }),
    );

    const first = await poll(T0);
    expect(first).toMatchObject({ status: 'ok', failedAlerts: refused });
    expect(first.alerts).toHaveLength(13 - refused);
    // The refused alerts' items were not recorded as sent, and the feed is fetched whole again (no 304 hides them).
    const second = await poll(T0 + MINUTE);
    expect(second).toMatchObject({ status: 'ok', failedAlerts: 0 });
    expect(second.alerts).toHaveLength(refused);
    expect(await poll(T0 + 2 * MINUTE)).toMatchObject({ status: 'not-modified', alerts: [] });

    expect([...delivered].sort()).toEqual([...links].sort());
    expect(repeated(delivered)).toEqual([]);
    sns.restore();
    client.destroy();
  });
});

describe('DynamoDB throttling on the real client against dynalite', () => {
  let dynamo: LocalDynamo;
  /** Decides, per request attempt (retries included), whether DynamoDB answers ProvisionedThroughputExceeded. */
  let shouldThrottle: (command: string, input: unknown) => boolean;
  let throttled: number;

  beforeAll(async () => {
    dynamo = await startDynalite();
    // Inside the SDK's retry loop (finalizeRequest, low priority), as a throttled response from DynamoDB would be.
    dynamo.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (shouldThrottle(context.commandName ?? '', args.input)) {
          throttled += 1;
          throw new ProvisionedThroughputExceededException({
            message: 'The level of configured provisioned throughput for the table was exceeded (injected)',
            $metadata: { httpStatusCode: 400 },
          });
        }
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'injectThrottling' },
    );
  }, 30_000);

  afterAll(async () => {
    await dynamo.stop();
  });

  beforeEach(() => {
    shouldThrottle = () => false;
    throttled = 0;
  });

  async function setup(count: number) {
    const tableName = await dynamo.createStateTable();
    const state: StateStore = new DynamoStateStore({ client: dynamo.client, tableName });
    const sink = new CapturingSink();
    const { feed, links } = serveFeed(count);
    const poll = runner(feed, pollPorts({ source: testFeedSource(), state, sink, clock: new ManualClock() }));
    const claimedRows = async () => {
      const { Items = [] } = await dynamo.client.send(new ScanCommand({ TableName: tableName }));
      return Items.filter((row) => row.status?.S === 'claimed').length;
    };
    return { sink, links, poll, claimedRows };
  }

  it('sporadic throttling is absorbed by the SDK retries: every alert once, the poll succeeds', async () => {
    const { sink, links, poll } = await setup(4);
    let attempts = 0;
    shouldThrottle = () => ++attempts % 5 === 0;
    expect(await poll(T0)).toMatchObject({ status: 'ok', failedAlerts: 0 });
    expect(throttled).toBeGreaterThanOrEqual(3);
    expect(sink.links().sort()).toEqual([...links].sort());
    expect(await poll(T0 + MINUTE)).toMatchObject({ status: 'not-modified' });
    expect(repeated(sink.links())).toEqual([]);
  }, 60_000);

  it('throttling past the retries before publishing fails the poll; after the lease every alert goes out once', async () => {
    const { sink, links, poll, claimedRows } = await setup(3);
    let claims = 0;
    // From the second claim (a conditional PutItem) on, every attempt is throttled: the poll stops with nothing sent.
    shouldThrottle = (command, input) =>
      command === 'PutItemCommand' && JSON.stringify(input).includes('"claimed"') && ++claims >= 2;
    const failed = await poll(T0);
    expect(failed.status).toBe('error');
    expect(failed.errorCode).toBeUndefined();
    expect(failed.error).toMatch(/provisioned throughput/);
    expect(sink.published).toEqual([]);

    shouldThrottle = () => false;
    // Within the lease the claimed item is left alone, and the feed is fetched whole again (no 304).
    expect(await poll(T0 + MINUTE)).toMatchObject({ status: 'ok', failedAlerts: 0 });
    await poll(T0 + DEFAULT_LEASE_MS + 2 * MINUTE);
    expect(sink.links().sort()).toEqual([...links].sort());
    expect(repeated(sink.links())).toEqual([]);
    expect(await claimedRows()).toBe(0);
  }, 60_000);

  it('throttling past the retries after publishing: sent again once after the lease, never more, nothing stuck', async () => {
    const { sink, links, poll, claimedRows } = await setup(3);
    // Every attempt to record a sent item is throttled during the first poll.
    shouldThrottle = (command, input) =>
      command === 'BatchWriteItemCommand' && JSON.stringify(input).includes('"sent"');
    const failed = await poll(T0);
    expect(failed.status).toBe('error');
    expect(failed.error).toMatch(/provisioned throughput/);
    expect(sink.links().sort()).toEqual([...links].sort()); // published, but not recorded

    shouldThrottle = () => false;
    expect((await poll(T0 + MINUTE)).alerts).toEqual([]); // the claims' lease still holds
    const retried = await poll(T0 + DEFAULT_LEASE_MS + 2 * MINUTE);
    expect(retried.alerts.map((alert) => alert.link).sort()).toEqual([...links].sort());
    expect(await poll(T0 + DEFAULT_LEASE_MS + 3 * MINUTE)).toMatchObject({ alerts: [] });

    expect([...countOf(sink.links()).values()]).toEqual(links.map(() => 2));
    expect(await claimedRows()).toBe(0);
  }, 60_000);
});
