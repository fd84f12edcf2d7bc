// The poll use case with in-memory ports and the real core: dedupe, backfill, failures, retries, dry runs.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileStateStore } from '../lambda/adapters/file-state-store';
import { MemoryStateStore } from '../lambda/adapters/memory-state-store';
import { FeedError } from '../lambda/core/feed-error';
import { itemIdentity, seenKey } from '../lambda/core/identity';
import { compileMatcher } from '../lambda/core/match';
import { normalizeItem } from '../lambda/core/normalize';
import type { Alert, Entity, FeedConfig } from '../lambda/core/types';
import { watchlistFingerprint } from '../lambda/core/watchlist-fingerprint';
import { type FeedOutcome, feedSkip, isDue, type PollOptions, pollFeed, pollFeeds } from '../lambda/pipeline';
import type { AlertSink, FeedSource, FeedState, FetchRequest, FetchResponse, PublishResult } from '../lambda/ports';
import { pollPorts } from './support/poll-ports';

const HOUR = 3_600_000;
const NOW = Date.UTC(2020, 10, 18, 12, 0, 0);

const ENTITIES: Entity[] = [
  {
    id: 'krebs',
    name: 'Christopher Krebs',
    aliases: ['Christopher Krebs', 'Chris Krebs'],
    ambiguous: ['Krebs'],
    context: ['CISA', 'election'],
    excludes: ['Brian Krebs', 'Krebs cycle'],
  },
  {
    id: 'cisa',
    name: 'CISA',
    aliases: ['Cybersecurity and Infrastructure Security Agency'],
    ambiguous: ['CISA'],
    context: ['Krebs', 'election', 'agency'],
    excludes: [],
  },
];

interface FeedItem {
  guid?: string;
  title: string;
  link?: string;
  description?: string;
  /** ms since epoch; no pubDate when absent */
  published?: number;
}

function rss(items: FeedItem[]): string {
  const entries = items.map((item) =>
    [
      '<item>',
      `<title>${item.title}</title>`,
      item.guid ? `<guid isPermaLink="false">${item.guid}</guid>` : '',
      item.link ? `<link>${item.link.replaceAll('&', '&amp;')}</link>` : '',
      item.description ? `<description>${item.description}</description>` : '',
      item.published === undefined ? '' : `<pubDate>${new Date(item.published).toUTCString()}</pubDate>`,
      '</item>',
    ].join(''),
  );
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test</title><link>https://news.example.test/</link>${entries.join('')}</channel></rss>`;
}

type Served = { body: string; etag?: string } | FeedError | Error;

/** A feed source over documents held in memory; answers 304 when the caller's ETag is the current one. */
class InMemoryFeedSource implements FeedSource {
  readonly requests: FetchRequest[] = [];
  private readonly feeds = new Map<string, Served>();
  private inFlight = 0;
  maxInFlight = 0;

  serve(url: string, served: Served): void {
    this.feeds.set(url, served);
  }

  async fetch(request: FetchRequest): Promise<FetchResponse> {
    this.requests.push(request);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((resolve) => setImmediate(resolve));
      const served = this.feeds.get(request.url);
      if (served === undefined) throw new FeedError('http-status', 'HTTP 404', { httpStatus: 404 });
      if (served instanceof Error) throw served;
      if (served.etag !== undefined && request.etag === served.etag) return { kind: 'not-modified' };
      return {
        kind: 'ok',
        body: new TextEncoder().encode(served.body),
        contentType: 'application/rss+xml; charset=utf-8',
        etag: served.etag,
        finalUrl: request.url,
      };
    } finally {
      this.inFlight -= 1;
    }
  }

  fetchesOf(url: string): number {
    return this.requests.filter((request) => request.url === url).length;
  }
}

/** Collects published alerts; refuses the ids listed in `refuse` and can fail outright. */
class CollectingSink implements AlertSink {
  readonly published: Alert[] = [];
  readonly calls: Alert[][] = [];
  refuse = new Set<string>();
  broken = false;

  async publish(alerts: Alert[]): Promise<PublishResult[]> {
    if (this.broken) throw new Error('sink unavailable');
    this.calls.push(alerts);
    return alerts.map((alert) => {
      if (this.refuse.has(alert.title)) return { alertId: alert.id, ok: false, error: 'throttled' };
      this.published.push(alert);
      return { alertId: alert.id, ok: true };
    });
  }
}

/** A memory store that counts its writes, to show which polls write nothing. */
class CountingStateStore extends MemoryStateStore {
  writes = 0;
  protected override changed(): void {
    this.writes += 1;
  }
}

const BBC: FeedConfig = { url: 'https://feeds.example.test/bbc.rss', name: 'BBC US' };
const NPR: FeedConfig = { url: 'https://feeds.example.test/npr.rss', name: 'NPR Politics' };
const BROKEN: FeedConfig = { url: 'https://feeds.example.test/broken.rss', name: 'Broken' };

