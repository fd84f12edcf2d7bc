// Feeds over days, on the local pipeline against a real server on 127.0.0.1: a Last-Modified that never moves or goes
// back, a feed added while it is down. Each lost its items for good before (a reviewer's probe of feeds over time).
import { MemoryStateStore } from '../../lambda/adapters/memory-state-store';
import type { FeedConfig } from '../../lambda/core/types';
import { type FeedOutcome, pollFeeds } from '../../lambda/pipeline';
import { FeedServer, type Route } from '../support/feed-server';
import { pollPorts } from '../support/poll-ports';
import {
  CapturingSink,
  type FeedEntry,
  MINUTE,
  newsEntry,
  pollOptions,
  rssDocument,
  T0,
  testFeedSource,
} from './harness';

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let server: FeedServer;
beforeAll(async () => {
  server = await FeedServer.start();
});
afterAll(() => server.close());

/** A poller on one memory store, run at the times given, as cron runs `news-alerts poll`. */
function poller(feed: FeedConfig) {
  const clock = { time: T0, now: () => clock.time };
  const sink = new CapturingSink();
  const ports = pollPorts({
    source: testFeedSource({ addressPolicy: 'any' }),
    state: new MemoryStateStore(),
    sink,
    clock,
  });
  const outcomes: FeedOutcome[] = [];
  return {
    sink,
    outcomes,
    async pollAt(time: number) {
      clock.time = time;
      outcomes.push(...(await pollFeeds([feed], ports, pollOptions())));
    },
  };
}

const alertedTitles = (sink: CapturingSink) => sink.published.map((alert) => alert.title);

/** As Apache and many CDNs answer: 304 whenever the resource's Last-Modified is not after If-Modified-Since. */
function modifiedSinceRoute(entries: () => FeedEntry[], lastModified: () => number): Route {
  return ({ headers }) => {
    const since = Date.parse(String(headers['if-modified-since'] ?? ''));
    const header = new Date(lastModified()).toUTCString();
    if (!Number.isNaN(since) && Math.floor(lastModified() / 1000) <= Math.floor(since / 1000)) {
      return { status: 304, headers: { 'last-modified': header } };
    }
    return {
      status: 200,
      headers: { 'content-type': 'application/rss+xml', 'last-modified': header },
      body: rssDocument(entries()),
    };
  };
}

describe('a server whose Last-Modified does not move with its content', () => {
  it.each([
    ['never moves (a template’s time, a CDN caching the header)', () => T0 - DAY],
    ['goes back 3 days (a new origin whose clock is behind)', (now: number) => (now < T0 + HOUR ? T0 : T0 - 3 * DAY)],
  ])('%s: an item it adds alerts within hours, not never', async (_what, lastModifiedAt) => {
    const first = newsEntry('lmfirst', 0, true);
    const added = { ...newsEntry('lmadded', 1, true), publishedAt: T0 + HOUR };
    let now = T0;
    const path = `/last-modified-${Math.round(lastModifiedAt(T0 + DAY) / 1000)}.xml`;
    server.route(
      path,
      modifiedSinceRoute(
        () => (now < added.publishedAt ? [first] : [added, first]),
        () => lastModifiedAt(now),
      ),
    );
    const run = poller({ url: server.url(path), name: 'Stuck validator' });
    for (now = T0; now <= T0 + 8 * HOUR; now += 30 * MINUTE) await run.pollAt(now);
    expect(alertedTitles(run.sink)).toEqual([first.title, added.title]);
    // Conditional requests were made (and answered 304) until a whole read showed them wrong.
    expect(run.outcomes.filter((outcome) => outcome.status === 'not-modified').length).toBeGreaterThan(0);
  });
});

