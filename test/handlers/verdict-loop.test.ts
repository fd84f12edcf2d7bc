// The loop closed end to end on local servers: a poll (dispatch -> SQS -> poll handler, state in dynalite, SNS on
// fauxqs) alerts a subscriber with verdict links; the reader follows them through the real verdict handler (GET shows
// the page, POST records); the next poll's similar bare-surname item is refused by the entity's profile, and
// `news-alerts feedback --table` lists the verdicts with a suggested exclude.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoStateStore } from '../../lambda/adapters/dynamo-state-store';
import { DynamoVerdictStore } from '../../lambda/adapters/dynamo-verdicts';
import { HttpFeedSource } from '../../lambda/adapters/http-feed-source';
import { SnsAlertSink } from '../../lambda/adapters/sns-alert-sink';
import { SqsFeedJobQueue } from '../../lambda/adapters/sqs-feed-job-queue';
import { signedVerdictLinker } from '../../lambda/adapters/verdict-linker';
import { DEFAULT_WATCHLIST_PATH, loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { compileMatcher } from '../../lambda/core/match';
import { TopicModel } from '../../lambda/core/topic-model';
import { createDispatchHandler } from '../../lambda/handlers/dispatch';
import { createPollHandler } from '../../lambda/handlers/poll';
import { createVerdictHandler } from '../../lambda/handlers/verdict';
import { TOPIC_SEED } from '../../lambda/pipeline/topic-learning';
import { runCli } from '../cli/run-cli';
import { type LocalDynamo, startDynalite } from '../support/dynalite';
import { localCliEnv } from '../support/fake-aws';
import { type LocalSns, type QueueSubscription, startFauxqs } from '../support/fauxqs';
import { FeedServer } from '../support/feed-server';
import { type FunctionUrlServer, serveFunctionUrl } from '../support/function-url-server';
import { pollPorts } from '../support/poll-ports';
import { type RssItem, recordedTelemetry, rss, scheduleTick } from './fixtures';

const watchlist = loadWatchlist();
const NOW = Date.now();
const KEY = 'v'.repeat(64);

/** Two alerts about the brewery in Krebs, Oklahoma, whose words the shipped profile leans towards (vote, drew, crowds). */
const WRONG: RssItem[] = [
  {
    guid: 'brewing-vote',
    title: 'Krebs brewery vote drew record crowds',
    link: 'https://news.example.test/brewing-vote',
    publishedAt: NOW - 50 * 60_000,
  },
  {
    guid: 'brewing-crowds',
    title: 'Krebs brewery open house drew crowds',
    link: 'https://news.example.test/brewing-crowds',
    publishedAt: NOW - 40 * 60_000,
  },
];
/** The next poll's item: the same world, the surname alone again. */
const SIMILAR: RssItem = {
  guid: 'beer-vote',
  title: 'Krebs brewery festival vote drew record crowds',
  link: 'https://news.example.test/beer-vote',
  description: 'The Choc beer vote drew thousands of visitors to the brewery.',
  publishedAt: NOW - 10 * 60_000,
};

let feedServer: FeedServer;
let dynamo: LocalDynamo;
let sns: LocalSns;
let verdictServer: FunctionUrlServer;
let subscriber: QueueSubscription;
let tableName: string;
let telemetry: ReturnType<typeof recordedTelemetry>;
let cycle: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  [feedServer, dynamo, sns] = await Promise.all([
    FeedServer.start({ routes: { '/local.xml': { body: rss('Local', WRONG) } } }),
    startDynalite(),
    startFauxqs(),
  ]);
  dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-verdict-loop-'));
  tableName = await dynamo.createStateTable();
  const topicArn = await sns.createTopic();
  subscriber = await sns.subscribeQueue(topicArn);
  const { QueueUrl: feedJobsQueueUrl } = await sns.sqs.send(new CreateQueueCommand({ QueueName: 'verdict-loop-jobs' }));
  const state = new DynamoStateStore({ client: dynamo.client, tableName });
  const clock = { now: () => NOW };
  // The verdict function as the stack wires it: its own store on the same table, the signing key, the entity names.
  verdictServer = await serveFunctionUrl(
    createVerdictHandler({
      verdicts: new DynamoVerdictStore(DynamoDBDocumentClient.from(dynamo.client), tableName),
      key: async () => KEY,
      clock,
      entityNames: new Map(watchlist.entities.map((entity) => [entity.id, entity.name])),
      telemetry: recordedTelemetry(),
    }),
  );
  const dispatch = createDispatchHandler({
    feeds: [{ url: feedServer.url('/local.xml'), name: 'Local' }],
    state,
    queue: new SqsFeedJobQueue({ client: sns.sqs, queueUrl: feedJobsQueueUrl! }),
    clock,
    telemetry: recordedTelemetry(),
  });
  telemetry = recordedTelemetry();
  const poll = createPollHandler({
    ports: pollPorts({
      source: new HttpFeedSource({ addressPolicy: 'any' }),
      state,
      sink: new SnsAlertSink({
        client: sns.sns,
        topicArn,
        verdictLinks: signedVerdictLinker({ baseUrl: verdictServer.url, key: async () => KEY, clock }),
      }),
      clock,
    }),
    options: {
      matcher: compileMatcher(watchlist.entities),
      entities: watchlist.entities,
      backfillHours: watchlist.settings.backfillHours,
    },
    telemetry,
  });
  cycle = async () => {
    const { messages, failures } = await scheduleTick(sns.sqs, feedJobsQueueUrl!, dispatch, poll);
    expect(messages).toHaveLength(1);
    expect(failures).toEqual([]);
  };
}, 90_000);

