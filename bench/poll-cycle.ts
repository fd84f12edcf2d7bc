// Poll cycle: N feeds x 50 items from a loopback server with 100 ms latency, through fetch, parse, match and file state.
import { availableParallelism } from 'node:os';
import { gzipSync } from 'node:zlib';
import Parser from 'rss-parser';
import { normalizeItem } from '../lambda/core/normalize';
import { parseFeed } from '../lambda/core/parse';
import { corpusFiles, corpusIsPresent, readCorpusFile } from '../test/support/corpus';
import { localhostCertificate } from '../test/support/tls-certificate';
import { type FeedServerConfig, startFeedServerChild } from './support/feed-server-process';
import { benchFeedXml } from './support/news-corpus';
import {
  type CycleFigures,
  type PollCycleConfig,
  type PollCycleResult,
  runPollCycleChild,
} from './support/poll-cycle-process';
import { benchFlags, fmt, heading, median, mib, ms, table, target } from './support/report';

const { quick } = benchFlags();
const ITEMS_PER_FEED = 50;
const LATENCY_MS = 100;
/** Feeds in flight at once in this benchmark (pollFeeds' `concurrency`). */
const CONCURRENCY = 64;
const SCALES = quick ? [100, 1_000] : [100, 1_000, 5_000];
const CONCURRENCY_SWEEP = quick ? [] : [16];
const MAIN_SCALE = 1_000;
const now = Date.now();

/** How a measured cycle differs from the main one: gzipped feeds over HTTP, parsed as the local command does. */
interface Variant {
  gzip?: boolean;
  reader?: PollCycleConfig['reader'];
  transport?: 'http' | 'https';
}

