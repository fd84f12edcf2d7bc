// The dispatch handler: which feeds it queues (to a real SQS queue on fauxqs), what each job carries, what it counts.
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { MemoryStateStore } from '../../lambda/adapters/memory-state-store';
import { SqsFeedJobQueue } from '../../lambda/adapters/sqs-feed-job-queue';
import { parseFeedJob } from '../../lambda/contract/feed-job';
import type { FeedConfig } from '../../lambda/core/types';
import { createDispatchHandler } from '../../lambda/handlers/dispatch';
import type { FeedState } from '../../lambda/ports';
import { FAKE_AWS } from '../support/fake-aws';
import { type LocalSns, startFauxqs } from '../support/fauxqs';
import { recordedTelemetry } from './fixtures';

const NOW = Date.UTC(2020, 10, 18, 6, 0, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let local: LocalSns;
let queueUrl: string;

beforeAll(async () => {
  local = await startFauxqs();
}, 60_000);
afterAll(async () => {
  await local?.stop();
});
beforeEach(async () => {
  const { QueueUrl } = await local.sqs.send(new CreateQueueCommand({ QueueName: `feed-jobs-${Date.now()}` }));
  queueUrl = QueueUrl!;
});
afterEach(async () => {
  await local.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
});

async function drain(): Promise<Message[]> {
  const messages: Message[] = [];
  for (let empty = 0; empty < 3; ) {
    const { Messages = [] } = await local.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    messages.push(...Messages);
    empty = Messages.length === 0 ? empty + 1 : 0;
  }
  return messages;
}

const feed = (name: string, intervalMinutes?: number): FeedConfig => ({
  url: `https://${name}.example.org/feed.xml`,
  name,
  ...(intervalMinutes === undefined ? {} : { intervalMinutes }),
});

async function dispatchWith(
  feeds: FeedConfig[],
  states: FeedState[],
  queue = new SqsFeedJobQueue({ client: local.sqs, queueUrl }),
) {
  const state = new MemoryStateStore();
  for (const feedState of states) await state.putFeed(feedState);
  const telemetry = recordedTelemetry();
  const handler = createDispatchHandler({ feeds, state, queue, clock: { now: () => NOW }, telemetry });
  return { handler, telemetry };
}

test('queues one job per due feed, in batches of ten, each carrying the feed and its state', async () => {
  const feeds = Array.from({ length: 23 }, (_, index) => feed(`feed-${index}`));
  const known: FeedState = {
    url: feeds[3]!.url,
    etag: '"v7"',
    consecutiveFailures: 0,
    lastSuccessAt: NOW - 5 * MINUTE,
  };
  // A client of the local queue that records the size of every SendMessageBatch it sends.
  const client = new SQSClient({ ...FAKE_AWS, endpoint: local.endpoint });
  const batchSizes: number[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'SendMessageBatchCommand') {
        batchSizes.push((args.input as { Entries: unknown[] }).Entries.length);
      }
      return next(args);
    },
    { step: 'initialize', name: 'recordBatchSizes' },
  );
  const { handler, telemetry } = await dispatchWith(feeds, [known], new SqsFeedJobQueue({ client, queueUrl }));
  const summary = await handler();
  client.destroy();
  expect(summary).toEqual({ feeds: 23, queued: 23, failingOverADay: 0 });
  expect(batchSizes).toEqual([10, 10, 3]);

  const jobs = (await drain()).map((message) => parseFeedJob(message.Body ?? ''));
  expect(jobs.map((job) => job.feed.url).sort()).toEqual(feeds.map((f) => f.url).sort());
  expect(jobs.find((job) => job.feed.url === known.url)?.state).toEqual(known);
  expect(jobs.filter((job) => job.state === undefined)).toHaveLength(22);
  expect(telemetry.metrics.total('FeedsDispatched')).toBe(23);
});