const KREBS_FIRED: FeedItem = {
  guid: 'bbc-54982360',
  title: 'Trump fires US election security official Christopher Krebs',
  link: 'https://www.bbc.test/news/world-us-canada-54982360',
  description: 'Chris Krebs was fired as director of the Cybersecurity and Infrastructure Security Agency.',
  published: NOW - 2 * HOUR,
};
const BRIAN_KREBS: FeedItem = {
  guid: 'kos-1',
  title: 'Brian Krebs on a new phishing kit aimed at election offices',
  link: 'https://krebsonsecurity.test/2020/11/phishing',
  published: NOW - HOUR,
};
const UNRELATED: FeedItem = {
  guid: 'bbc-2',
  title: 'Pound sterling slides against the dollar',
  link: 'https://www.bbc.test/news/business-2',
  published: NOW - HOUR,
};

function setup(store = new MemoryStateStore()) {
  const clock = { time: NOW, now: () => clock.time };
  const source = new InMemoryFeedSource();
  const sink = new CollectingSink();
  const ports = pollPorts({ source, state: store, sink, clock });
  const options: PollOptions = { matcher: compileMatcher(ENTITIES), entities: ENTITIES, backfillHours: 24 };
  return { clock, source, sink, store, ports, options };
}

describe('pollFeed', () => {
  it('alerts a new matching item once, with what a reader needs, and nothing on the next poll', async () => {
    const { source, sink, ports, options, clock } = setup();
    source.serve(BBC.url, { body: rss([KREBS_FIRED, BRIAN_KREBS, UNRELATED]) });

    const first = await pollFeed(BBC, ports, options);
    expect(first).toMatchObject({ status: 'ok', items: 3, matches: 1, failedAlerts: 0 });
    expect(sink.published).toHaveLength(1);
    const [alert] = sink.published;
    expect(alert).toMatchObject({
      entities: ['krebs', 'cisa'],
      entityNames: ['Christopher Krebs', 'CISA'],
      title: KREBS_FIRED.title,
      link: KREBS_FIRED.link,
      feed: 'BBC US',
      feedUrl: BBC.url,
      publishedAt: KREBS_FIRED.published,
    });
    expect(alert?.evidence.map((evidence) => evidence.entityId)).toEqual(expect.arrayContaining(['krebs', 'cisa']));
    expect(first.alerts).toEqual(sink.published);

    clock.time += HOUR;
    const second = await pollFeed(BBC, ports, options);
    expect(second).toMatchObject({ status: 'ok', items: 3, matches: 1, alerts: [] });
    expect(sink.calls).toHaveLength(1);
  });

  it('gives the same item the same alert id on every poll, so a retried publish is recognisable', async () => {
    const a = setup();
    const b = setup();
    for (const { source } of [a, b]) source.serve(BBC.url, { body: rss([KREBS_FIRED]) });
    const [first] = (await pollFeed(BBC, a.ports, a.options)).alerts;
    const [again] = (await pollFeed(BBC, b.ports, b.options)).alerts;
    expect(first?.id).toBeDefined();
    expect(again?.id).toBe(first?.id);
  });

  it('does not alert again when the feed changes the GUID of an item it already alerted', async () => {
    const { source, sink, ports, options, clock } = setup();
    source.serve(BBC.url, { body: rss([KREBS_FIRED]) });
    await pollFeed(BBC, ports, options);

    clock.time += HOUR;
    source.serve(BBC.url, { body: rss([{ ...KREBS_FIRED, guid: 'urn:bbc:cms:54982360:v2' }]) });
    const outcome = await pollFeed(BBC, ports, options);
    expect(outcome).toMatchObject({ status: 'ok', matches: 1, alerts: [] });
    expect(sink.published).toHaveLength(1);
  });

  it('does not alert again when an item without GUID comes back with tracking parameters on its link', async () => {
    const { source, sink, ports, options, clock } = setup();
    const { guid: _, ...withoutGuid } = KREBS_FIRED;
    source.serve(BBC.url, { body: rss([withoutGuid]) });
    await pollFeed(BBC, ports, options);

    clock.time += HOUR;
    const tracked = `${KREBS_FIRED.link}?utm_source=twitter&utm_medium=social&fbclid=IwAR0abc`;
    source.serve(BBC.url, { body: rss([{ ...withoutGuid, link: tracked }]) });
    const outcome = await pollFeed(BBC, ports, options);
    expect(outcome).toMatchObject({ status: 'ok', matches: 1, alerts: [] });
    expect(sink.published).toHaveLength(1);
  });

  it('alerts a story once when a second feed carries it under its own GUID and link (a Google News copy)', async () => {
    const { source, sink, ports, options } = setup();
    source.serve(BBC.url, { body: rss([KREBS_FIRED]) });
    const googleCopy: FeedItem = {
      guid: 'CBMiQWh0dHBzOi8vd3d3LmJiYy5jby51ay9uZXdzL3dvcmxkLXVzLWNhbmFkYS01NDk4MjM2MNIBAA',
      title: `${KREBS_FIRED.title} - BBC News`,
      link: 'https://news.google.test/rss/articles/CBMiQWh0dHBzOi8v?oc=5',
      published: KREBS_FIRED.published,
    };
    source.serve(NPR.url, { body: rss([googleCopy]) });
    const outcomes = await pollFeeds([BBC, NPR], ports, options);
    expect(outcomes.map((outcome) => outcome.matches)).toEqual([1, 1]);
    expect(sink.published).toHaveLength(1);
  });

  it('alerts only recent items on the first poll of a feed; older and undated ones are recorded silently', async () => {
    const { source, sink, ports, options, clock } = setup();
    const old = {
      ...KREBS_FIRED,
      guid: 'old',
      link: 'https://www.bbc.test/news/old',
      title: 'CISA director Krebs testifies on election',
      published: NOW - 72 * HOUR,
    };
    const undated = { guid: 'undated', title: 'Chris Krebs speaks about election security', link: 'https://x.test/u' };
    source.serve(BBC.url, { body: rss([KREBS_FIRED, old, undated]) });

    const first = await pollFeed(BBC, ports, options);
    expect(first).toMatchObject({ matches: 3, backfilled: 2 });
    expect(sink.published.map((alert) => alert.title)).toEqual([KREBS_FIRED.title]);

    // After the first poll the window no longer applies: an old item that appears now is news to this feed.
    clock.time += HOUR;
    const lateOld = { guid: 'late', title: 'Krebs on CISA and the election, an interview', published: NOW - 96 * HOUR };
    source.serve(BBC.url, { body: rss([KREBS_FIRED, old, undated, lateOld]) });
    const second = await pollFeed(BBC, ports, options);
    expect(second).toMatchObject({ matches: 4, backfilled: 0 });
    expect(second.alerts.map((alert) => alert.title)).toEqual([lateOld.title]);
  });

  it('retries an alert the sink refused on the next poll, keeping the old validators so the feed is fetched again', async () => {
    const { source, sink, ports, options, store, clock } = setup();
    source.serve(BBC.url, { body: rss([KREBS_FIRED]), etag: '"v1"' });
    await pollFeed(BBC, ports, options);
    const second = {
      ...KREBS_FIRED,
      guid: 'bbc-2',
      link: 'https://www.bbc.test/news/2',
      // A different story of the same person (the same story would join the first instead of alerting).
      title: 'Krebs sues campaign lawyer Joe diGenova for defamation',
      description: 'The former CISA director filed a lawsuit in a Maryland court over calls to execute him.',
    };
    source.serve(BBC.url, { body: rss([KREBS_FIRED, second]), etag: '"v2"' });
    sink.refuse.add(second.title);

    clock.time += HOUR;
    const refused = await pollFeed(BBC, ports, options);
    expect(refused).toMatchObject({ status: 'ok', alerts: [], failedAlerts: 1 });
    expect((await store.getFeed(BBC.url))?.etag).toBe('"v1"');

    sink.refuse.clear();
    clock.time += HOUR;
    const retried = await pollFeed(BBC, ports, options);
    expect(source.requests.at(-1)?.etag).toBe('"v1"');
    expect(retried).toMatchObject({ status: 'ok', failedAlerts: 0 });
    expect(retried.alerts.map((alert) => alert.title)).toEqual([second.title]);
    expect((await store.getFeed(BBC.url))?.etag).toBe('"v2"');

    clock.time += HOUR;
    expect(await pollFeed(BBC, ports, options)).toMatchObject({ status: 'not-modified' });
  });

  it('remembers the items a changed feed dealt with, so the next document asks the store only about new ones', async () => {
    /** The real memory store, recording which items it was asked to claim. */
    class ClaimRecordingStore extends MemoryStateStore {
      readonly claimed: string[] = [];
      override async claimItem(...args: Parameters<MemoryStateStore['claimItem']>) {
        this.claimed.push(args[0].title);
        return super.claimItem(...args);
      }
    }
    const { source, sink, ports, options, store, clock } = setup(new ClaimRecordingStore());
    const recording = store as ClaimRecordingStore;
    const lawsuit = {
      ...KREBS_FIRED,
      guid: 'bbc-3',
      link: 'https://www.bbc.test/news/3',
      title: 'Krebs sues campaign lawyer Joe diGenova for defamation',
      description: 'The former CISA director filed a lawsuit in a Maryland court over calls to execute him.',
      published: NOW,
    };
    source.serve(BBC.url, { body: rss([KREBS_FIRED, UNRELATED]), etag: '"v1"' });
    await pollFeed(BBC, ports, options);
    const fired = itemIdentity(
      normalizeItem({ guid: KREBS_FIRED.guid, title: KREBS_FIRED.title, link: KREBS_FIRED.link }, BBC),
    );
    expect((await store.getFeed(BBC.url))?.itemKeys).toEqual([seenKey(fired, KREBS_FIRED.title, ['krebs', 'cisa'])]);

    // The next document adds the lawsuit, which the sink refuses once: it is not remembered, so it is asked about again.
    source.serve(BBC.url, { body: rss([lawsuit, KREBS_FIRED, UNRELATED]), etag: '"v2"' });
    sink.refuse.add(lawsuit.title);
    recording.claimed.length = 0;
    clock.time += HOUR;
    await pollFeed(BBC, ports, options);
    expect(recording.claimed).toEqual([lawsuit.title]);

    sink.refuse.clear();
    clock.time += HOUR;
    const retried = await pollFeed(BBC, ports, options);
    expect(retried.alerts.map((alert) => alert.title)).toEqual([lawsuit.title]);
    expect(recording.claimed).toEqual([lawsuit.title, lawsuit.title]);

    // A new unrelated item changes the document; the two alerted items cost no lookup now.
    source.serve(BBC.url, { body: rss([{ ...UNRELATED, guid: 'bbc-4', title: 'Rates held' }, lawsuit, KREBS_FIRED]) });
    clock.time += HOUR;
    expect(await pollFeed(BBC, ports, options)).toMatchObject({ status: 'ok', matches: 2, alerts: [] });
    expect(recording.claimed).toHaveLength(2);
    expect(sink.published.map((alert) => alert.title)).toEqual([KREBS_FIRED.title, lawsuit.title]);
  });

  it('keeps the old validators while another poller holds an item, so the item is not lost if that poller dies', async () => {
    const { source, ports, options, store, clock } = setup();
    source.serve(BBC.url, { body: rss([UNRELATED]), etag: '"v1"' });
    await pollFeed(BBC, ports, options);
    source.serve(BBC.url, { body: rss([UNRELATED, KREBS_FIRED]), etag: '"v2"' });
    clock.time += HOUR;
    const raw = { guid: KREBS_FIRED.guid, title: KREBS_FIRED.title, link: KREBS_FIRED.link };
    const identity = itemIdentity(normalizeItem(raw, BBC));
    await store.claimItem({ identity, feedUrl: BBC.url, title: raw.title }, clock.time, 2 * 60_000);

    const whileHeld = await pollFeed(BBC, ports, options);
    expect(whileHeld).toMatchObject({ status: 'ok', matches: 1, alerts: [] });
    expect((await store.getFeed(BBC.url))?.etag).toBe('"v1"');

    clock.time += 3 * 60_000; // the other poller's lease ran out without a send
    const after = await pollFeed(BBC, ports, options);
    expect(after.alerts.map((alert) => alert.title)).toEqual([KREBS_FIRED.title]);
    expect((await store.getFeed(BBC.url))?.etag).toBe('"v2"');
  });

  it('sends the saved validators and writes nothing when the feed answers 304', async () => {
    const { source, ports, options, store, clock } = setup(new CountingStateStore());
    source.serve(BBC.url, { body: rss([KREBS_FIRED]), etag: '"abc"' });
    await pollFeed(BBC, ports, options);
    const counting = store as CountingStateStore;
    const writesAfterFirst = counting.writes;
    const stateAfterFirst = await store.getFeed(BBC.url);

    clock.time += HOUR;
    const outcome = await pollFeed(BBC, ports, options);
    expect(outcome).toMatchObject({ status: 'not-modified', alerts: [] });
    expect(source.requests.at(-1)).toEqual({ url: BBC.url, etag: '"abc"', lastModified: undefined });
    expect(counting.writes).toBe(writesAfterFirst);
    expect(await store.getFeed(BBC.url)).toEqual(stateAfterFirst);
  });

  it('records a failure on the feed with backoff, skips it until then, and a later 304 clears it', async () => {
    const { source, ports, options, store, clock } = setup();
    source.serve(BBC.url, { body: rss([KREBS_FIRED]), etag: '"abc"' });
    await pollFeed(BBC, ports, options);

    clock.time += HOUR;
    source.serve(BBC.url, new FeedError('http-status', 'HTTP 503', { httpStatus: 503 }));
    const failed = await pollFeed(BBC, ports, options);
    expect(failed).toMatchObject({ status: 'error', errorCode: 'http-status', error: 'http-status: HTTP 503' });
    const afterFailure = await store.getFeed(BBC.url);
    expect(afterFailure).toMatchObject({
      consecutiveFailures: 1,
      nextAttemptAt: clock.time + 5 * 60_000,
      lastError: 'http-status: HTTP 503',
      etag: '"abc"',
    });

    const fetches = source.fetchesOf(BBC.url);
    clock.time += 60_000;
    expect(await pollFeed(BBC, ports, options)).toMatchObject({ status: 'skipped' });
    expect(source.fetchesOf(BBC.url)).toBe(fetches);

    clock.time += 5 * 60_000;
    expect(await pollFeed(BBC, ports, options)).toMatchObject({ status: 'error' });
    expect(await store.getFeed(BBC.url)).toMatchObject({
      consecutiveFailures: 2,
      nextAttemptAt: clock.time + 10 * 60_000,
    });

    clock.time += 10 * 60_000;
    source.serve(BBC.url, { body: rss([KREBS_FIRED]), etag: '"abc"' });
    expect(await pollFeed(BBC, ports, options)).toMatchObject({ status: 'not-modified' });
    const recovered = await store.getFeed(BBC.url);
    expect(recovered).toMatchObject({ consecutiveFailures: 0, lastSuccessAt: clock.time, etag: '"abc"' });
    expect(recovered?.lastError).toBeUndefined();
    expect(recovered?.nextAttemptAt).toBeUndefined();
  });

  it('remembers when a run of failures began, so a day of failures is told from a day of 304s', async () => {
    const { source, ports, options, store, clock } = setup();
    source.serve(BBC.url, new FeedError('timeout', 'no answer'));
    const firstFailure = clock.time;
    await pollFeed(BBC, ports, options);
    clock.time += HOUR;
    await pollFeed(BBC, ports, options);
    expect(await store.getFeed(BBC.url)).toMatchObject({ consecutiveFailures: 2, failingSince: firstFailure });

    clock.time += HOUR;
    source.serve(BBC.url, { body: rss([UNRELATED]) });
    await pollFeed(BBC, ports, options);
    expect((await store.getFeed(BBC.url))?.failingSince).toBeUndefined();
  });

  it('polls a feed with its own interval once per interval even while it answers 304', async () => {
    const { source, ports, options, clock } = setup();
    const hourly: FeedConfig = { ...NPR, intervalMinutes: 60 };
    source.serve(hourly.url, { body: rss([UNRELATED]), etag: '"v1"' });
    await pollFeed(hourly, ports, options);
    clock.time += 61 * 60_000;
    expect(await pollFeed(hourly, ports, options)).toMatchObject({ status: 'not-modified' });
    clock.time += 5 * 60_000;
    expect(await pollFeed(hourly, ports, options)).toMatchObject({ status: 'skipped' });
    expect(source.fetchesOf(hourly.url)).toBe(2);
  });

  it('waits as long as a 429 Retry-After asks, and tries a gone feed again only after 6 hours, until it is back', async () => {
    const { source, ports, options, store, clock } = setup();
    source.serve(BBC.url, new FeedError('rate-limited', 'HTTP 429', { httpStatus: 429, retryAfterMs: 2 * HOUR }));
    await pollFeed(BBC, ports, options);
    expect((await store.getFeed(BBC.url))?.nextAttemptAt).toBe(clock.time + 2 * HOUR);

    source.serve(NPR.url, new FeedError('gone', 'HTTP 410', { httpStatus: 410 }));
    await pollFeed(NPR, ports, options);
    expect(await store.getFeed(NPR.url)).toMatchObject({ gone: true, lastError: 'gone: HTTP 410' });
    clock.time += 6 * HOUR - 1;
    expect(await pollFeed(NPR, ports, options)).toMatchObject({ status: 'skipped', skip: { reason: 'gone' } });
    expect(source.fetchesOf(NPR.url)).toBe(1);
    // A 410 during a move is not forever: the feed back, its news alerts.
    clock.time += 1;
    source.serve(NPR.url, { body: rss([KREBS_FIRED]) });
    expect(await pollFeed(NPR, ports, options)).toMatchObject({ status: 'ok', alerts: [{ title: KREBS_FIRED.title }] });
    expect(await store.getFeed(NPR.url)).not.toHaveProperty('gone');
  });

  it('reads an interval feed again once its backoff ends after a failure, not a whole interval later', async () => {
    const { source, ports, options, clock } = setup();
    const hourly: FeedConfig = { ...BBC, intervalMinutes: 60 };
    source.serve(BBC.url, { body: rss([UNRELATED]) });
    await pollFeed(hourly, ports, options);
    clock.time += HOUR;
    source.serve(BBC.url, new FeedError('http-status', 'HTTP 503', { httpStatus: 503 }));
    await pollFeed(hourly, ports, options);
    clock.time += 5 * 60_000; // the first backoff
    source.serve(BBC.url, { body: rss([UNRELATED, KREBS_FIRED]) });
    expect(await pollFeed(hourly, ports, options)).toMatchObject({
      status: 'ok',
      alerts: [{ title: KREBS_FIRED.title }],
    });
  });

  it('reports a malformed feed as an error on that feed', async () => {
    const { source, ports, options, store } = setup();
    source.serve(BBC.url, { body: '<html><body><h1>Subscribe to read Chris Krebs news</h1></body></html>' });
    const outcome = await pollFeed(BBC, ports, options);
    expect(outcome).toMatchObject({ status: 'error', errorCode: 'parse', alerts: [] });
    expect(outcome.error).toMatch(/^parse: /);
    expect(await store.getFeed(BBC.url)).toMatchObject({ consecutiveFailures: 1 });
  });

  it('throws when the sink itself fails, leaving the item to be alerted by a later poll', async () => {
    const { source, sink, ports, options, clock } = setup();
    source.serve(BBC.url, { body: rss([KREBS_FIRED]) });
    sink.broken = true;
    await expect(pollFeed(BBC, ports, options)).rejects.toThrow('sink unavailable');

    sink.broken = false;
    clock.time += 3 * 60_000; // past the claim's lease
    const retried = await pollFeed(BBC, ports, options);
    expect(retried.alerts.map((alert) => alert.title)).toEqual([KREBS_FIRED.title]);
  });

  it('uses the feed state the caller already read instead of reading it again', async () => {
    const { source, ports, options, clock } = setup();
    source.serve(BBC.url, { body: rss([KREBS_FIRED]), etag: '"abc"' });
    const prior: FeedState = {
      url: BBC.url,
      etag: '"abc"',
      consecutiveFailures: 0,
      firstPolledAt: NOW - HOUR,
      lastReadAt: NOW,
      watchlist: watchlistFingerprint(options.entities),
    };
    const getFeed = jest.spyOn(ports.state, 'getFeed');
    clock.time += HOUR;
    expect(await pollFeed(BBC, ports, options, prior)).toMatchObject({ status: 'not-modified' });
    expect(getFeed).not.toHaveBeenCalled();
  });
});