describe('a feed added while its server is down', () => {
  it('alerts what it published after it was added once it is back, though that is older than the backfill window', async () => {
    const weekOld = { ...newsEntry('downold', 0, true), publishedAt: T0 - 7 * DAY };
    const sixHours = { ...newsEntry('down6h', 1, true), publishedAt: T0 + 6 * HOUR };
    const fortyHours = { ...newsEntry('down40h', 2, true), publishedAt: T0 + 40 * HOUR };
    let up = false;
    server.route('/down-when-added.xml', () =>
      up
        ? {
            status: 200,
            headers: { 'content-type': 'application/rss+xml' },
            body: rssDocument([fortyHours, sixHours, weekOld]),
          }
        : { status: 503 },
    );
    const run = poller({ url: server.url('/down-when-added.xml'), name: 'Down when added' });
    for (let now = T0; now < T0 + 48 * HOUR; now += HOUR) await run.pollAt(now);
    expect(run.sink.published).toEqual([]);
    up = true;
    await run.pollAt(T0 + 48 * HOUR);
    expect(alertedTitles(run.sink).sort()).toEqual([sixHours.title, fortyHours.title].sort());
    expect(run.outcomes.at(-1)).toMatchObject({ status: 'ok', backfilled: 1 });
  });
});

describe('a busy feed that turns over between two reads', () => {
  /** A feed keeping its last 20 items, one published every `everyMinutes`, numbered from 0. */
  function busyFeed(tag: string, everyMinutes: number) {
    let now = T0;
    const path = `/${tag}.xml`;
    const published = () => Math.floor((now - T0) / (everyMinutes * MINUTE)) + 1;
    server.route(path, () => {
      const count = published();
      const entries = Array.from({ length: Math.min(20, count) }, (_, k) => {
        const index = count - 1 - k;
        return { ...newsEntry(tag, index, index % 5 === 0), publishedAt: T0 + index * everyMinutes * MINUTE };
      });
      return { status: 200, headers: { 'content-type': 'application/rss+xml' }, body: rssDocument(entries) };
    });
    return { url: server.url(path), setNow: (time: number) => (now = time) };
  }

  it('says so when a read holds nothing the last one did, and not while the reads overlap', async () => {
    const feed = busyFeed('turnover', 10);
    const run = poller({ url: feed.url, name: 'Busy' });
    for (const time of [T0 + HOUR, T0 + 2 * HOUR, T0 + 7 * HOUR]) {
      feed.setNow(time);
      await run.pollAt(time);
    }
    expect(run.outcomes.map((outcome) => outcome.turnedOver ?? false)).toEqual([false, false, true]);
  });

  it('reads a feed with its own interval on every tick for a day once it turned over, not an interval later', async () => {
    const feed = busyFeed('turnover-hourly', 2);
    const run = poller({ url: feed.url, name: 'Busy hourly', intervalMinutes: 60 });
    for (let time = T0 + HOUR; time <= T0 + 3 * HOUR; time += 5 * MINUTE) {
      feed.setNow(time);
      await run.pollAt(time);
    }
    const read = run.outcomes.filter((outcome) => outcome.status === 'ok');
    expect(read[1]?.turnedOver).toBe(true);
    // Read on every 5-minute tick after: 20 items at one every 2 minutes last 40 minutes, so none turns over again.
    expect(read).toHaveLength(2 + 12);
    expect(read.slice(2).some((outcome) => outcome.turnedOver)).toBe(false);
  });
});

describe('a busy feed whose Last-Modified never moves', () => {
  it('is read whole on every poll once a whole read shows newer items under the same validators', async () => {
    let now = T0;
    // One item every 10 minutes, the last 20 kept (3 h 20 min), every third naming a tracked person.
    const entryAt = (index: number) => ({
      ...newsEntry('stuckbusy', index, index % 3 === 0),
      publishedAt: T0 + index * 10 * MINUTE,
    });
    const count = () => Math.floor((now - T0) / (10 * MINUTE)) + 1;
    server.route(
      '/stuck-busy.xml',
      modifiedSinceRoute(
        () => Array.from({ length: Math.min(20, count()) }, (_, k) => entryAt(count() - 1 - k)),
        () => T0 - DAY,
      ),
    );
    const run = poller({ url: server.url('/stuck-busy.xml'), name: 'Stuck busy' });
    for (now = T0; now <= T0 + 8 * HOUR; now += 5 * MINUTE) await run.pollAt(now);
    const matching = Array.from({ length: count() }, (_, index) => index).filter((index) => index % 3 === 0);
    expect(alertedTitles(run.sink).sort()).toEqual(matching.map((index) => entryAt(index).title).sort());
  });
});