afterAll(async () => {
  await Promise.all([feedServer?.close(), dynamo?.stop(), sns?.stop(), verdictServer?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const post = (url: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ t: new URL(url).searchParams.get('t') ?? '' }).toString(),
  });

/** The matches the poll reported for the feed in its last 'feed polled' log line. */
const lastMatches = () => telemetry.logs.filter((line) => line.message === 'feed polled').at(-1)?.fields?.matches;

test('an alert, its verdicts through the endpoint, a similar item refused, and feedback listing them', async () => {
  // 1. The poll alerts both brewery items, each email with a "Not about Christopher Krebs?" link.
  await cycle();
  const received = await sns.receive(subscriber.queueUrl, 2, { settleMs: 1_000 });
  expect(received).toHaveLength(2);
  const links = received.map((notification) => {
    const email = (JSON.parse(notification.Message) as { email: string }).email;
    const link = /Not about Christopher Krebs\? (\S+)/.exec(email)?.[1];
    expect(link?.startsWith(verdictServer.url)).toBe(true);
    return link!;
  });
  const documents = DynamoDBDocumentClient.from(dynamo.client);
  const verdictRows = async () =>
    (
      await documents.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': 'VERDICT#krebs' },
        }),
      )
    ).Items ?? [];

  // 2. The reader opens each link (a page, nothing recorded), then presses its button (recorded).
  for (const link of links) {
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Not about Christopher Krebs?');
  }
  expect(await verdictRows()).toEqual([]);
  for (const link of links) {
    const pressed = await post(link);
    expect(pressed.status).toBe(200);
    expect(await pressed.text()).toContain('Recorded');
  }
  expect(await verdictRows()).toHaveLength(2);

  // 3. The next poll reads a similar bare-surname item, which the shipped profile alone would let in...
  const seedOnly = compileMatcher(watchlist.entities).withTopics(
    TopicModel.build(watchlist.entities, { seed: TOPIC_SEED, now: NOW }),
  );
  expect(seedOnly.match({ title: SIMILAR.title, summary: SIMILAR.description }).map((m) => m.entityId)).toEqual([
    'krebs',
  ]);
  feedServer.route('/local.xml', { body: rss('Local', [SIMILAR]) });
  await cycle();
  // ...and the entity's profile now refuses it: no match at all (not a story join), no alert.
  expect(lastMatches()).toBe(0);
  expect(await sns.receive(subscriber.queueUrl, 0, { settleMs: 1_500 })).toEqual([]);

  // 4. feedback from the table lists both verdicts with the suggested exclude.
  const feedback = await runCli(['feedback', '--watchlist', DEFAULT_WATCHLIST_PATH, '--table', tableName, '--json'], {
    cwd: dir,
    env: localCliEnv(dir, { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint }),
  });
  expect(feedback.stderr).toBe('');
  const [krebs] = JSON.parse(feedback.stdout).entities;
  expect(krebs).toMatchObject({ entityId: 'krebs', alerts: 2, wrongShare: 1 });
  expect(krebs.verdicts.map((verdict: { title: string }) => verdict.title).sort()).toEqual(
    WRONG.map((item) => item.title).sort(),
  );
  expect(krebs.suggestedExclude).toEqual({ phrase: 'krebs brewery', wrongAlerts: 2 });
}, 120_000);
