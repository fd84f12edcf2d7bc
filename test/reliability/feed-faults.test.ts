// Feed faults through the real pipeline (HttpFeedSource on loopback, memory store): each bad feed fails alone with a
// clear error on its state and a growing backoff, while the healthy feeds alert in the same cycle; nothing is lost.
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { MemoryStateStore } from '../../lambda/adapters/memory-state-store';
import { DEFAULT_BACKOFF } from '../../lambda/core/backoff';
import type { FeedConfig } from '../../lambda/core/types';
import { type FeedOutcome, type PollPorts, pollFeeds } from '../../lambda/pipeline';
import type { FeedErrorCode } from '../../lambda/ports';
import { type CannedResponse, FeedServer } from '../support/feed-server';
import { pollPorts } from '../support/poll-ports';
import {
  CapturingSink,
  ManualClock,
  MINUTE,
  newsFeed,
  pollOptions,
  RSS_HEADERS,
  repeated,
  T0,
  TEST_LIMITS,
  testFeedSource,
} from './harness';

const CAP = TEST_LIMITS.maxBytes;
const HOUR = 60 * MINUTE;

interface Fault {
  /** Feed path on the loopback server; also the feed's name. */
  path: string;
  response: CannedResponse;
  code: FeedErrorCode;
  /** What the error (outcome, state lastError) must say after the feed's URL. */
  says: RegExp;
  /** Paths the fault makes the fetcher request (default: the feed path alone). */
  requests?: string[];
}

/** The first bytes of a feed, so a drip or a cut looks like a real feed that stopped. */
const FEED_START = newsFeed('partial', 20, 1).body;
const bomb = (layers: number) => {
  let body: Buffer = Buffer.alloc(32 * CAP); // 32 MiB of zeros: 32 KiB once gzipped
  for (let layer = 0; layer < layers; layer++) body = gzipSync(body);
  return body;
};

const FAULTS: Fault[] = [
  { path: '/http-500', response: { status: 500 }, code: 'http-status', says: /HTTP 500 Internal Server Error$/ },
  { path: '/http-502', response: { status: 502 }, code: 'http-status', says: /HTTP 502 Bad Gateway$/ },
  { path: '/http-503', response: { status: 503 }, code: 'http-status', says: /HTTP 503 Service Unavailable$/ },
  { path: '/http-404', response: { status: 404 }, code: 'http-status', says: /HTTP 404 Not Found$/ },
  {
    path: '/no-headers',
    response: { hang: true },
    code: 'timeout',
    says: new RegExp(`no data from the server for ${TEST_LIMITS.idleTimeoutMs} ms$`),
  },
  {
    path: '/slow-drip',
    response: { headers: RSS_HEADERS, chunked: true, body: FEED_START, drip: { intervalMs: 100, bytes: 8 } },
    code: 'timeout',
    says: new RegExp(`no complete response within ${TEST_LIMITS.timeoutMs} ms$`),
  },
  {
    path: '/reset-mid-body',
    response: { headers: RSS_HEADERS, body: FEED_START, reset: { afterBytes: 600 } },
    code: 'network',
    says: /connection reset before the response was complete/,
  },
  {
    path: '/over-cap',
    response: { headers: RSS_HEADERS, body: Buffer.alloc(CAP + 1, 0x20) },
    code: 'too-large',
    says: new RegExp(`body of ${CAP + 1} bytes \\(Content-Length\\) is over the ${CAP}-byte cap$`),
  },
  {
    path: '/over-cap-chunked',
    response: { headers: RSS_HEADERS, chunked: true, body: Buffer.alloc(2 * CAP, 0x20) },
    code: 'too-large',
    says: new RegExp(`body is over the ${CAP}-byte cap$`),
  },
  {
    path: '/gzip-bomb',
    response: { headers: { ...RSS_HEADERS, 'content-encoding': 'gzip' }, body: bomb(1) },
    code: 'too-large',
    says: new RegExp(`gzip body decompresses to over the ${CAP}-byte cap$`),
  },
  {
    path: '/gzip-bomb-nested',
    response: { headers: { ...RSS_HEADERS, 'content-encoding': 'gzip, gzip' }, body: bomb(2) },
    code: 'too-large',
    says: new RegExp(`gzip body decompresses to over the ${CAP}-byte cap$`),
  },
  {
    path: '/loop-a',
    response: { status: 302, headers: { location: '/loop-b' } },
    code: 'too-many-redirects',
    says: /redirect loop: .*\/loop-b sends back to .*\/loop-a$/,
    requests: ['/loop-a', '/loop-b'],
  },
  {
    path: '/to-file',
    response: { status: 301, headers: { location: 'file:///etc/passwd' } },
    code: 'bad-url',
    says: /HTTP 301 redirect to file:\/\/\/etc\/passwd: only http and https URLs can be fetched$/,
  },
  {
    path: '/to-gopher',
    response: { status: 307, headers: { location: 'gopher://127.0.0.1:70/1' } },
    code: 'bad-url',
    says: /HTTP 307 redirect to gopher:\/\/127\.0\.0\.1:70\/1: only http and https URLs can be fetched$/,
  },
  {
    path: '/invalid-xml',
    response: {
      headers: RSS_HEADERS,
      body: '<?xml version="1.0"?><rss version="2.0"><channel><item><title a="1>Christopher Krebs</title></item></channel></rss>',
    },
    code: 'parse',
    says: /^parse: invalid XML: /,
  },
  {
    path: '/html-page',
    response: {
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: '<!DOCTYPE html><html><head><title>Christopher Krebs - search</title></head><body><p>Sign in</p></body></html>',
    },
    code: 'parse',
    says: /^parse: got an HTML page, not an RSS or Atom feed$/,
  },
  {
    path: '/empty-body',
    response: { headers: RSS_HEADERS, body: '' },
    code: 'parse',
    says: /^parse: empty response body: not a feed$/,
  },
];

