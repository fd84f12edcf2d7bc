// The poll handler on SQS batches: feeds from a loopback server, in-memory state, a recording sink; which jobs fail.
import { DynamoStateStore } from '../../lambda/adapters/dynamo-state-store';
import { HttpFeedSource } from '../../lambda/adapters/http-feed-source';
import { MemoryStateStore } from '../../lambda/adapters/memory-state-store';
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { compileMatcher } from '../../lambda/core/match';
import type { Alert, FeedConfig } from '../../lambda/core/types';
import { createPollHandler } from '../../lambda/handlers/poll';
import type { AlertSink, FeedState, PublishResult, StateStore } from '../../lambda/ports';
import { startDynalite } from '../support/dynalite';
import { conditionalFeed, FeedServer } from '../support/feed-server';
import { pollPorts } from '../support/poll-ports';
import { recordedTelemetry, rss, sqsEvent, sqsRecord } from './fixtures';

const NOW = Date.UTC(2020, 10, 18, 6, 0, 0);
const HOUR = 3_600_000;
const watchlist = loadWatchlist();

/** Records what was published; alerts whose title contains `refuse` are refused, as SNS refuses a failed entry. */
class RecordingSink implements AlertSink {
  readonly published: Alert[] = [];
  refuse?: string;

  async publish(alerts: Alert[]): Promise<PublishResult[]> {
    return alerts.map((alert) => {
      if (this.refuse !== undefined && alert.title.includes(this.refuse)) {
        return { alertId: alert.id, ok: false, error: 'InternalError: injected' };
      }
      this.published.push(alert);
      return { alertId: alert.id, ok: true, messageId: `msg-${this.published.length}` };
    });
  }
}

/** The in-memory store, except that writing the state of one feed fails as a DynamoDB outage would. */
class FailingFeedWrites extends MemoryStateStore implements StateStore {
  constructor(private readonly failingUrl: string) {
    super();
  }

  override async putFeed(state: FeedState): Promise<void> {
    if (state.url === this.failingUrl) throw new Error('ProvisionedThroughputExceededException: injected');
    return super.putFeed(state);
  }
}

const krebsFired = rss('Politics', [
  {
    guid: 'krebs-fired',
    title: 'Trump fires Christopher Krebs, the official who vouched for the election',
    link: 'https://news.example.test/2020/11/17/krebs-fired',
    publishedAt: NOW - HOUR,
  },
]);
const sterling = rss('Georgia', [
  {
    guid: 'sterling-presser',
    title: 'Gabriel Sterling: "Stop inspiring people to commit acts of violence"',
    link: 'https://news.example.test/2020/12/01/sterling',
    publishedAt: NOW - 2 * HOUR,
  },
]);

let server: FeedServer;
let feeds: Record<'krebs' | 'sterling' | 'broken', FeedConfig>;

beforeAll(async () => {
  server = await FeedServer.start({
    routes: {
      '/krebs.xml': conditionalFeed(krebsFired, { etag: '"krebs-v1"' }),
      '/sterling.xml': conditionalFeed(sterling, { etag: '"sterling-v1"' }),
      '/broken.xml': { status: 500, body: 'upstream exploded' },
    },
  });
  feeds = {
    krebs: { url: server.url('/krebs.xml'), name: 'Politics' },
    sterling: { url: server.url('/sterling.xml'), name: 'Georgia' },
    broken: { url: server.url('/broken.xml'), name: 'Broken' },
  };
});
afterAll(async () => {
  await server?.close();
});

function setup(state: StateStore = new MemoryStateStore()) {
  const sink = new RecordingSink();
  const telemetry = recordedTelemetry();
  const ports = pollPorts({
    source: new HttpFeedSource({ addressPolicy: 'any', timeoutMs: 10_000 }),
    state,
    sink,
    clock: { now: () => NOW },
  });
  const handler = createPollHandler({
    ports,
    options: { matcher: compileMatcher(watchlist.entities), entities: watchlist.entities, backfillHours: 24 },
    telemetry,
  });
  return { handler, sink, state, telemetry };
}

const job = (feed: FeedConfig, state?: FeedState) => JSON.stringify(state ? { feed, state } : { feed });

test('a batch with one malformed job reports exactly that job as failed; the other feeds are polled', async () => {
  const { handler, sink, telemetry } = setup();
  const response = await handler(
    sqsEvent([
      sqsRecord('m-krebs', job(feeds.krebs)),
      sqsRecord('m-garbage', '{"feed": '),
      sqsRecord('m-sterling', job(feeds.sterling)),
    ]),
  );
  expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-garbage' }]);
  expect(sink.published.map((alert) => alert.entities)).toEqual([['krebs'], ['sterling']]);
  expect(telemetry.logs).toContainEqual(
    expect.objectContaining({
      level: 'error',
      message: 'malformed feed job',
      fields: expect.objectContaining({ messageId: 'm-garbage' }),
    }),
  );
});

