// A feed job carries the state dispatch read when it queued it. Two jobs for a feed never polled (dispatch queued it
// on two ticks while the poll function was behind, or SQS delivered the message twice) must not both run a "first
// poll": the second, run after the first, would record silently as backfill what appeared in between.
import { sqsEvent, sqsRecord } from '../handlers/fixtures';
import { conditionalFeed } from '../support/feed-server';
import { buildRig, job, MINUTE, T0, useLocalServices } from './deployed-rig';
import { type FeedEntry, rssDocument } from './harness';

const services = useLocalServices();

/**
 * The Krebs story a new feed starts with, and a Sterling item it adds later without a pubDate (many feeds leave it
 * out): on any poll but the first that alerts as "now".
 */
function entries(suffix: string): { fired: FeedEntry; undated: FeedEntry } {
  return {
    fired: {
      guid: `fired${suffix}`,
      title: 'Trump fires Christopher Krebs, director of CISA, by tweet',
      link: `https://news.example.com/fired${suffix}`,
      publishedAt: T0 - 60 * MINUTE,
    },
    undated: {
      guid: `sterling-presser${suffix}`,
      title: 'Gabriel Sterling: "Stop inspiring people to commit acts of violence"',
      link: `https://news.example.com/sterling${suffix}`,
    },
  };
}

test('a second job queued before the feed was first polled does not silence what appeared since', async () => {
  const rig = await buildRig(services);
  const { fired, undated } = entries('');
  services.server.route('/new.xml', conditionalFeed(rssDocument([fired]), { etag: '"v1"' }));
  const feed = { url: services.server.url('/new.xml'), name: 'New feed' };

  // Two jobs for the new feed, both queued while it had no state (two dispatch ticks, or one message delivered twice).
  const queuedAtT0 = job(feed);
  const queuedAtT5 = job(feed);

  rig.clock.time = T0 + 6 * MINUTE;
  await rig.handler(sqsEvent([sqsRecord('j1', queuedAtT0)]));
  expect((await rig.received()).map((a) => a.subject)).toHaveLength(1); // the first poll alerts the Krebs story

  // The feed adds Sterling's item; the second job, received for the first time, still carries "no state".
  services.server.route('/new.xml', conditionalFeed(rssDocument([undated, fired]), { etag: '"v2"' }));
  rig.clock.time = T0 + 7 * MINUTE;
  await rig.handler(sqsEvent([sqsRecord('j2', queuedAtT5)]));
  // Any later poll sees it as dealt with.
  rig.clock.time = T0 + 10 * MINUTE;
  await rig.handler(sqsEvent([sqsRecord('j3', job(feed, await rig.state.getFeed(feed.url)))]));

  const outcomes = rig.telemetry.logs.filter((l) => l.fields.url === feed.url).map((l) => l.fields.backfilled);
  // Sterling's item alerted, not backfilled by the stale "first poll" job.
  expect({ backfilled: outcomes, alerts: (await rig.received()).length }).toEqual({ backfilled: [0, 0, 0], alerts: 1 });
}, 60_000);

test('... nor does one whose carried state is of a feed whose first fetch failed (firstPolledAt not yet set)', async () => {
  const rig = await buildRig(services);
  const { fired, undated } = entries('-b');
  // The feed's server is down for its very first poll: the feed gets a state with a failure and no firstPolledAt.
  services.server.route('/flaky.xml', { status: 503, body: 'maintenance' });
  const feed = { url: services.server.url('/flaky.xml'), name: 'Flaky feed' };
  await rig.handler(sqsEvent([sqsRecord('f0', job(feed))]));
  const failed = await rig.state.getFeed(feed.url);
  expect(failed).toMatchObject({ consecutiveFailures: 1 });
  expect(failed?.firstPolledAt).toBeUndefined();

  // Its backoff over, dispatch queues it on two ticks before the poll function gets to it (a backlog), both jobs
  // carrying the state dispatch read then.
  services.server.route('/flaky.xml', conditionalFeed(rssDocument([fired]), { etag: '"v1"' }));
  const j1 = job(feed, failed);
  const j2 = job(feed, failed);
  rig.clock.time = T0 + 11 * MINUTE;
  await rig.handler(sqsEvent([sqsRecord('f1', j1)]));
  expect(await rig.received()).toHaveLength(1);
  services.server.route('/flaky.xml', conditionalFeed(rssDocument([undated, fired]), { etag: '"v2"' }));
  rig.clock.time = T0 + 12 * MINUTE;
  await rig.handler(sqsEvent([sqsRecord('f2', j2)]));
  rig.clock.time = T0 + 15 * MINUTE;
  await rig.handler(sqsEvent([sqsRecord('f3', job(feed, await rig.state.getFeed(feed.url)))]));

  const backfilled = rig.telemetry.logs
    .filter((l) => l.fields.url === feed.url && l.fields.status === 'ok')
    .map((l) => l.fields.backfilled);
  // Sterling's item alerted by the poll after the first (the third poll answers 304), not backfilled by the stale job.
  expect({ backfilled, sterlingAlerts: (await rig.received()).length }).toEqual({
    backfilled: [0, 0],
    sterlingAlerts: 1,
  });
}, 60_000);