describe('a changed watchlist', () => {
  /** A BBC item published now. */
  const bbcItem = (n: number, title: string) => ({
    guid: `bbc-${n}`,
    link: `https://www.bbc.test/news/${n}`,
    title,
    published: NOW,
  });
  /** The poll options over another watchlist's entities. */
  const watching = (options: PollOptions, entities: Entity[]): PollOptions => ({
    ...options,
    entities,
    matcher: compileMatcher(entities),
  });

  it('reads an unchanged feed whole, so an item already in it that now matches alerts', async () => {
    const { source, sink, ports, options, clock } = setup();
    const masterson = bbcItem(9, 'Matthew Masterson, top CISA election official, resigns');
    source.serve(BBC.url, { body: rss([masterson]), etag: '"v1"' });
    const krebsOnly = watching(options, ENTITIES.slice(0, 1));
    await pollFeed(BBC, ports, krebsOnly);
    expect(sink.published).toEqual([]);

    // The same watchlist again: a 304, nothing read.
    clock.time += HOUR;
    expect(await pollFeed(BBC, ports, krebsOnly)).toMatchObject({ status: 'not-modified' });
    // CISA added: the feed is asked without its validators and the item alerts.
    clock.time += HOUR;
    expect(await pollFeed(BBC, ports, options)).toMatchObject({ status: 'ok', alerts: [{ title: masterson.title }] });
    expect(source.requests.at(-1)?.etag).toBeUndefined();
    clock.time += HOUR;
    expect(await pollFeed(BBC, ports, options)).toMatchObject({ status: 'not-modified' });
  });

  it('alerts an entity it adds for an item already alerted for another entity, and only it', async () => {
    const { source, sink, ports, options, clock } = setup();
    const launch = bbcItem(10, 'Chris Krebs and Alex Stamos launch consulting firm');
    source.serve(BBC.url, { body: rss([launch]), etag: '"v1"' });
    await pollFeed(BBC, ports, options);
    expect(sink.published.map((alert) => alert.entities)).toEqual([['krebs']]);

    const stamos: Entity = {
      id: 'stamos',
      name: 'Alex Stamos',
      aliases: ['Alex Stamos'],
      ambiguous: [],
      context: [],
      excludes: [],
    };
    const withStamos = watching(options, [...ENTITIES, stamos]);
    clock.time += HOUR;
    await pollFeed(BBC, ports, withStamos);
    // Krebs's followers had it; Stamos's get it now, and nobody gets it twice.
    expect(sink.published.map((alert) => alert.entities)).toEqual([['krebs'], ['stamos']]);
    clock.time += HOUR;
    source.serve(BBC.url, { body: rss([launch]), etag: '"v2"' });
    await pollFeed(BBC, ports, withStamos);
    expect(sink.published).toHaveLength(2);
  });
});