/** 503 with Retry-After: waits as long as the server asks, beyond the first backoff step. */
const RATE_LIMITED: Fault = {
  path: '/http-503-retry-after',
  response: { status: 503, headers: { 'retry-after': '3600' } },
  code: 'rate-limited',
  says: /HTTP 503 Service Unavailable; retry after 3600 s$/,
};
const GONE: Fault = {
  path: '/http-410',
  response: { status: 410 },
  code: 'gone',
  says: /HTTP 410 Gone: the feed was removed/,
};
const ALL_FAULTS = [...FAULTS, RATE_LIMITED, GONE];

const HEALTHY = [newsFeed('healthy1', 6, 2), newsFeed('healthy2', 4, 1)];
const ZERO_ITEMS =
  '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Quiet</title><link>https://quiet.example.com/</link></channel></rss>';
/** A Krebs item with non-ASCII text, dated a minute before T0; the tokens keep it a story of its own. */
const charsetItem = (n: number, title: string, declaration: string) =>
  `<?xml version="1.0"${declaration}?><rss version="2.0"><channel><title>Charset ${n}</title><item><title>${title} charset${n}a charset${n}b charset${n}c charset${n}d charset${n}e charset${n}f</title><link>https://news.example.com/charset/${n}</link><guid>urn:test:charset:${n}</guid><pubDate>${new Date(T0 - MINUTE).toUTCString()}</pubDate></item></channel></rss>`;
const MISLABELLED_TITLE = 'Christopher Krebs: “secure” café';
/** Windows-1252 bytes under a header that says UTF-8; the XML declaration tells the truth. */
const WRONG_CHARSET = iconv.encode(charsetItem(1, MISLABELLED_TITLE, ' encoding="windows-1252"'), 'windows-1252');
/** Header and declaration both say UTF-8 but the bytes are Windows-1252: the text is damaged, the alert is not lost. */
const LYING_CHARSET = iconv.encode(charsetItem(2, 'Christopher Krebs: “naïve” résumé', ''), 'windows-1252');
const charsetLinks = ['https://news.example.com/charset/1', 'https://news.example.com/charset/2'];

/** What each fault feed serves once it is fixed: its own matching items, which must then alert once. */
const healed = (fault: Fault) => newsFeed(`healed${ALL_FAULTS.indexOf(fault)}`, 4, 2);

let server: FeedServer;
const clock = new ManualClock();
const store = new MemoryStateStore();
const sink = new CapturingSink();
let ports: PollPorts;
let feeds: FeedConfig[];

const feedOf = (path: string): FeedConfig => ({ url: server.url(path), name: path.slice(1) });
const cycle = () => pollFeeds(feeds, ports, { ...pollOptions(), concurrency: feeds.length });
const byUrl = (outcomes: FeedOutcome[]) => new Map(outcomes.map((outcome) => [outcome.url, outcome]));

