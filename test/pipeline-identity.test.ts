// Item identity through the real poll, where it can cost an alert: a headline rewritten in place (same GUID or link)
// that tells a new development alerts as a follow-up, a rewording does not; a recurring title on another day, live-blog
// entries sharing one page and two items under one GUID each alert.
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

  it('alerts a rewrite that comes back after the item left the feed for a while', async () => {
    const { clock, sink, ports, options } = setup();
    const { feed, serve } = publisherFeed();
    serve(RECOUNT);
    await pollFeed(feed, ports, options);
    // The item drops out of the feed's window, then returns with the outcome as its headline.
    clock.time += 2 * HOUR;
    serve();
    await pollFeed(feed, ports, options);
    clock.time += 5 * 24 * HOUR;
    serve({ ...RECOUNT, title: 'Georgia hand recount affirms Biden win, Raffensperger says' });
    await pollFeed(feed, ports, options);
    expect(sink.published.map((alert) => alert.title)).toEqual([
      RECOUNT.title,
      'Georgia hand recount affirms Biden win, Raffensperger says',
    ]);
    // And the item seen once more under either headline sends nothing.
    clock.time += HOUR;
    serve(RECOUNT);
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
    expect((await store.getFeed(feed.url))?.itemKeys).toEqual([seenKey(identity, RECOUNT.title, ['raffensperger'])]);

    // From then on a rewrite is seen.
    clock.time += 8 * 24 * HOUR;
    serve({ ...RECOUNT, title: 'Georgia hand recount affirms Biden win, Raffensperger says' });
    await pollFeed(feed, ports, options);
    expect(sink.published).toHaveLength(1);
  });
});

describe('an item that only looks like one already read', () => {
  const liveOn = (day: number, summary: string): LabelledItem => ({
    ...RECOUNT,
    id: `11alive-v-${day}`,
    publisher: '11Alive',
    link: `https://www.11alive.test/video/watch-live-raffensperger/85-${day}`,
    publishedAt: `2020-11-${day}T15:00:00Z`,
    title: 'WATCH LIVE: Raffensperger holds news conference',
    summary,
  });

  it('alerts a recurring headline on another day (a new livestream), though its words are the same', async () => {
    const { clock, sink, ports, options } = setup();
    const { feed, serve } = publisherFeed();
    clock.time = Date.parse('2020-11-16T16:00:00Z');
    serve(liveOn(16, 'Georgia’s secretary of state gives an update on the audit.'));
    await pollFeed(feed, ports, options);
    // Two days later, inside the story window: only the summary tells what this one is about.
    clock.time = Date.parse('2020-11-18T16:00:00Z');
    serve(
      liveOn(18, 'Officials will discuss threats against county election workers.'),
      liveOn(16, 'Georgia’s secretary of state gives an update on the audit.'),
    );
    await pollFeed(feed, ports, options);
    clock.time = Date.parse('2020-11-20T16:00:00Z');
    serve(
      liveOn(20, 'Raffensperger is expected to certify the results.'),
      liveOn(18, 'Officials will discuss threats against county election workers.'),
    );
    await pollFeed(feed, ports, options);
    expect(sink.published.map((alert) => alert.link)).toEqual([16, 18, 20].map((day) => liveOn(day, '').link));
  });

  it('alerts a series headline whose tail is a weekday, not a publisher', async () => {
    const { clock, sink, ports, options } = setup();
    const { feed, serve } = publisherFeed();
    const update = (day: string, link: string, at: string): LabelledItem => ({
      ...RECOUNT,
      id: link,
      entities: ['sterling'],
      link,
      publishedAt: at,
      title: `Gabriel Sterling gives Georgia election update - ${day}`,
      summary: '',
    });
    clock.time = Date.parse('2020-11-17T18:00:00Z');
    serve(update('Tuesday', 'https://www.ajc.test/sterling-update-tuesday', '2020-11-17T17:00:00Z'));
    await pollFeed(feed, ports, options);
    clock.time = Date.parse('2020-12-07T18:00:00Z');
    serve(update('Monday', 'https://www.ajc.test/sterling-update-monday', '2020-12-07T17:00:00Z'));
    await pollFeed(feed, ports, options);
    expect(sink.published.map((alert) => alert.title)).toEqual([
      'Gabriel Sterling gives Georgia election update - Tuesday',
      'Gabriel Sterling gives Georgia election update - Monday',
    ]);
  });

  it('alerts each entry of a live blog whose entries share one page, told apart by their headlines', async () => {
    const { clock, sink, ports, options } = setup();
    const { feed, serve } = publisherFeed();
    const entry = (anchor: string, at: string, title: string, entities: string[]): LabelledItem => ({
      ...RECOUNT,
      id: `https://apnews.test/live/georgia-election-updates#${anchor}`,
      entities,
      link: `https://apnews.test/live/georgia-election-updates#${anchor}`,
      publishedAt: at,
      title,
      summary: '',
    });
    const recount = entry(
      'update-001',
      '2020-11-11T15:00:00Z',
      'Raffensperger says Georgia will conduct full hand recount',
      ['raffensperger'],
    );
    const killed = entry(
      'update-014',
      '2020-12-01T19:00:00Z',
      "Gabriel Sterling: Trump's rhetoric will get someone killed",
      ['sterling'],
    );
    serve(recount);
    await pollFeed(feed, ports, options);
    clock.time = Date.parse('2020-12-01T20:00:00Z');
    serve(killed, recount);
    await pollFeed(feed, ports, options);
    expect(sink.published.map((alert) => alert.title)).toEqual([recount.title, killed.title]);
  });

  it('alerts the second of two items a feed gives one GUID, by the next poll', async () => {
    const { clock, sink, ports, options } = setup();
    const { feed, serve } = publisherFeed();
    const fired: LabelledItem = {
      ...RECOUNT,
      id: '56',
      link: 'https://www.gpb.test/news/2020/11/18/b',
      publishedAt: '2020-11-18T01:00:00Z',
      title: 'Trump fires Chris Krebs, the CISA director who vouched for election',
      summary: '',
    };
    const resigns: LabelledItem = {
      ...fired,
      link: 'https://www.gpb.test/news/2020/11/18/c',
      publishedAt: '2020-11-18T02:00:00Z',
      title: 'Masterson, top CISA election security official, resigns after Krebs firing',
    };
    clock.time = Date.parse('2020-11-18T03:00:00Z');
    serve(fired, resigns);
    await pollFeed(feed, ports, options);
    clock.time += HOUR;
    await pollFeed(feed, ports, options);
    expect(sink.published.map((alert) => alert.title)).toEqual([fired.title, resigns.title]);
  });
});

