// A feed with its own interval (`intervalMinutes`) whose alert SNS refused: the SQS redelivery the handler asks for
// polls it again and sends the alert, instead of skipping it as not due while the item leaves the feed.
import type { FeedJob } from '../../lambda/contract/feed-job';
import { createDispatchHandler } from '../../lambda/handlers/dispatch';
import { recordedTelemetry, sqsEvent, sqsRecord } from '../handlers/fixtures';
import { conditionalFeed } from '../support/feed-server';
import { buildRig, MINUTE, T0, useLocalServices } from './deployed-rig';
import { rssDocument } from './harness';

const services = useLocalServices();

/**
 * A busy wire feed with its own 30-minute interval, serving a Krebs item and the weather, and a schedule tick: dispatch
 * queues what is due and the poll handler runs the jobs (its result; undefined when nothing was queued).
 */
async function intervalFeed(name: string) {
  const rig = await buildRig(services);
  const krebs = {
    guid: `${name}-krebs`,
    title: 'Christopher Krebs sues Trump campaign lawyer over threats',
    link: `https://news.example.com/${name}/krebs-sues`,
    publishedAt: T0 - 5 * MINUTE,
  };
  const other = (n: number) => ({
    guid: `${name}-weather-${n}`,
    title: `Snow expected in Atlanta, part ${n}`,
    link: `https://news.example.com/${name}/weather/${n}`,
    publishedAt: T0 + n * MINUTE,
  });
  const path = `/${name}.xml`;
  const serve = (items: ReturnType<typeof other>[], etag: string) =>
    services.server.route(path, conditionalFeed(rssDocument(items), { etag }));
  serve([krebs, other(0)], '"v1"');
  const feed = { url: services.server.url(path), name, intervalMinutes: 30 };
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
  return { rig, other, serve, queued, tick };
}

test('an interval feed: the alert SNS refused goes out on the SQS retry, before the item leaves the feed', async () => {
  const { rig, queued, tick } = await intervalFeed('busy');

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
  const { rig, other, serve, queued, tick } = await intervalFeed('busy2');
  const failures = async (at: number) => (await tick(at))?.batchItemFailures.length ?? 0;

  rig.sns.refuseNext = 1;
  expect(await failures(T0)).toBe(1);
  const failedJob = queued[0]!;
  rig.clock.time = T0 + 6 * MINUTE; // the SQS redelivery polls the feed and sends the alert
  expect((await rig.handler(sqsEvent([sqsRecord('k1', JSON.stringify(failedJob), 2)]))).batchItemFailures).toEqual([]);
  // Every 5-minute tick until the interval ends queues nothing.
  for (const minutes of [5, 10, 15, 20, 25]) expect(await failures(T0 + minutes * MINUTE)).toBe(0);
  // Meanwhile the wire feed moved on: it keeps its latest two items, and the Krebs item is gone.
  serve([other(21), other(22)], '"v2"');
  for (const minutes of [30, 35, 60, 65]) expect(await failures(T0 + minutes * MINUTE)).toBe(0);

  expect((await rig.received(1_500)).length).toBe(1);
}, 60_000);
