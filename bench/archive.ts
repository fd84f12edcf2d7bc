// The archive of items read: its bytes per item, the state file it makes over 14 days, and what it adds to a poll.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { FileStateStore } from '../lambda/adapters/file-state-store';
import { loadWatchlist } from '../lambda/adapters/watchlist-file';
import {
  type ArchivedItem,
  archiveKey,
  DEFAULT_ARCHIVE_DAYS,
  DEFAULT_ARCHIVE_MEGABYTES,
  entryBytes,
  toJsonLines,
} from '../lambda/core/archive';
import { readDocument } from '../lambda/core/read-document';
import type { NormalizedItem } from '../lambda/core/types';
import { corpusFiles, corpusIsPresent, readCorpusFile } from '../test/support/corpus';
import { startFeedServerChild } from './support/feed-server-process';
import { benchFeedXml } from './support/news-corpus';
import { runPollCycleChild } from './support/poll-cycle-process';
import { benchFlags, fmt, heading, median, mib, ms, table } from './support/report';

const { quick } = benchFlags();
const FEEDS = quick ? 200 : 1_000;
const ITEMS_PER_FEED = 50;
/** New items a feed publishes a day, for the 14-day projection: a quiet feed, a busy one, a wire service. */
const NEW_ITEMS_PER_DAY = [20, 50, 150];
const now = Date.now();

async function itemsOf(documents: { xml: string; name: string }[]): Promise<NormalizedItem[]> {
  const items: NormalizedItem[] = [];
  for (const document of documents) {
    try {
      items.push(
        ...(await readDocument(new TextEncoder().encode(document.xml), 'application/xml', {
          name: document.name,
          url: `https://feeds.example.test/${document.name}`,
        })),
      );
    } catch {
      // The corpus holds broken feeds on purpose; they archive nothing.
    }
  }
  return items;
}

function entriesOf(items: NormalizedItem[]): ArchivedItem[] {
  return items.map((item) => ({
    key: archiveKey('https://feeds.example.test/feed.rss', item),
    feedUrl: 'https://feeds.example.test/feed.rss',
    feedName: 'Feed',
    readAt: now,
    item,
  }));
}

function sizes(label: string, entries: ArchivedItem[]): { label: string; perItem: number; gzipPerItem: number } {
  const bytes = entries.map(entryBytes);
  const gzipped = gzipSync(toJsonLines(entries)).byteLength;
  console.log(
    `${label}: ${fmt(entries.length)} items, ${fmt(median(bytes))} B median, ${fmt(Math.max(...bytes))} B largest`,
  );
  return {
    label,
    perItem: bytes.reduce((sum, value) => sum + value, 0) / entries.length,
    gzipPerItem: gzipped / entries.length,
  };
}

