// A feed with its own interval (`intervalMinutes`) whose alert SNS refused: the SQS redelivery the handler asks for
// polls it again and sends the alert, instead of skipping it as not due while the item leaves the feed.
import type { FeedJob } from '../../lambda/contract/feed-job';
import { createDispatchHandler } from '../../lambda/handlers/dispatch';
import { recordedTelemetry, sqsEvent, sqsRecord } from '../handlers/fixtures';
import { type LocalDynamo, startDynalite } from '../support/dynalite';
import { type LocalSns, startFauxqs } from '../support/fauxqs';
import { conditionalFeed, FeedServer } from '../support/feed-server';
import { buildRig } from './deployed-rig';
import { rssDocument } from './harness';

const T0 = Date.UTC(2024, 10, 5, 12, 0, 0);
const MINUTE = 60_000;

let server: FeedServer;
let dynamo: LocalDynamo;
let local: LocalSns;

beforeAll(async () => {
  [server, dynamo, local] = await Promise.all([FeedServer.start(), startDynalite(), startFauxqs()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([server?.close(), dynamo?.stop(), local?.stop()]);
});

test('an interval feed: the alert SNS refused goes out on the SQS retry, before the item leaves the feed', async () => {
  const rig = await buildRig(dynamo, local, T0);
  const krebs = {
    guid: 'wire-krebs-1',
    title: 'Christopher Krebs sues Trump campaign lawyer over threats',
    link: 'https://news.example.com/krebs-sues',
    publishedAt: T0 - 5 * MINUTE,
  };
  const other = (n: number) => ({
    guid: `weather-${n}`,
    title: `Snow expected in Atlanta, part ${n}`,
    link: `https://news.example.com/weather/${n}`,
    publishedAt: T0 + n * MINUTE,
  });
  server.route('/busy.xml', conditionalFeed(rssDocument([krebs, other(0)]), { etag: '"v1"' }));
  const feed = { url: server.url('/busy.xml'), name: 'Busy wire', intervalMinutes: 30 };
  const queued: FeedJob[] = [];
  const dispatch = createDispatchHandler({
    feeds: [feed],
    state: rig.state,
    queue: { send: async (jobs: FeedJob[]) => void queued.push(...jobs) },
    clock: rig.clock,
    telemetry: recordedTelemetry(),
  });
  let n = 0;
  const tick = async (at: number) => {
    rig.clock.time = at;
    queued.length = 0;
    await dispatch();
    return queued.length === 0
      ? undefined
      : rig.handler(sqsEvent(queued.map((j) => sqsRecord(`m${++n}`, JSON.stringify(j)))));
  };

  // t0: SNS throttles; the handler reports the job failed so that SQS delivers it again.
  rig.sns.refuseNext = 1;
  const first = await tick(T0);
  expect(first?.batchItemFailures).toHaveLength(1);
  const failedJob = queued[0]!;

  // t0+6 min: the visibility timeout (6 x 60 s) ends and SQS redelivers the job (ApproximateReceiveCount 2).
  rig.clock.time = T0 + 6 * MINUTE;
  const retry = await rig.handler(sqsEvent([sqsRecord(`m1`, JSON.stringify(failedJob), 2)]));
  const retryLog = rig.telemetry.logs.at(-1);
  // The retry succeeds (the message is deleted: it never reaches receive 3, the dead-letter queue or its alarm) ...
  expect(retry.batchItemFailures).toEqual([]);
  // ... by polling the feed and sending the refused alert.
  const sentByRetry = await rig.received();
  expect({ retry: retryLog?.message, alerts: sentByRetry.length }).toEqual({ retry: 'feed polled', alerts: 1 });
}, 60_000);

test('an interval feed whose item scrolls out before the interval ends: the alert went out on the retry', async () => {
  const rig = await buildRig(dynamo, local, T0);
  const krebs = {
    guid: 'wire-krebs-2',
    title: 'Christopher Krebs sues Trump campaign lawyer over threats',
    link: 'https://news.example.com/krebs-sues-2',
    publishedAt: T0 - 5 * MINUTE,
  };
  const other = (n: number) => ({
    guid: `weather2-${n}`,
    title: `Snow expected in Atlanta, part ${n}`,
    link: `https://news.example.com/weather2/${n}`,
    publishedAt: T0 + n * MINUTE,
  });
  server.route('/busy2.xml', conditionalFeed(rssDocument([krebs, other(0)]), { etag: '"v1"' }));
  const feed = { url: server.url('/busy2.xml'), name: 'Busy wire 2', intervalMinutes: 30 };
  const queued: FeedJob[] = [];
  const dispatch = createDispatchHandler({
    feeds: [feed],
    state: rig.state,
    queue: { send: async (jobs: FeedJob[]) => void queued.push(...jobs) },
    clock: rig.clock,
    telemetry: recordedTelemetry(),
  });
  let n = 0;
  const tick = async (at: number) => {
    rig.clock.time = at;
    queued.length = 0;
    await dispatch();
    return queued.length === 0
      ? 0
      : (await rig.handler(sqsEvent(queued.map((j) => sqsRecord(`k${++n}`, JSON.stringify(j)))))).batchItemFailures
          .length;
  };

  rig.sns.refuseNext = 1;
  expect(await tick(T0)).toBe(1);
  const failedJob = queued[0]!;
  rig.clock.time = T0 + 6 * MINUTE; // the SQS redelivery polls the feed and sends the alert
  expect((await rig.handler(sqsEvent([sqsRecord('k1', JSON.stringify(failedJob), 2)]))).batchItemFailures).toEqual([]);
  // Every 5-minute tick until the interval ends queues nothing.
  for (const minutes of [5, 10, 15, 20, 25]) expect(await tick(T0 + minutes * MINUTE)).toBe(0);
  // Meanwhile the wire feed moved on: it keeps its latest two items, and the Krebs item is gone.
  server.route('/busy2.xml', conditionalFeed(rssDocument([other(21), other(22)]), { etag: '"v2"' }));
  for (const minutes of [30, 35, 60, 65]) expect(await tick(T0 + minutes * MINUTE)).toBe(0);

  expect((await rig.received(1_500)).length).toBe(1);
}, 60_000);