describe('dry run', () => {
  it('returns the would-be alerts and claims, publishes and records nothing', async () => {
    const { source, sink, ports, options, store } = setup(new CountingStateStore());
    source.serve(BBC.url, { body: rss([KREBS_FIRED, UNRELATED]), etag: '"abc"' });
    source.serve(BROKEN.url, new FeedError('timeout', 'no answer within 30 s'));

    const outcomes = await pollFeeds([BBC, BROKEN], ports, { ...options, dryRun: true });
    expect(outcomes[0]?.alerts.map((alert) => alert.title)).toEqual([KREBS_FIRED.title]);
    expect(outcomes[1]).toMatchObject({ status: 'error', errorCode: 'timeout' });
    expect(sink.calls).toHaveLength(0);
    expect((store as CountingStateStore).writes).toBe(0);
    expect(await store.listFeeds()).toEqual([]);

    // The real poll afterwards still alerts: the dry run took nothing away.
    const real = await pollFeed(BBC, ports, options);
    expect(real.alerts.map((alert) => alert.title)).toEqual([KREBS_FIRED.title]);
  });

  it('does not list items that were already alerted', async () => {
    const { source, ports, options, clock } = setup();
    source.serve(BBC.url, { body: rss([KREBS_FIRED]) });
    await pollFeed(BBC, ports, options);
    clock.time += HOUR;
    const fresh = {
      ...KREBS_FIRED,
      guid: 'bbc-3',
      link: 'https://www.bbc.test/news/3',
      title: 'Krebs joins Stanford Internet Observatory with Alex Stamos',
      description: 'The former CISA director will research disinformation.',
    };
    source.serve(BBC.url, { body: rss([KREBS_FIRED, fresh]) });
    const preview = await pollFeed(BBC, ports, { ...options, dryRun: true });
    expect(preview.alerts.map((alert) => alert.title)).toEqual([fresh.title]);
  });
});

