// Load: 1,000 feeds x 100 new items in one cycle, 5% of the feeds failing in ten different ways, polled through the
// real pipeline in a child process (its own memory, its own unhandled-rejection listener): every expected alert
// exactly once, the next cycle nothing, memory bounded.
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FeedErrorCode } from '../../lambda/ports';
import { type CannedResponse, FeedServer, type RecordedRequest } from '../support/feed-server';
import { runTsChild } from '../support/node-child';
import { countOf, newsFeed, RSS_HEADERS, repeated, T0, TEST_LIMITS } from './harness';
import type { PollJob, PollReport } from './poll-child';

const FEEDS = 1_000;
const ITEMS_PER_FEED = 100;
/** Every fifth item names a tracked official: 20,000 matching items, each a story of its own. */
const MATCH_EVERY = 5;
const MB = 1024 * 1024;

/** Feeds 7, 27, 47, ... fail (5%), cycling through these faults. */
const isFailing = (feed: number) => feed % 20 === 7;
const GZIP_BOMB = gzipSync(Buffer.alloc(32 * MB));
const FAULTS: { response: (feed: number) => CannedResponse; code: FeedErrorCode }[] = [
  { response: () => ({ status: 500 }), code: 'http-status' },
  { response: () => ({ status: 503 }), code: 'http-status' },
  { response: () => ({ status: 404 }), code: 'http-status' },
  { response: (feed) => ({ headers: RSS_HEADERS, body: body(feed), reset: { afterBytes: 2_000 } }), code: 'network' },
  { response: () => ({ headers: RSS_HEADERS, body: '<rss version="2.0"><channel><item a="1></item>' }), code: 'parse' },
  {
    response: () => ({ headers: { 'content-type': 'text/html' }, body: '<html><body>Moved</body></html>' }),
    code: 'parse',
  },
  { response: () => ({ headers: { ...RSS_HEADERS, 'content-encoding': 'gzip' }, body: GZIP_BOMB }), code: 'too-large' },
  { response: () => ({ headers: RSS_HEADERS, chunked: true, body: Buffer.alloc(2 * MB, 0x20) }), code: 'too-large' },
  { response: () => ({ hang: true }), code: 'timeout' },
  { response: (feed) => ({ status: 302, headers: { location: `/loop/${feed}` } }), code: 'too-many-redirects' },
];
const faultOf = (feed: number) => FAULTS[Math.floor(feed / 20) % FAULTS.length]!;

const body = (feed: number) => newsFeed(`load${feed}`, ITEMS_PER_FEED, MATCH_EVERY).body;

/** Feed bodies are generated per request, so the server holds none of the 40 MB of feeds at once. */
function route({ path }: RecordedRequest): CannedResponse {
  const [, kind, number] = path.split('/');
  const feed = Number(number);
  if (kind === 'loop') return { status: 302, headers: { location: `/feed/${feed}` } };
  if (isFailing(feed)) return faultOf(feed).response(feed);
  return { headers: RSS_HEADERS, body: body(feed) };
}

let server: FeedServer;
let report: PollReport;
let feedUrls: string[];

beforeAll(async () => {
  server = await FeedServer.start({ fallback: route });
  feedUrls = Array.from({ length: FEEDS }, (_, feed) => server.url(`/feed/${feed}`));
  const job: PollJob = {
    feeds: feedUrls.map((url, feed) => ({ url, name: `Load feed ${feed}` })),
    cycles: 2,
    now: T0,
    source: { ...TEST_LIMITS, timeoutMs: 15_000 },
    concurrency: 16,
  };
  const child = await runTsChild(path.join(__dirname, 'poll-child.ts'), {
    args: [JSON.stringify(job)],
    // A bound the cycle must live within; going over crashes the child and fails every test below.
    nodeArgs: ['--max-old-space-size=640'],
  });
  if (child.code !== 0) throw new Error(`poll child exited ${child.code ?? child.signal}: ${child.stderr}`);
  report = JSON.parse(child.stdout) as PollReport;
  const [first, second] = report.cycles;
  console.log(
    `load: ${FEEDS} feeds x ${ITEMS_PER_FEED} items, ${first?.alerted.length} alerts in ${first?.durationMs} ms ` +
      `(second cycle ${second?.durationMs} ms); peak heap ${Math.round(report.peakHeapBytes / MB)} MB, ` +
      `peak RSS ${Math.round(report.peakRssBytes / MB)} MB`,
  );
}, 180_000);

afterAll(async () => {
  await server.close();
});

const expectedLinks = () =>
  Array.from({ length: FEEDS }, (_, feed) => feed)
    .filter((feed) => !isFailing(feed))
    .flatMap((feed) => newsFeed(`load${feed}`, ITEMS_PER_FEED, MATCH_EVERY).alertLinks);

it('publishes every expected alert exactly once in the first cycle', () => {
  const alerted = report.cycles[0]?.alerted ?? [];
  const expected = expectedLinks();
  expect(expected).toHaveLength(950 * Math.ceil(ITEMS_PER_FEED / MATCH_EVERY));
  const counts = countOf(alerted);
  // Lists of differences, not the 32,300 links, so a failure stays readable.
  expect(expected.filter((link) => !counts.has(link)).slice(0, 10)).toEqual([]);
  const wanted = new Set(expected);
  expect(alerted.filter((link) => !wanted.has(link)).slice(0, 10)).toEqual([]);
  expect(repeated(alerted).slice(0, 10)).toEqual([]);
  expect(alerted).toHaveLength(expected.length);
});

it('isolates every failing feed with its own error; all the others succeed', () => {
  const outcomes = report.cycles[0]?.outcomes ?? [];
  expect(outcomes).toHaveLength(FEEDS);
  const wrong = outcomes.flatMap((outcome, feed) => {
    const expected = isFailing(feed)
      ? { status: 'error', errorCode: faultOf(feed).code }
      : { status: 'ok', errorCode: undefined, alerts: Math.ceil(ITEMS_PER_FEED / MATCH_EVERY) };
    const actual = { status: outcome.status, errorCode: outcome.errorCode, alerts: outcome.alerts };
    return Object.entries(expected).every(([key, value]) => actual[key as keyof typeof actual] === value)
      ? []
      : [{ feed, expected, actual, error: outcome.error }];
  });
  expect(wrong.slice(0, 5)).toEqual([]);
});

it('sends nothing in the next cycle: every item is known, the failing feeds are backing off', () => {
  const second = report.cycles[1];
  expect(second?.alerted).toEqual([]);
  const statuses = countOf((second?.outcomes ?? []).map((outcome) => outcome.status));
  expect(Object.fromEntries(statuses)).toEqual({ ok: 950, skipped: 50 });
});

it('raises no unhandled rejection and stays within its memory bound', () => {
  expect(report.unhandledRejections).toEqual([]);
  // The memory store holds every alerted item and its story (about 230 MB measured); the bound leaves room for a
  // noisy machine, not for holding every fetched document or item.
  expect(report.peakHeapBytes).toBeLessThan(448 * MB);
});