async function measure(
  feeds: number,
  concurrency: number,
  { gzip = true, reader = 'as-the-cli-does', transport = 'http' }: Variant = {},
): Promise<PollCycleResult & { serverCpuMs: number }> {
  const certificate = transport === 'https' ? await localhostCertificate() : undefined;
  const config: FeedServerConfig = {
    feeds,
    latencyMs: LATENCY_MS,
    itemsPerFeed: ITEMS_PER_FEED,
    now,
    mentionRate: 0.05,
    gzip,
    ...(certificate && { tls: certificate }),
  };
  const server = await startFeedServerChild(config);
  let result: PollCycleResult;
  try {
    result = await runPollCycleChild({
      feedUrls: Array.from({ length: feeds }, (_, index) => server.feedUrl(index)),
      wireBytesUrl: server.wireBytesUrl,
      concurrency,
      reader,
      ...(certificate && { ca: certificate.cert }),
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { ...result, serverCpuMs: await server.stop() };
}

function statusText(figures: CycleFigures): string {
  return Object.entries(figures.statuses)
    .map(([status, count]) => `${fmt(count)} ${status}`)
    .join(', ');
}

/**
 * Per-document parse cost on the same documents, split into rss-parser itself, our parseFeed, and normalizeItem: the
 * best of five interleaved rounds, as a busy host only ever adds time (a median of three let rss-parser alone come
 * out slower than parseFeed, which runs it).
 */
async function parseBreakdown(documents: number): Promise<{ rssParser: number; parseFeed: number; normalize: number }> {
  const config = { itemsPerFeed: ITEMS_PER_FEED, now, mentionRate: 0.05 };
  const xml = Array.from({ length: documents }, (_, index) => benchFeedXml(index, config));
  const bytes = xml.map((text) => Buffer.from(text));
  const feed = { name: 'Bench feed', url: 'https://news.example.test/feed.xml' };
  const rounds = { rssParser: [] as number[], parseFeed: [] as number[], normalize: [] as number[] };
  for (let round = 0; round < 5; round++) {
    let start = performance.now();
    for (const text of xml) await new Parser().parseString(text);
    rounds.rssParser.push((performance.now() - start) / documents);
    start = performance.now();
    const parsed = [];
    for (const body of bytes) parsed.push(await parseFeed(body, 'application/rss+xml; charset=utf-8'));
    rounds.parseFeed.push((performance.now() - start) / documents);
    start = performance.now();
    for (const document of parsed) for (const raw of document.items) normalizeItem(raw, feed);
    rounds.normalize.push((performance.now() - start) / documents);
  }
  return {
    rssParser: Math.min(...rounds.rssParser),
    parseFeed: Math.min(...rounds.parseFeed),
    normalize: Math.min(...rounds.normalize),
  };
}

async function main(): Promise<void> {
  heading(
    `poll cycle: ${ITEMS_PER_FEED} items per feed, gzipped RSS from a child-process server on 127.0.0.1 adding ` +
      `${LATENCY_MS} ms per response; HttpFeedSource (connections reused), parseFeed + normalize on worker threads ` +
      `as the local command does for 50+ feeds, match (default watchlist), ` +
      `FileStateStore; pollFeeds concurrency ${CONCURRENCY}`,
  );
  const results = new Map<number, Awaited<ReturnType<typeof measure>>>();
  for (const feeds of SCALES) results.set(feeds, await measure(feeds, CONCURRENCY));

  table(
    [
      'feeds',
      'cycle 1',
      'CPU',
      'loop busy',
      'peak RSS',
      'items',
      'alerts',
      'wire bytes',
      'cycle 2 (304s)',
      'wire bytes 2',
    ],
    SCALES.map((feeds) => {
      const { first, second, peakRssBytes } = results.get(feeds)!;
      return [
        fmt(feeds),
        ms(first.wallMs),
        ms(first.cpuMs),
        `${fmt(first.loopBusy * 100)}%`,
        mib(peakRssBytes, 0),
        fmt(first.items),
        fmt(first.alerts),
        mib(first.wireBytes, 2),
        ms(second.wallMs),
        mib(second.wireBytes, 3),
      ];
    }),
  );

  console.log(
    '\nwhere the time goes (summed over feeds; fetch and state waits overlap; parse+normalize runs on the worker ' +
      'thread, and read wait is what feeds waited for it, queue included; match and state run on the event loop)',
  );
  table(
    [
      'feeds',
      'wall',
      'fetch wait',
      'per fetch',
      'parse+normalize',
      'read wait',
      'match',
      'state calls',
      'state wait',
      'state file',
    ],
    SCALES.map((feeds) => {
      const { first } = results.get(feeds)!;
      return [
        fmt(feeds),
        ms(first.wallMs),
        ms(first.fetchMs),
        ms(first.fetchMs / feeds, 1),
        ms(first.parseMs),
        ms(first.readWaitMs),
        ms(first.matchMs),
        fmt(first.stateCalls),
        ms(first.stateMs),
        mib(first.stateFileBytes, 1),
      ];
    }),
  );

  const parse = await parseBreakdown(quick ? 50 : 200);
  const perDocument = parse.parseFeed + parse.normalize;
  console.log(
    `\nparse cost per ${ITEMS_PER_FEED}-item document, alone on the loop: rss-parser ${ms(parse.rssParser, 2)}, ` +
      `parseFeed (charset + rss-parser + mapping) ${ms(parse.parseFeed, 2)}, normalizeItem x${ITEMS_PER_FEED} ` +
      `${ms(parse.normalize, 2)}: rss-parser is ${fmt((parse.rssParser / perDocument) * 100)}% of parse+normalize; ` +
      `${fmt(MAIN_SCALE)} documents = ${ms(perDocument * MAIN_SCALE)}`,
  );

  // The same cycle with every document parsed on the event loop, as the Lambda does: what the worker threads gain.
  const inline = await measure(MAIN_SCALE, CONCURRENCY, { reader: 'inline' });
  const workers = results.get(MAIN_SCALE)!;
  console.log(
    `\nparsing on worker threads (${availableParallelism()} cores here) against on the event loop, ${fmt(MAIN_SCALE)} ` +
      `feeds, same run: cycle ${ms(workers.first.wallMs)} vs ${ms(inline.first.wallMs)} ` +
      `(${fmt(inline.first.wallMs / workers.first.wallMs, 2)}x faster); loop busy ${fmt(workers.first.loopBusy * 100)}% ` +
      `vs ${fmt(inline.first.loopBusy * 100)}%; process CPU ${ms(workers.first.cpuMs)} vs ${ms(inline.first.cpuMs)}; ` +
      `peak RSS ${mib(workers.peakRssBytes, 0)} vs ${mib(inline.peakRssBytes, 0)}`,
  );

  // This machine's CPU bounds the cycle from below: the poller (both threads) and the feed server share its cores.
  const cores = availableParallelism();
  const bothCycles = workers.first.cpuMs + workers.second.cpuMs + workers.serverCpuMs;
  console.log(
    `CPU floor on ${cores} cores, both cycles: poller ${ms(workers.first.cpuMs + workers.second.cpuMs)} + feed server ` +
      `${ms(workers.serverCpuMs)} = ${ms(bothCycles)}, so at best ${ms(bothCycles / cores)} of wall ` +
      `(they took ${ms(workers.first.wallMs + workers.second.wallMs)})`,
  );

  if (CONCURRENCY_SWEEP.length > 0) {
    console.log(`\nconcurrency at ${fmt(MAIN_SCALE)} feeds (first cycle)`);
    const sweep = [...CONCURRENCY_SWEEP.map((concurrency) => concurrency), CONCURRENCY].sort((a, b) => a - b);
    const rows: string[][] = [];
    for (const concurrency of sweep) {
      const result = concurrency === CONCURRENCY ? results.get(MAIN_SCALE)! : await measure(MAIN_SCALE, concurrency);
      rows.push([
        fmt(concurrency),
        ms(result.first.wallMs),
        ms((MAIN_SCALE / concurrency) * LATENCY_MS),
        mib(result.peakRssBytes, 0),
      ]);
    }
    table(['concurrency', 'cycle 1', 'latency floor', 'peak RSS'], rows);
  }

  const main = results.get(MAIN_SCALE)!;
  const okFeeds = main.first.statuses.ok ?? 0;
  target(
    `one cycle of ${fmt(MAIN_SCALE)} feeds x ${ITEMS_PER_FEED} items < 3 s`,
    main.first.wallMs < 3_000 && okFeeds === MAIN_SCALE,
    `${ms(main.first.wallMs)} (${statusText(main.first)})`,
  );
  target(
    `peak RSS < 300 MB at ${fmt(MAIN_SCALE)} feeds`,
    main.peakRssBytes < 300 * 1e6,
    `${fmt(main.peakRssBytes / 1e6)} MB`,
  );
  // The same feeds over HTTPS, as nearly every real feed host serves them: HTTP/2 by ALPN, one connection per host.
  const secure = await measure(MAIN_SCALE, CONCURRENCY, { transport: 'https' });
  console.log(`\nthe same ${fmt(MAIN_SCALE)} feeds over HTTPS (the server offers HTTP/2, as most feed hosts do)`);
  table(
    ['transport', 'cycle 1', 'CPU', 'peak RSS', 'wire bytes', 'cycle 2 (304s)', 'wire bytes 2', 'per 304', 'share'],
    (
      [
        ['HTTP/1.1, cleartext', main],
        ['HTTPS, HTTP/2', secure],
      ] as const
    ).map(([label, { first, second, peakRssBytes }]) => [
      label,
      ms(first.wallMs),
      ms(first.cpuMs),
      mib(peakRssBytes, 0),
      mib(first.wireBytes, 2),
      ms(second.wallMs),
      mib(second.wireBytes, 3),
      `${fmt(second.wireBytes / MAIN_SCALE)} B`,
      `${fmt((second.wireBytes / first.wireBytes) * 100, 2)}%`,
    ]),
  );
  const share = secure.second.wireBytes / secure.first.wireBytes;
  const cleartextShare = main.second.wireBytes / main.first.wireBytes;
  // The same documents served without gzip, in this run: a 304 costs the same, the first cycle four times more.
  const plain = await measure(100, CONCURRENCY, { gzip: false });
  const plainShare = plain.second.wireBytes / plain.first.wireBytes;
  target(
    'second, unchanged cycle moves < 5% of the first cycle’s bytes',
    share < 0.05 && (secure.second.statuses['not-modified'] ?? 0) === MAIN_SCALE,
    `${fmt(share * 100, 2)}% over HTTPS with HTTP/2 (${mib(secure.second.wireBytes, 3)} of ` +
      `${mib(secure.first.wireBytes, 2)}, TLS handshake included; ${statusText(secure.second)}); over cleartext ` +
      `HTTP/1.1 ${fmt(cleartextShare * 100, 2)}% (${statusText(main.second)}), and ${fmt(plainShare * 100, 2)}% with ` +
      `the same feeds uncompressed (100 feeds); a 304 exchange is ${fmt(secure.second.wireBytes / MAIN_SCALE)} bytes ` +
      `over HTTP/2, ${fmt(main.second.wireBytes / MAIN_SCALE)} over HTTP/1.1`,
  );
  const real = realFeedBytesPerItem();
  if (real) {
    const realDocument = real.gzipBytesPerItem * ITEMS_PER_FEED;
    console.log(
      `\nfor scale: the ${real.feeds} real feeds of 10+ items in ../shared/corpus/real-feeds take a median ` +
        `${fmt(real.gzipBytesPerItem)} gzipped bytes per item (these generated items: ` +
        `${fmt(main.first.wireBytes / MAIN_SCALE / ITEMS_PER_FEED)}); a ${ITEMS_PER_FEED}-item feed like them is ` +
        `${fmt(realDocument / 1024, 1)} KiB, and the same 304 exchange ` +
        `${fmt((secure.second.wireBytes / MAIN_SCALE / realDocument) * 100, 1)}% of it over HTTP/2, ` +
        `${fmt((main.second.wireBytes / MAIN_SCALE / realDocument) * 100, 1)}% over HTTP/1.1`,
    );
  }
}

/** Median gzipped bytes per item over the corpus's real feeds (those with 10 items or more), when it is there. */
function realFeedBytesPerItem(): { feeds: number; gzipBytesPerItem: number } | undefined {
  if (!corpusIsPresent()) return undefined;
  const perItem: number[] = [];
  for (const file of corpusFiles().filter((name) => name.startsWith('real-feeds/'))) {
    const bytes = readCorpusFile(file);
    const items = bytes.toString('latin1').match(/<(item|entry)[\s>]/g)?.length ?? 0;
    if (items >= 10) perItem.push(gzipSync(bytes).byteLength / items);
  }
  return perItem.length > 0 ? { feeds: perItem.length, gzipBytesPerItem: median(perItem) } : undefined;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