test('a job that fails validation names the problem and fails alone', async () => {
  const { handler, telemetry } = setup();
  const response = await handler(
    sqsEvent([
      sqsRecord('m-bad-url', JSON.stringify({ feed: { url: 'file:///etc/passwd', name: 'x' } })),
      sqsRecord('m-state-mismatch', job(feeds.krebs, { url: feeds.sterling.url, consecutiveFailures: 0 })),
      sqsRecord('m-sterling', job(feeds.sterling)),
    ]),
  );
  expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-bad-url' }, { itemIdentifier: 'm-state-mismatch' }]);
  const errors = telemetry.logs.filter((line) => line.level === 'error').map((line) => line.fields.error);
  expect(errors).toEqual([
    expect.stringContaining('feed.url: must be an http(s) URL'),
    expect.stringContaining('state.url: must equal feed.url'),
  ]);
});

test("a feed's own failure is recorded on the feed with backoff, and its message succeeds", async () => {
  const { handler, state, telemetry } = setup();
  const response = await handler(
    sqsEvent([sqsRecord('m-broken', job(feeds.broken)), sqsRecord('m-krebs', job(feeds.krebs))]),
  );
  expect(response.batchItemFailures).toEqual([]);
  const broken = await state.getFeed(feeds.broken.url);
  expect(broken).toMatchObject({ consecutiveFailures: 1, lastError: expect.stringContaining('http-status') });
  expect(broken?.nextAttemptAt).toBeGreaterThan(NOW);
  expect(telemetry.metrics.total('FeedErrors')).toBe(1);
  expect(telemetry.metrics.total('FeedsPolled')).toBe(2);
});

test('each feed outcome is one structured log line: url, status, items, matches, alerts and the error', async () => {
  const { handler, telemetry } = setup();
  await handler(sqsEvent([sqsRecord('m-krebs', job(feeds.krebs)), sqsRecord('m-broken', job(feeds.broken))]));
  const outcomes = telemetry.logs.filter((line) => line.fields.status !== undefined);
  expect(outcomes).toHaveLength(2);
  expect(outcomes).toContainEqual({
    level: 'info',
    message: 'feed polled',
    fields: expect.objectContaining({ url: feeds.krebs.url, status: 'ok', items: 1, matches: 1, alerts: 1 }),
  });
  expect(outcomes).toContainEqual({
    level: 'warn',
    message: 'feed polled with problems',
    fields: expect.objectContaining({
      url: feeds.broken.url,
      feed: 'Broken',
      status: 'error',
      items: 0,
      alerts: 0,
      error: expect.stringContaining('http-status'),
    }),
  });
});

test('a state store failure fails that job only, so SQS delivers it again', async () => {
  const { handler, sink } = setup(new FailingFeedWrites(server.url('/sterling.xml')));
  const response = await handler(
    sqsEvent([sqsRecord('m-krebs', job(feeds.krebs)), sqsRecord('m-sterling', job(feeds.sterling))]),
  );
  expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-sterling' }]);
  expect(sink.published.map((alert) => alert.entities[0])).toContain('krebs');
});

test('an alert SNS refused fails the job; the redelivered job publishes it, and nothing twice', async () => {
  const { handler, sink, telemetry } = setup();
  sink.refuse = 'Christopher Krebs';
  const first = await handler(sqsEvent([sqsRecord('m-krebs', job(feeds.krebs))]));
  expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm-krebs' }]);
  expect(sink.published).toEqual([]);
  expect(telemetry.metrics.total('AlertsFailed')).toBe(1);

  sink.refuse = undefined;
  const retry = await handler(sqsEvent([sqsRecord('m-krebs', job(feeds.krebs), 2)]));
  expect(retry.batchItemFailures).toEqual([]);
  expect(sink.published.map((alert) => alert.title)).toEqual([
    'Trump fires Christopher Krebs, the official who vouched for the election',
  ]);

  const again = await handler(sqsEvent([sqsRecord('m-krebs-next-cycle', job(feeds.krebs))]));
  expect(again.batchItemFailures).toEqual([]);
  expect(sink.published).toHaveLength(1);
  expect(telemetry.metrics.total('AlertsSent')).toBe(1);
});

test('the state in the job saves a read; a redelivered job reads the state afresh instead', async () => {
  const { handler, state } = setup();
  const earlierRequests = server.requestsTo('/krebs.xml').length;
  await handler(sqsEvent([sqsRecord('m-1', job(feeds.krebs))]));
  const stored = await state.getFeed(feeds.krebs.url);
  expect(stored?.etag).toBe('"krebs-v1"');

  // Dispatch's view from before the first poll (no validators): a first delivery trusts it, a redelivery does not.
  const stale: FeedState = { url: feeds.krebs.url, consecutiveFailures: 0 };
  await handler(sqsEvent([sqsRecord('m-2', job(feeds.krebs, stale), 2)]));
  await handler(sqsEvent([sqsRecord('m-3', job(feeds.krebs, stored))]));
  const conditional = server
    .requestsTo('/krebs.xml')
    .slice(earlierRequests)
    .map((request) => request.headers['if-none-match']);
  expect(conditional).toEqual([undefined, '"krebs-v1"', '"krebs-v1"']);
});