test('feeds backing off, gone within 6 hours, or inside their own interval are not queued', async () => {
  const [fresh, backingOff, gone, hourly, hourlyDue] = [
    feed('fresh'),
    feed('backing-off'),
    feed('gone'),
    feed('hourly', 60),
    feed('hourly-due', 60),
  ];
  const { handler } = await dispatchWith(
    [fresh!, backingOff!, gone!, hourly!, hourlyDue!],
    [
      { url: backingOff!.url, consecutiveFailures: 2, nextAttemptAt: NOW + 10 * MINUTE, lastSuccessAt: NOW - HOUR },
      { url: gone!.url, consecutiveFailures: 1, gone: true, lastAttemptAt: NOW - HOUR, lastSuccessAt: NOW - 2 * HOUR },
      { url: hourly!.url, consecutiveFailures: 0, lastAttemptAt: NOW - 20 * MINUTE, lastSuccessAt: NOW - 20 * MINUTE },
      {
        url: hourlyDue!.url,
        consecutiveFailures: 0,
        lastAttemptAt: NOW - 61 * MINUTE,
        lastSuccessAt: NOW - 61 * MINUTE,
      },
    ],
  );
  expect(await handler()).toMatchObject({ queued: 2 });
  const urls = (await drain()).map((message) => parseFeedJob(message.Body ?? '').feed.url);
  expect(urls.sort()).toEqual([fresh!.url, hourlyDue!.url].sort());
});

test('counts the feeds failing for more than a day, including one that never succeeded', async () => {
  const feeds = ['healthy', 'failing-hour', 'failing-two-days', 'never-ok-young', 'never-ok-old'].map((name) =>
    feed(name),
  );
  const [healthy, failingHour, failingTwoDays, neverOkYoung, neverOkOld] = feeds.map((f) => f.url);
  const { handler, telemetry } = await dispatchWith(feeds, [
    { url: healthy!, consecutiveFailures: 0, lastSuccessAt: NOW - 3 * 24 * HOUR },
    // Answered 304 for three days (lastSuccessAt stays still), then failed for an hour: not a day of failures.
    {
      url: failingHour!,
      consecutiveFailures: 2,
      lastSuccessAt: NOW - 3 * 24 * HOUR,
      failingSince: NOW - HOUR,
      lastError: 'timeout: no answer',
    },
    {
      url: failingTwoDays!,
      consecutiveFailures: 9,
      lastSuccessAt: NOW - 48 * HOUR,
      failingSince: NOW - 47 * HOUR,
      lastError: 'http-status: 503',
    },
    { url: neverOkYoung!, consecutiveFailures: 3, failingSince: NOW - 15 * MINUTE, lastAttemptAt: NOW - MINUTE },
    { url: neverOkOld!, consecutiveFailures: 12, failingSince: NOW - 30 * HOUR, lastAttemptAt: NOW - MINUTE },
  ]);
  expect(await handler()).toMatchObject({ failingOverADay: 2 });
  expect(telemetry.metrics.total('FeedsFailingOverADay')).toBe(2);
  const warning = telemetry.logs.find((line) => line.level === 'warn');
  expect(warning?.fields.feeds).toEqual([
    { url: failingTwoDays, lastError: 'http-status: 503' },
    { url: neverOkOld, lastError: undefined },
  ]);
});

describe('SqsFeedJobQueue faults (injected: a local queue cannot refuse single entries)', () => {
  const client = new SQSClient(FAKE_AWS);
  const sqs = mockClient(client);
  afterEach(() => sqs.reset());
  afterAll(() => sqs.restore());

  const jobs = [feed('a'), feed('b'), feed('c')].map((f) => ({ feed: f }));

  test('an entry SQS refuses once is retried at once and the dispatch succeeds', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: [], Failed: [{ Id: '1', Code: 'ThrottlingException', SenderFault: false }] })
      .resolves({ Successful: [], Failed: [] });
    await new SqsFeedJobQueue({ client, queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q' }).send(jobs);
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input.Entries);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.map((entry) => parseFeedJob(entry.MessageBody ?? '').feed.name)).toEqual(['b']);
  });

  test('an entry refused twice fails the dispatch, naming its feed, after the other entries were sent', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [], Failed: [{ Id: '0', Code: 'KmsThrottled', SenderFault: false }] });
    const { handler, telemetry } = await dispatchWith(
      jobs.map((job) => job.feed),
      [],
      new SqsFeedJobQueue({ client, queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q' }),
    );
    await expect(handler()).rejects.toThrow(
      /could not queue 1 of 3 feed jobs: https:\/\/a\.example\.org\/feed\.xml \(KmsThrottled\)/,
    );
    // The failing-feeds gauge still reaches CloudWatch when the queue fails.
    expect(telemetry.metrics.flushes).toBe(1);
  });
});
