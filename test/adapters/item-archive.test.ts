// The local archive of items read (memory and file stores): each item once as first read, bounded by age and by bytes
// with the oldest reads dropped first, journaled so it survives a restart, and never touched by a dry run.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileStateStore } from '../../lambda/adapters/file-state-store';
import { MemoryStateStore } from '../../lambda/adapters/memory-state-store';
import { type ArchivedItem, entryBytes } from '../../lambda/core/archive';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);

function entry(key: string, readAt: number, summary = ''): ArchivedItem {
  return {
    key,
    feedUrl: 'https://feeds.example.test/a.rss',
    feedName: 'A',
    readAt,
    item: { title: `Item ${key}`, summary, content: '', link: `https://news.example.test/${key}` },
  };
}
const keysOf = (entries: ArchivedItem[]) => entries.map((archived) => archived.key);

test('keeps each item once, as first read', async () => {
  const store = new MemoryStateStore();
  await store.archiveItems([entry('a', T0), entry('b', T0)]);
  await store.archiveItems([entry('a', T0 + 60_000, 'changed'), entry('c', T0 + 60_000)]);
  const kept = await store.archivedItems(0);
  expect(keysOf(kept)).toEqual(['a', 'b', 'c']);
  expect(kept[0]).toEqual(entry('a', T0));
});

test('forgets what was read more than archiveDays ago, counted from the latest read', async () => {
  const store = new MemoryStateStore({ archive: { maxAgeMs: 14 * DAY, maxBytes: 1e9 } });
  await store.archiveItems([entry('old', T0)]);
  await store.archiveItems([entry('recent', T0 + 10 * DAY)]);
  expect(keysOf(await store.archivedItems(0))).toEqual(['old', 'recent']);
  await store.archiveItems([entry('new', T0 + 14 * DAY + 1)]);
  expect(keysOf(await store.archivedItems(0))).toEqual(['recent', 'new']);
});

test('past its byte bound it drops the oldest reads first, and the newest always stay', async () => {
  const padding = 'x'.repeat(1_000);
  const size = entryBytes(entry('k0', T0, padding));
  const store = new MemoryStateStore({ archive: { maxAgeMs: 30 * DAY, maxBytes: 3 * size + 10 } });
  for (let read = 0; read < 5; read++) await store.archiveItems([entry(`k${read}`, T0 + read * 60_000, padding)]);
  expect(keysOf(await store.archivedItems(0))).toEqual(['k2', 'k3', 'k4']);
});

test('archivedItems(since) leaves out what was read before', async () => {
  const store = new MemoryStateStore();
  await store.archiveItems([entry('a', T0)]);
  await store.archiveItems([entry('b', T0 + DAY)]);
  expect(keysOf(await store.archivedItems(T0 + 1))).toEqual(['b']);
});

describe('in the state file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-archive-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('survives a restart, in a file of its own beside the state, with its bound', async () => {
    const file = path.join(dir, 'state.json');
    const limits = { archive: { maxAgeMs: 14 * DAY, maxBytes: 1e9 } };
    const first = new FileStateStore(file, limits);
    await first.putFeed({ url: 'https://feeds.example.test/a.rss', consecutiveFailures: 0 });
    await first.archiveItems([entry('a', T0), entry('b', T0)]);
    await Promise.all([first.flush(), first.drain()]);
    // The state file, which every alert waits on, carries none of it.
    expect(readFileSync(file, 'utf8')).not.toContain('Item a');
    expect(readFileSync(`${file}.archive.jsonl`, 'utf8').split('\n')).toHaveLength(3);
    const second = new FileStateStore(file, limits);
    expect(keysOf(await second.archivedItems(0))).toEqual(['a', 'b']);
    await second.archiveItems([entry('a', T0 + DAY), entry('c', T0 + 15 * DAY)]);
    await second.drain();
    const third = new FileStateStore(file, limits);
    expect(keysOf(await third.archivedItems(0))).toEqual(['c']);
    expect((await third.archivedItems(0))[0]).toEqual(entry('c', T0 + 15 * DAY));
  });

  test('a line cut off by a crash costs that entry alone; the file is compacted once dropped entries outweigh it', async () => {
    const file = path.join(dir, 'state.json');
    const padding = 'x'.repeat(100_000);
    const limits = { archive: { maxAgeMs: 14 * DAY, maxBytes: 3 * entryBytes(entry('k00', T0, padding)) } };
    const store = new FileStateStore(file, limits);
    for (let read = 10; read < 40; read++) await store.archiveItems([entry(`k${read}`, T0 + read, padding)]);
    await store.drain();
    // 30 entries of 100 kB were written; past 1 MB and twice what is kept, the file was rewritten with the kept ones.
    expect(statSync(`${file}.archive.jsonl`).size).toBeLessThan(1_100_000);
    appendFileSync(`${file}.archive.jsonl`, '{"key":"cut-off","feedUrl":"https://fe');
    expect(keysOf(await new FileStateStore(file, limits).archivedItems(0)).slice(-3)).toEqual(['k37', 'k38', 'k39']);
  });
});