describe('the same headline in another feed', () => {
  it('alerts a tracked entity only its summary names, though the headline was alerted for another', async () => {
    const { clock, sink, ports, options } = setup();
    const wire = publisherFeed();
    wire.serve({
      ...RECOUNT,
      id: 'wire-1',
      link: 'https://wire.test/recount',
      summary: 'Every paper ballot will be counted by hand.',
    });
    await pollFeed(wire.feed, ports, options);
    expect(sink.published.map((alert) => alert.entities)).toEqual([['raffensperger']]);

    // A paper runs the wire headline word for word, over its own summary naming Gabriel Sterling.
    clock.time += HOUR;
    const paper = publisherFeed();
    paper.serve({
      ...RECOUNT,
      id: 'paper-1',
      publisher: 'Paper',
      link: 'https://paper.test/recount',
      summary: 'Gabriel Sterling, who runs the voting system, will oversee the count.',
    });
    const outcome = await pollFeed(paper.feed, ports, options);
    // Its summary tells what the story's never did (Sterling), so it is a story of its own: Sterling's followers hear
    // of it, and Raffensperger's once more.
    expect(outcome.alerts.map((alert) => alert.entities)).toEqual([['raffensperger', 'sterling']]);
    // Polled again: nothing more, and a copy naming no one more is the same item.
    clock.time += HOUR;
    expect((await pollFeed(paper.feed, ports, options)).alerts).toEqual([]);
    const third = publisherFeed();
    third.serve({ ...RECOUNT, id: 'third-1', link: 'https://third.test/recount', summary: 'Counting starts Friday.' });
    expect((await pollFeed(third.feed, ports, options)).alerts).toEqual([]);
  });
});
