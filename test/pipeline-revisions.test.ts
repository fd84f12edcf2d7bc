// Headlines rewritten in place (same GUID or link, new words) through the real poll: a new development told in the
// rewrite alerts as a follow-up; a rewording of the same event, or a headline going back to an earlier wording, does not.
import { HttpFeedSource } from '../lambda/adapters/http-feed-source';
import { MemoryStateStore } from '../lambda/adapters/memory-state-store';
import { loadWatchlist } from '../lambda/adapters/watchlist-file';
import { formatEmail } from '../lambda/core/format';
import { itemIdentity, seenKey } from '../lambda/core/identity';
import { compileMatcher } from '../lambda/core/match';
import { normalizeItem } from '../lambda/core/normalize';
import type { Alert, FeedConfig } from '../lambda/core/types';
import { type PollOptions, pollFeed } from '../lambda/pipeline';
import type { AlertSink, PublishResult } from '../lambda/ports';
import { FeedServer } from './support/feed-server';
import { pollPorts } from './support/poll-ports';
import { type LabelledItem, labelledRss } from './support/story-stream';

const HOUR = 3_600_000;
const watchlist = loadWatchlist();

class CollectingSink implements AlertSink {
  readonly published: Alert[] = [];
  async publish(alerts: Alert[]): Promise<PublishResult[]> {
    this.published.push(...alerts);
    return alerts.map((alert) => ({ alertId: alert.id, ok: true }));
  }
}

let server: FeedServer;
beforeAll(async () => {
  server = await FeedServer.start();
});
afterAll(async () => {
  await server.close();
});

const RECOUNT: LabelledItem = {
  id: 'ajc-recount-1',
  event: 'recount',
  entities: ['raffensperger'],
  publisher: 'AJC',
  link: 'https://www.ajc.test/politics/georgia-recount',
  publishedAt: '2020-11-11T15:00:00Z',
  title: 'Raffensperger orders hand recount of presidential ballots in Georgia',
  summary: 'Every paper ballot will be counted by hand, the secretary of state said.',
};

let feedCounter = 0;

/** One feed whose document can be replaced between polls, as a publisher's CMS rewrites an item. */
function publisherFeed() {
  const path = `/revisions-${++feedCounter}.rss`;
  const feed: FeedConfig = { url: server.url(path), name: 'AJC' };
  const serve = (...items: LabelledItem[]) =>
    server.route(path, {
      headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
      body: labelledRss('AJC', items),
    });
  return { feed, serve };
}

function setup() {
  const clock = { time: Date.parse('2020-11-11T16:00:00Z'), now: () => clock.time };
  const store = new MemoryStateStore();
  const sink = new CollectingSink();
  const ports = pollPorts({ source: new HttpFeedSource({ addressPolicy: 'any' }), state: store, sink, clock });
  const options: PollOptions = {
    matcher: compileMatcher(watchlist.entities),
    entities: watchlist.entities,
    backfillHours: 24,
  };
  return { clock, store, sink, ports, options };
}

describe('a headline rewritten in place', () => {
  it('alerts when the rewrite tells a new development, as a follow-up of the headline it replaced', async () => {
    const { clock, sink, ports, options } = setup();
    const { feed, serve } = publisherFeed();
    serve(RECOUNT);
    await pollFeed(feed, ports, options);
    expect(sink.published.map((alert) => alert.title)).toEqual([RECOUNT.title]);

    // Days later the same article (same GUID and link) carries the outcome.
    clock.time += 8 * 24 * HOUR;
    serve({
      ...RECOUNT,
      title: 'Georgia hand recount affirms Biden win, Raffensperger says',
      summary: 'The audit found the machine count was accurate.',
    });
    const outcome = await pollFeed(feed, ports, options);
    expect(outcome.alerts.map((alert) => alert.title)).toEqual([
      'Georgia hand recount affirms Biden win, Raffensperger says',
    ]);
    const [update] = outcome.alerts;
    expect(update?.link).toBe(RECOUNT.link);
    expect(update?.followUp?.title).toBe(RECOUNT.title);
    expect(formatEmail(update!)).toContain(`Follow-up to: ${RECOUNT.title}`);

    // Polled again unchanged: nothing more.
    clock.time += HOUR;
    expect((await pollFeed(feed, ports, options)).alerts).toEqual([]);
  });

  it('alerts a new development told by the rewrite of an item that has no GUID, known by its link', async () => {
    const { clock, sink, ports, options } = setup();
    const { feed, serve } = publisherFeed();
    const noGuid = { ...RECOUNT, id: '' };
    serve(noGuid);
    await pollFeed(feed, ports, options);
    clock.time += 2 * HOUR;
    serve({ ...noGuid, title: 'Raffensperger says Georgia recount will be done by Wednesday; Trump campaign sues' });
    await pollFeed(feed, ports, options);
    expect(sink.published.map((alert) => alert.title)).toEqual([
      RECOUNT.title,
      'Raffensperger says Georgia recount will be done by Wednesday; Trump campaign sues',
    ]);
  });

  it('does not alert a rewording of the same event, nor a headline that goes back to a wording already read', async () => {
    const { clock, sink, ports, options } = setup();
    const { feed, serve } = publisherFeed();
    serve(RECOUNT);
    await pollFeed(feed, ports, options);

    clock.time += HOUR;
    const reworded = 'Georgia to recount presidential ballots by hand, Raffensperger orders';
    serve({ ...RECOUNT, title: reworded });
    const rewording = await pollFeed(feed, ports, options);
    expect(rewording.alerts).toEqual([]);
    expect(rewording.joined.map((join) => join.title)).toEqual([reworded]);

    // A headline test flipping between wordings costs nothing more.
    for (const title of [RECOUNT.title, reworded, RECOUNT.title]) {
      clock.time += HOUR;
      serve({ ...RECOUNT, title });
      expect((await pollFeed(feed, ports, options)).alerts).toEqual([]);
    }
    expect(sink.published).toHaveLength(1);
  });

  it('remembers each item with its headline, and reads a state written with keys alone without alerting again', async () => {
    const { clock, sink, store, ports, options } = setup();
    const { feed, serve } = publisherFeed();
    const identity = itemIdentity(normalizeItem({ guid: RECOUNT.id, title: RECOUNT.title, link: RECOUNT.link }, feed));
    // A feed state from before headlines were remembered: the item's key alone.
    await store.putFeed({
      url: feed.url,
      firstPolledAt: clock.time - 24 * HOUR,
      lastSuccessAt: clock.time - HOUR,
      lastAttemptAt: clock.time - HOUR,
      consecutiveFailures: 0,
      itemKeys: [identity.key],
    });
    serve(RECOUNT);
    await pollFeed(feed, ports, options);
    expect(sink.published).toEqual([]);
    expect((await store.getFeed(feed.url))?.itemKeys).toEqual([seenKey(identity, RECOUNT.title)]);

    // From then on a rewrite is seen.
    clock.time += 8 * 24 * HOUR;
    serve({ ...RECOUNT, title: 'Georgia hand recount affirms Biden win, Raffensperger says' });
    await pollFeed(feed, ports, options);
    expect(sink.published).toHaveLength(1);
  });
});