describe('pollFeeds', () => {
  it('keeps polling the other feeds when one fails, and reports every feed in order', async () => {
    const { source, sink, ports, options, store } = setup();
    source.serve(BBC.url, { body: rss([KREBS_FIRED]) });
    source.serve(BROKEN.url, new FeedError('network', 'connection reset'));
    source.serve(NPR.url, {
      body: rss([
        { guid: 'npr-1', title: 'Chris Krebs and Alex Stamos launch a CISA-style consultancy', published: NOW - HOUR },
      ]),
    });

    const progress: [string, number, number][] = [];
    const outcomes = await pollFeeds([BBC, BROKEN, NPR], ports, {
      ...options,
      onProgress: (outcome, done, total) => progress.push([outcome.url, done, total]),
    });
    expect(outcomes.map((outcome) => [outcome.name, outcome.status])).toEqual([
      ['BBC US', 'ok'],
      ['Broken', 'error'],
      ['NPR Politics', 'ok'],
    ]);
    expect(sink.published.map((alert) => alert.feed).sort()).toEqual(['BBC US', 'NPR Politics']);
    expect(await store.getFeed(BROKEN.url)).toMatchObject({
      consecutiveFailures: 1,
      lastError: 'network: connection reset',
    });
    expect(progress.map(([url]) => url).sort()).toEqual([BBC.url, BROKEN.url, NPR.url].sort());
    expect(progress.map(([, done, total]) => `${done}/${total}`)).toEqual(['1/3', '2/3', '3/3']);
  });

  it('turns an unexpected error in one feed into that feed’s error and goes on', async () => {
    const { source, ports, options } = setup();
    source.serve(BBC.url, new TypeError('cannot read properties of undefined'));
    source.serve(NPR.url, { body: rss([KREBS_FIRED]) });
    const outcomes = await pollFeeds([BBC, NPR], ports, options);
    expect(outcomes[0]).toMatchObject({ status: 'error', error: 'cannot read properties of undefined' });
    expect(outcomes[0]?.errorCode).toBeUndefined();
    expect(outcomes[1]?.alerts).toHaveLength(1);
  });

  it('publishes nothing while the store cannot save its claims, and every feed says its poll was not saved', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-unsaved-'));
    try {
      const stateFile = path.join(dir, 'not-yet', 'state.json');
      const { source, sink, ports, options } = setup(new FileStateStore(stateFile));
      source.serve(BBC.url, { body: rss([KREBS_FIRED]) });
      source.serve(NPR.url, { body: rss([UNRELATED]) });
      const outcomes = await pollFeeds([BBC, NPR], ports, options);
      expect(sink.calls).toEqual([]);
      for (const outcome of outcomes) {
        expect(outcome).toMatchObject({ status: 'error', error: expect.stringMatching(/cannot save the state file/) });
      }

      // The next run, once the state can be saved, alerts the item that was never published.
      mkdirSync(path.dirname(stateFile));
      const rerun = await pollFeeds([BBC, NPR], { ...ports, state: new FileStateStore(stateFile) }, options);
      expect(rerun.map((outcome) => outcome.status)).toEqual(['ok', 'ok']);
      expect(sink.published.map((alert) => alert.title)).toEqual([KREBS_FIRED.title]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('polls at most `concurrency` feeds at a time', async () => {
    const { source, ports, options } = setup();
    const feeds = Array.from({ length: 12 }, (_, index) => ({ url: `https://f.test/${index}.rss`, name: `F${index}` }));
    for (const feed of feeds) source.serve(feed.url, { body: rss([]) });
    const outcomes: FeedOutcome[] = await pollFeeds(feeds, ports, { ...options, concurrency: 3 });
    expect(outcomes.every((outcome) => outcome.status === 'ok')).toBe(true);
    expect(source.maxInFlight).toBe(3);
  });
});

describe('isDue', () => {
  const feed: FeedConfig = { url: BBC.url, name: 'BBC', intervalMinutes: 30 };
  const base: FeedState = { url: BBC.url, consecutiveFailures: 0, lastAttemptAt: NOW };

  it('is due when never polled, and once its own interval has passed', () => {
    expect(isDue(feed, undefined, NOW)).toBe(true);
    expect(isDue(feed, base, NOW + 29 * 60_000)).toBe(false);
    expect(isDue(feed, base, NOW + 30 * 60_000)).toBe(true);
    expect(isDue({ url: BBC.url, name: 'BBC' }, base, NOW + 1)).toBe(true);
  });

  it('is not due while backing off after failures, nor for 6 hours after a 410', () => {
    const failing = { ...base, consecutiveFailures: 2, nextAttemptAt: NOW + HOUR };
    expect(isDue(feed, failing, NOW + HOUR - 1)).toBe(false);
    expect(isDue(feed, failing, NOW + HOUR)).toBe(true);
    const gone = { ...base, consecutiveFailures: 1, gone: true, lastAttemptAt: NOW };
    expect(isDue(feed, gone, NOW + 6 * HOUR - 1)).toBe(false);
    expect(isDue(feed, gone, NOW + 6 * HOUR)).toBe(true);
  });
});

describe('skipped feeds', () => {
  it('say why they were skipped and until when: backing off, inside their interval, or gone', async () => {
    const { source, ports, options, clock } = setup();
    source.serve(BBC.url, new FeedError('http-status', 'HTTP 503', { httpStatus: 503 }));
    await pollFeed(BBC, ports, options);
    clock.time += 5 * 60_000; // the first backoff
    await pollFeed(BBC, ports, options);
    expect(await pollFeed(BBC, ports, options)).toMatchObject({
      status: 'skipped',
      skip: { reason: 'backing-off', until: clock.time + 10 * 60_000, failures: 2, lastError: 'http-status: HTTP 503' },
    });

    const quarterly: FeedConfig = { ...NPR, intervalMinutes: 15 };
    source.serve(NPR.url, { body: rss([UNRELATED]) });
    await pollFeed(quarterly, ports, options);
    clock.time += 60_000;
    expect(await pollFeed(quarterly, ports, options)).toMatchObject({
      status: 'skipped',
      skip: { reason: 'not-due', until: clock.time + 14 * 60_000, intervalMinutes: 15 },
    });

    source.serve(BROKEN.url, new FeedError('gone', 'HTTP 410', { httpStatus: 410 }));
    await pollFeed(BROKEN, ports, options);
    expect(await pollFeed(BROKEN, ports, options)).toMatchObject({
      status: 'skipped',
      skip: { reason: 'gone', lastError: 'gone: HTTP 410' },
    });
  });

  it('are fetched now with `force`, whatever their backoff, interval or 410; a recovered feed forgets its failures', async () => {
    const { source, sink, ports, options, store, clock } = setup();
    source.serve(BBC.url, new FeedError('network', 'could not resolve feeds.example.test'));
    source.serve(NPR.url, new FeedError('gone', 'HTTP 410', { httpStatus: 410 }));
    const hourly: FeedConfig = { url: 'https://feeds.example.test/hourly.rss', name: 'Hourly', intervalMinutes: 60 };
    source.serve(hourly.url, { body: rss([UNRELATED]) });
    await pollFeeds([BBC, NPR, hourly], ports, options);
    clock.time += 60_000;
    expect((await pollFeeds([BBC, NPR, hourly], ports, options)).map((outcome) => outcome.status)).toEqual([
      'skipped',
      'skipped',
      'skipped',
    ]);

    source.serve(BBC.url, { body: rss([KREBS_FIRED]) });
    source.serve(NPR.url, { body: rss([UNRELATED]) });
    const forced = await pollFeeds([BBC, NPR, hourly], ports, { ...options, force: true });
    expect(forced.map((outcome) => outcome.status)).toEqual(['ok', 'ok', 'ok']);
    expect(sink.published.map((alert) => alert.title)).toEqual([KREBS_FIRED.title]);
    expect(await store.getFeed(BBC.url)).toMatchObject({ consecutiveFailures: 0 });
    expect((await store.getFeed(NPR.url))?.gone).toBeUndefined();
    expect(isDue(NPR, await store.getFeed(NPR.url), clock.time)).toBe(true);
  });

  it('tell nothing when the feed is due', () => {
    expect(feedSkip(BBC, undefined, NOW)).toBeUndefined();
    expect(feedSkip(BBC, { url: BBC.url, consecutiveFailures: 1, nextAttemptAt: NOW }, NOW)).toBeUndefined();
  });
});