beforeAll(async () => {
  server = await FeedServer.start({
    routes: {
      ...Object.fromEntries(ALL_FAULTS.map((fault) => [fault.path, fault.response])),
      '/loop-b': { status: 302, headers: { location: '/loop-a' } },
      '/healthy-1': { headers: RSS_HEADERS, body: HEALTHY[0]!.body },
      '/healthy-2': { headers: RSS_HEADERS, body: HEALTHY[1]!.body },
      '/zero-items': { headers: RSS_HEADERS, body: ZERO_ITEMS },
      '/wrong-charset': { headers: RSS_HEADERS, body: WRONG_CHARSET },
      '/lying-charset': { headers: RSS_HEADERS, body: LYING_CHARSET },
    },
  });
  ports = pollPorts({ source: testFeedSource(), state: store, sink, clock });
  // Healthy feeds between the faulty ones, so a fault that leaked into its neighbours would show.
  feeds = [
    feedOf('/healthy-1'),
    ...ALL_FAULTS.map((fault) => feedOf(fault.path)),
    feedOf('/healthy-2'),
    feedOf('/zero-items'),
    feedOf('/wrong-charset'),
    feedOf('/lying-charset'),
  ];
}, 60_000);

afterAll(async () => {
  await server.close();
});

describe('cycle 1: every fault fails its own feed only', () => {
  let outcomes: Map<string, FeedOutcome>;

  beforeAll(async () => {
    outcomes = byUrl(await cycle());
  }, 60_000);

  it.each(ALL_FAULTS.map((fault) => [fault.path, fault] as const))(
    '%s is an error on that feed: a clear message on the outcome and the feed state, and a backoff',
    async (_path, fault) => {
      const url = server.url(fault.path);
      const outcome = outcomes.get(url);
      expect(outcome).toMatchObject({ status: 'error', errorCode: fault.code, alerts: [] });
      expect(outcome?.error?.startsWith(`${fault.code}: `)).toBe(true);
      expect(outcome?.error).toMatch(fault.says);
      // A fetch error names the URL (and any redirect); a parse error belongs to the feed whose outcome it is.
      if (fault.code !== 'parse') expect(outcome?.error?.startsWith(`${fault.code}: ${url}`)).toBe(true);

      const state = await store.getFeed(url);
      expect(state).toMatchObject({ lastError: outcome?.error, consecutiveFailures: 1, lastAttemptAt: T0 });
      const expectedDelay = fault === RATE_LIMITED ? HOUR : DEFAULT_BACKOFF.baseMs;
      if (fault === GONE) expect(state?.gone).toBe(true);
      else expect(state?.nextAttemptAt).toBe(T0 + expectedDelay);

      for (const path of fault.requests ?? [fault.path]) expect(server.requestsTo(path)).toHaveLength(1);
    },
  );

  it('the healthy feeds alert every matching item once in the same cycle', () => {
    const expected = HEALTHY.flatMap((feed) => feed.alertLinks);
    expect(new Set(sink.links())).toEqual(new Set([...expected, ...charsetLinks]));
    expect(repeated(sink.links())).toEqual([]);
    for (const path of ['/healthy-1', '/healthy-2']) {
      expect(outcomes.get(server.url(path))).toMatchObject({ status: 'ok', failedAlerts: 0 });
    }
  });

  it('a 200 with a feed of no items is a success, not an error', async () => {
    const url = server.url('/zero-items');
    expect(outcomes.get(url)).toMatchObject({ status: 'ok', items: 0, alerts: [] });
    const state = await store.getFeed(url);
    expect(state).toMatchObject({ consecutiveFailures: 0, lastSuccessAt: T0 });
    expect(state?.lastError).toBeUndefined();
    expect(state?.nextAttemptAt).toBeUndefined();
  });

  it('a wrong charset in the header does not lose the alert; the XML declaration decodes the title', () => {
    const mislabelled = sink.published.find((alert) => alert.link === 'https://news.example.com/charset/1');
    expect(mislabelled?.title.startsWith(`${MISLABELLED_TITLE} charset1a`)).toBe(true);
    expect(mislabelled?.entities).toEqual(['krebs']);
    const lying = sink.published.find((alert) => alert.link === 'https://news.example.com/charset/2');
    expect(lying?.entities).toEqual(['krebs']);
    expect(lying?.title.startsWith('Christopher Krebs: ')).toBe(true);
    expect(lying?.title).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});

describe('cycle 2, a minute later: failed feeds back off', () => {
  let outcomes: Map<string, FeedOutcome>;
  let requestsBefore: number;

  beforeAll(async () => {
    clock.time = T0 + MINUTE;
    requestsBefore = server.requests.length;
    outcomes = byUrl(await cycle());
  }, 60_000);

  it('skips every failed feed without a request, and the healthy feeds alert nothing twice', () => {
    for (const fault of ALL_FAULTS) expect(outcomes.get(server.url(fault.path))?.status).toBe('skipped');
    const paths = server.requests.slice(requestsBefore).map((request) => request.path);
    expect(new Set(paths)).toEqual(
      new Set(['/healthy-1', '/healthy-2', '/zero-items', '/wrong-charset', '/lying-charset']),
    );
    expect(repeated(sink.links())).toEqual([]);
  });
});

describe('cycle 3, after the first backoff: failed feeds are retried and back off longer', () => {
  let outcomes: Map<string, FeedOutcome>;
  const now = T0 + DEFAULT_BACKOFF.baseMs + MINUTE;

  beforeAll(async () => {
    clock.time = now;
    outcomes = byUrl(await cycle());
  }, 60_000);

  it.each(FAULTS.map((fault) => [fault.path, fault] as const))(
    '%s fails again: two failures in a row, the next try twice as far off',
    async (_path, fault) => {
      const url = server.url(fault.path);
      expect(outcomes.get(url)).toMatchObject({ status: 'error', errorCode: fault.code });
      const state = await store.getFeed(url);
      expect(state).toMatchObject({ consecutiveFailures: 2, lastAttemptAt: now });
      expect(state?.nextAttemptAt).toBe(now + 2 * DEFAULT_BACKOFF.baseMs);
      for (const path of fault.requests ?? [fault.path]) expect(server.requestsTo(path)).toHaveLength(2);
    },
  );

  it('a feed that asked to wait an hour (Retry-After) and a gone feed are not asked again', () => {
    for (const fault of [RATE_LIMITED, GONE]) {
      expect(outcomes.get(server.url(fault.path))?.status).toBe('skipped');
      expect(server.requestsTo(fault.path)).toHaveLength(1);
    }
  });
});

describe('cycle 4, once the feeds are fixed: nothing held back is lost', () => {
  let outcomes: Map<string, FeedOutcome>;
  const alreadySent = () => sink.published.length;
  let sentBefore: number;

  beforeAll(async () => {
    for (const fault of ALL_FAULTS) server.route(fault.path, { headers: RSS_HEADERS, body: healed(fault).body });
    clock.time = T0 + 2 * HOUR;
    sentBefore = alreadySent();
    outcomes = byUrl(await cycle());
  }, 60_000);

  it('every recovered feed alerts its matching items once and its state is clean again', async () => {
    const recovered = [...FAULTS, RATE_LIMITED];
    for (const fault of recovered) {
      const url = server.url(fault.path);
      expect(outcomes.get(url)).toMatchObject({ status: 'ok', failedAlerts: 0 });
      const state = await store.getFeed(url);
      expect(state).toMatchObject({ consecutiveFailures: 0, lastSuccessAt: T0 + 2 * HOUR });
      expect(state?.lastError).toBeUndefined();
      expect(state?.nextAttemptAt).toBeUndefined();
    }
    const newLinks = sink.links().slice(sentBefore);
    expect(new Set(newLinks)).toEqual(new Set(recovered.flatMap((fault) => healed(fault).alertLinks)));
    expect(repeated(sink.links())).toEqual([]);
  });

  it('a 410 feed is not asked again for 6 hours, and its state says why; then it is tried, and alerts once back', async () => {
    const url = server.url(GONE.path);
    expect(outcomes.get(url)?.status).toBe('skipped');
    expect(server.requestsTo(GONE.path)).toHaveLength(1);
    const state = await store.getFeed(url);
    expect(state).toMatchObject({ gone: true, consecutiveFailures: 1 });
    expect(state?.lastError).toMatch(/^gone: .*HTTP 410 Gone: the feed was removed/);
    // A feed gone during a move comes back: its news alerts then.
    const sent = alreadySent();
    clock.time = state!.lastAttemptAt! + 6 * HOUR;
    const later = byUrl(await cycle());
    expect(later.get(url)).toMatchObject({ status: 'ok', failedAlerts: 0 });
    expect(server.requestsTo(GONE.path)).toHaveLength(2);
    expect(await store.getFeed(url)).not.toHaveProperty('gone');
    expect(new Set(sink.links().slice(sent))).toEqual(new Set(healed(GONE).alertLinks));
  }, 60_000);
});
