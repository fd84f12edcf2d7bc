// End to end on local servers: dispatch -> SQS (fauxqs) -> poll handler -> DynamoDB (dynalite) + SNS (fauxqs) -> subscriber.
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { DynamoStateStore } from '../../lambda/adapters/dynamo-state-store';
import { HttpFeedSource } from '../../lambda/adapters/http-feed-source';
import { SnsAlertSink } from '../../lambda/adapters/sns-alert-sink';
import { SqsFeedJobQueue } from '../../lambda/adapters/sqs-feed-job-queue';
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { compileMatcher } from '../../lambda/core/match';
import type { FeedConfig } from '../../lambda/core/types';
import { createDispatchHandler } from '../../lambda/handlers/dispatch';
import { createPollHandler } from '../../lambda/handlers/poll';
import { type LocalDynamo, startDynalite } from '../support/dynalite';
import { type LocalSns, type QueueSubscription, startFauxqs } from '../support/fauxqs';
import { conditionalFeed, FeedServer } from '../support/feed-server';
import { pollPorts } from '../support/poll-ports';
import { recordedTelemetry, rss, scheduleTick } from './fixtures';

const watchlist = loadWatchlist();
const NOW = Date.now();
const HEADLINE = 'Trump fires Christopher Krebs, director of CISA, by tweet';

let feedServer: FeedServer;
let dynamo: LocalDynamo;
let sns: LocalSns;
let subscriber: QueueSubscription;
let feedJobsQueueUrl: string;
let feeds: FeedConfig[];
let state: DynamoStateStore;
let cycle: () => Promise<{ failures: string[] }>;

beforeAll(async () => {
  [feedServer, dynamo, sns] = await Promise.all([
    FeedServer.start({
      routes: {
        '/politics.xml': conditionalFeed(
          rss('Politics', [
            {
              guid: 'https://news.example.test/krebs-fired',
              title: HEADLINE,
              link: 'https://news.example.test/2020/11/17/krebs-fired?utm_source=rss',
              description: 'The director of the <b>Cybersecurity and Infrastructure Security Agency</b> was fired.',
              publishedAt: NOW - 30 * 60_000,
            },
            {
              guid: 'https://news.example.test/weather',
              title: 'Snow expected in Atlanta',
              link: 'https://news.example.test/weather',
              publishedAt: NOW - 10 * 60_000,
            },
          ]),
          { etag: '"politics-1"' },
        ),
        '/down.xml': { status: 503, body: 'maintenance' },
      },
    }),
    startDynalite(),
    startFauxqs(),
  ]);
  const tableName = await dynamo.createStateTable();
  const topicArn = await sns.createTopic();
  subscriber = await sns.subscribeQueue(topicArn);
  const { QueueUrl } = await sns.sqs.send(new CreateQueueCommand({ QueueName: 'feed-jobs' }));
  feedJobsQueueUrl = QueueUrl!;
  feeds = [
    { url: feedServer.url('/politics.xml'), name: 'Politics' },
    { url: feedServer.url('/down.xml'), name: 'Down' },
  ];

  // The two handlers as the stack wires them, with the local endpoints in place of AWS.
  state = new DynamoStateStore({ client: dynamo.client, tableName });
  const clock = { now: () => NOW };
  const dispatch = createDispatchHandler({
    feeds,
    state,
    queue: new SqsFeedJobQueue({ client: sns.sqs, queueUrl: feedJobsQueueUrl }),
    clock,
    telemetry: recordedTelemetry(),
  });
  const poll = createPollHandler({
    ports: pollPorts({
      source: new HttpFeedSource({ addressPolicy: 'any' }),
      state,
      sink: new SnsAlertSink({ client: sns.sns, topicArn }),
      clock,
    }),
    options: {
      matcher: compileMatcher(watchlist.entities),
      entities: watchlist.entities,
      backfillHours: watchlist.settings.backfillHours,
    },
    telemetry: recordedTelemetry(),
  });

  // One tick of the schedule: dispatch, then what the event source mapping does — receive the jobs, invoke poll with
  // them, delete the messages that did not fail.
  cycle = async () => ({ failures: (await scheduleTick(sns.sqs, feedJobsQueueUrl, dispatch, poll)).failures });
}, 90_000);

afterAll(async () => {
  await Promise.all([feedServer?.close(), dynamo?.stop(), sns?.stop()]);
});

test('the first cycle alerts the subscriber once, with the entity attribute; a failing feed fails alone', async () => {
  const { failures } = await cycle();
  expect(failures).toEqual([]);
  const received = await sns.receive(subscriber.queueUrl, 1, { settleMs: 1_000 });
  expect(received).toHaveLength(1);
  const [notification] = received;
  expect(notification?.MessageAttributes?.entity).toEqual({ Type: 'String.Array', Value: expect.any(String) });
  expect(JSON.parse(notification?.MessageAttributes?.entity?.Value ?? '[]')).toEqual(
    expect.arrayContaining(['krebs', 'cisa']),
  );
  // fauxqs hands an SQS subscriber the whole MessageStructure document; SNS would deliver one protocol's body.
  const bodies = JSON.parse(notification?.Message ?? '{}') as Record<string, string>;
  expect(bodies.email).toContain(HEADLINE);
  expect(bodies.email).toContain('https://news.example.test/2020/11/17/krebs-fired');
  expect(bodies.email).not.toContain('utm_source');
  expect(bodies.sms).toContain('Christopher Krebs');
  expect(notification?.Subject).toContain('Krebs');

  const down = await state.getFeed(feeds[1]!.url);
  expect(down).toMatchObject({ consecutiveFailures: 1, lastError: expect.stringContaining('503') });
}, 60_000);

test('the second cycle sends nothing: the feed answers 304 and the failing feed is backing off', async () => {
  const before = feedServer.requestsTo('/politics.xml').length;
  const downBefore = feedServer.requestsTo('/down.xml').length;
  const { failures } = await cycle();
  expect(failures).toEqual([]);
  expect(await sns.receive(subscriber.queueUrl, 0, { settleMs: 1_500 })).toEqual([]);
  const [request] = feedServer.requestsTo('/politics.xml').slice(before);
  expect(request?.headers['if-none-match']).toBe('"politics-1"');
  expect(feedServer.requestsTo('/down.xml').length).toBe(downBefore);
}, 60_000);