/** Time to load an archive of `count` entries like `sample` (what every later poll starts with). */
async function loadMs(sample: ArchivedItem[], count: number): Promise<{ ms: number; bytes: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-archive-bench-'));
  const file = path.join(dir, 'state.json');
  try {
    const limits = { archive: { maxAgeMs: 30 * 86_400_000, maxBytes: 1e12 } };
    const writer = new FileStateStore(file, limits);
    const entries = Array.from({ length: count }, (_, index) => {
      const base = sample[index % sample.length]!;
      return { ...base, key: `${base.key}-${index}`, readAt: now - (count - index) * 1_000 };
    });
    for (let at = 0; at < entries.length; at += 50) await writer.archiveItems(entries.slice(at, at + 50));
    await writer.drain();
    const times: number[] = [];
    for (let round = 0; round < 3; round++) {
      const start = performance.now();
      await new FileStateStore(file, limits).archivedItems(0);
      times.push(performance.now() - start);
    }
    return { ms: Math.min(...times), bytes: statSync(`${file}.archive.jsonl`).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function pollCost(): Promise<void> {
  const server = await startFeedServerChild({
    feeds: FEEDS,
    latencyMs: 100,
    itemsPerFeed: ITEMS_PER_FEED,
    now,
    mentionRate: 0.05,
    gzip: true,
  });
  try {
    const feedUrls = Array.from({ length: FEEDS }, (_, index) => server.feedUrl(index));
    const rows: string[][] = [];
    const firsts: Record<
      string,
      { cpuMs: number; wallMs: number; stateMs: number; bytes: number; items: number; alerts: number }
    > = {};
    // Off, on, off, on: a busy host only adds time, so each side keeps its best.
    for (const archive of [false, true, false, true]) {
      const result = await runPollCycleChild({ feedUrls, wireBytesUrl: server.wireBytesUrl, concurrency: 64, archive });
      const key = archive ? 'archive' : 'none';
      const { first } = result;
      const best = firsts[key];
      if (best === undefined || first.cpuMs < best.cpuMs) {
        firsts[key] = {
          cpuMs: first.cpuMs,
          wallMs: first.wallMs,
          stateMs: first.stateMs,
          bytes: first.stateFileBytes,
          items: first.items,
          alerts: first.alerts,
        };
      }
    }
    for (const [key, figures] of Object.entries(firsts)) {
      rows.push([
        key,
        fmt(figures.items),
        fmt(figures.alerts),
        ms(figures.wallMs),
        ms(figures.cpuMs),
        ms(figures.stateMs),
        mib(figures.bytes, 2),
      ]);
    }
    console.log(`\nfirst poll of ${fmt(FEEDS)} feeds x ${ITEMS_PER_FEED} items (every item new), best of two each`);
    table(['archive', 'items', 'alerts', 'wall', 'CPU', 'state calls', 'state file'], rows);
    const none = firsts.none!;
    const archived = firsts.archive!;
    console.log(
      `with the archive: alerts ${archived.alerts === none.alerts ? 'the same' : `DIFFER (${archived.alerts} vs ${none.alerts})`}; ` +
        `CPU x${fmt(archived.cpuMs / none.cpuMs, 2)}, wall x${fmt(archived.wallMs / none.wallMs, 2)}, ` +
        `state file x${fmt(archived.bytes / none.bytes, 1)} (+${fmt((archived.bytes - none.bytes) / archived.items)} B per item read)`,
    );
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  heading('archive of items read: bytes per item, the local state at 14 days, and the poll with the archive on');
  const generated = entriesOf(
    await itemsOf(
      Array.from({ length: 20 }, (_, index) => ({
        xml: benchFeedXml(index, { itemsPerFeed: ITEMS_PER_FEED, now, mentionRate: 0.05 }),
        name: `bench-${index}`,
      })),
    ),
  );
  const measured = [sizes('generated news items (bench feeds)', generated)];
  if (corpusIsPresent()) {
    const files = corpusFiles().filter((file) => file.startsWith('real-feeds'));
    const corpus = entriesOf(
      await itemsOf(files.map((file) => ({ xml: readCorpusFile(file).toString('utf8'), name: path.basename(file) }))),
    );
    measured.push(sizes(`real feeds of the corpus (${files.length} files; some carry whole articles)`, corpus));
  } else {
    console.log('real feeds: the external corpus is not beside the clone; generated items only');
  }
  table(
    ['items', 'JSON B per item (state file)', 'gzipped B per item (S3)'],
    measured.map((row) => [row.label, fmt(row.perItem), fmt(row.gzipPerItem)]),
  );

  const feeds = loadWatchlist().feeds.length;
  const cap = DEFAULT_ARCHIVE_MEGABYTES * 1024 * 1024;
  console.log(
    `\nthe default watchlist's ${feeds} feeds after ${DEFAULT_ARCHIVE_DAYS} days (cap ${DEFAULT_ARCHIVE_MEGABYTES} MB):`,
  );
  const rows: string[][] = [];
  for (const perDay of NEW_ITEMS_PER_DAY) {
    const items = feeds * perDay * DEFAULT_ARCHIVE_DAYS;
    rows.push([
      fmt(perDay),
      fmt(items),
      ...measured.map((row) => {
        const bytes = items * row.perItem;
        return bytes > cap ? `${mib(cap)} (cap; ${mib(bytes)} uncapped)` : mib(bytes);
      }),
    ]);
  }
  table(['new items a day per feed', 'items kept', ...measured.map((row) => `MiB, ${row.label.split(' (')[0]}`)], rows);

  const largest = feeds * NEW_ITEMS_PER_DAY[1]! * DEFAULT_ARCHIVE_DAYS;
  const loaded = await loadMs(generated, largest);
  console.log(
    `loading an archive of ${fmt(largest)} generated items (${mib(loaded.bytes)}): ${ms(loaded.ms)} ` +
      '(each poll loads it once, with the state file)',
  );
  await pollCost();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