test('each invocation flushes its metrics once, with the per-feed counts', async () => {
  const { handler, telemetry, state } = setup();
  await handler(sqsEvent([sqsRecord('m-krebs', job(feeds.krebs)), sqsRecord('m-sterling', job(feeds.sterling))]));
  // Dispatch's view of the feed after that poll: its validators, and the watchlist it was matched with.
  const polled = await state.getFeed(feeds.krebs.url);
  expect(polled?.etag).toBe('"krebs-v1"');
  await handler(sqsEvent([sqsRecord('m-krebs-2', job(feeds.krebs, polled))]));
  expect(telemetry.metrics.flushes).toBe(2);
  expect(Object.fromEntries(telemetry.metrics.published)).toEqual({
    FeedsPolled: 3,
    FeedsNotModified: 1,
    FeedErrors: 0,
    ItemsSeen: 2,
    Matches: 2,
    AlertsSent: 2,
    AlertsFailed: 0,
    AlertsHeldFromSms: 0,
  });
});

test('a redelivered job whose feed was polled meanwhile is skipped: no fetch, no metrics, the message succeeds', async () => {
  const { handler, state, telemetry } = setup();
  await state.putFeed({ url: feeds.sterling.url, consecutiveFailures: 0, lastAttemptAt: NOW, lastSuccessAt: NOW });
  const hourly = { ...feeds.sterling, intervalMinutes: 60 };
  const requestsBefore = server.requestsTo('/sterling.xml').length;
  const response = await handler(sqsEvent([sqsRecord('m-again', job(hourly), 2)]));
  expect(response.batchItemFailures).toEqual([]);
  expect(server.requestsTo('/sterling.xml')).toHaveLength(requestsBefore);
  expect(telemetry.metrics.total('FeedsPolled')).toBe(0);
});

/** Routes outlet `index`'s feed reporting the Krebs firing under `prefix` and returns its poll job's SQS record. */
function sameEventRecord(prefix: string, outlet: string, index: number) {
  const path = `/${prefix}/${index}.xml`;
  server.route(path, {
    headers: { 'content-type': 'application/rss+xml' },
    body: rss(outlet, [
      {
        guid: `${outlet}-${prefix}-krebs`,
        title: `Trump fires Christopher Krebs, top U.S. election security official - ${outlet}`,
        link: `https://${outlet.toLowerCase()}.example.test/${prefix}/krebs-fired`,
        publishedAt: NOW - HOUR + index * 60_000,
      },
    ]),
  });
  return sqsRecord(`m-${index}`, job({ url: server.url(path), name: outlet }));
}

test('one event reported by several feeds of one batch alerts once, on the real table', async () => {
  // Five outlets publish the same firing at once; the batch polls them side by side against dynalite.
  const dynamo = await startDynalite();
  try {
    const store = new DynamoStateStore({ client: dynamo.client, tableName: await dynamo.createStateTable() });
    const outlets = ['Reuters', 'AP', 'BBC', 'NPR', 'Politico'];
    const batch = outlets.map((outlet, index) => sameEventRecord('same-event', outlet, index));
    const { handler, sink } = setup(store);
    expect((await handler(sqsEvent(batch))).batchItemFailures).toEqual([]);
    expect(sink.published.map((alert) => alert.title)).toHaveLength(1);
  } finally {
    await dynamo.stop();
  }
});

test('one event reported by feeds of two batches polled at the same moment, by two invocations, alerts once', async () => {
  // Two poll invocations (each its own store and story filer, as in two Lambda environments) on one table: the first
  // to start the story files it, the other joins it instead of starting a second one.
  const dynamo = await startDynalite();
  try {
    const tableName = await dynamo.createStateTable();
    const invocations = ['Reuters', 'AP', 'BBC'].map((outlet, index) => {
      const record = sameEventRecord('two-batches', outlet, index);
      const { handler, sink } = setup(new DynamoStateStore({ client: dynamo.client, tableName }));
      return { sink, run: () => handler(sqsEvent([record])) };
    });
    const responses = await Promise.all(invocations.map((invocation) => invocation.run()));
    expect(responses.map((response) => response.batchItemFailures)).toEqual([[], [], []]);
    expect(invocations.flatMap((invocation) => invocation.sink.published)).toHaveLength(1);
  } finally {
    await dynamo.stop();
  }
});
