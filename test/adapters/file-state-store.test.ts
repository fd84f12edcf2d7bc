// The file state store: state survives restarts, writes are atomic, a damaged file is an error and never reset.
import { spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileStateStore, StateFileError } from '../../lambda/adapters/file-state-store';
import type { ItemRecord } from '../../lambda/ports';
import { describeStateStoreContract } from '../support/state-store-contract';

const NOW = Date.UTC(2024, 0, 1);
const LEASE = 120_000;
const ROOT = path.resolve(__dirname, '../..');

function item(key: string, aliasKeys: string[] = []): ItemRecord {
  return {
    identity: { key, aliasKeys },
    feedUrl: 'https://feeds.example.test/a.rss',
    title: 'Trump fires CISA director Chris Krebs',
  };
}

// One process owns a state file at a time, so there is no second store over the same file to race with.
describeStateStoreContract('FileStateStore', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-contract-'));
  return {
    store: new FileStateStore(path.join(dir, 'state.json')),
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('FileStateStore', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-state-'));
    file = path.join(dir, 'state.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps learned topic profiles across restarts', async () => {
    const profile = {
      entityId: 'sterling',
      updatedAt: NOW,
      seen: ['x1'],
      about: { docs: 2, terms: { georgia: 2, recount: 1 } },
      other: { docs: 1, terms: { pound: 1 } },
    };
    const first = new FileStateStore(file);
    expect(await first.saveTopic(profile, undefined)).toBe(true);
    await first.flush();
    const second = new FileStateStore(file);
    expect(await second.loadTopics()).toEqual([profile]);
    const next = { ...profile, updatedAt: NOW + 1, about: { docs: 3, terms: { georgia: 3, recount: 1 } } };
    expect(await second.saveTopic(next, NOW)).toBe(true);
    await second.flush();
    expect(await new FileStateStore(file).loadTopics()).toEqual([next]);
  });

  async function storeWithHistory(): Promise<void> {
    const store = new FileStateStore(file);
    await store.putFeed({ url: 'https://a.test/feed', consecutiveFailures: 0, etag: '"v7"', firstPolledAt: NOW });
    const sent = item('guid:1', ['link:bbc.test/54982360']);
    await store.claimItem(sent, NOW, LEASE);
    await store.markSent(sent, NOW, 'alert-1');
    await store.recordSilently(item('guid:old'), NOW);
    await store.flush();
  }

  async function expectHistory(store: FileStateStore): Promise<void> {
    expect(await store.getFeed('https://a.test/feed')).toMatchObject({ etag: '"v7"', firstPolledAt: NOW });
    expect(await store.claimItem(item('guid:renamed', ['link:bbc.test/54982360']), NOW + 1, LEASE)).toBe('done');
    expect(await store.claimItem(item('guid:old'), NOW + 1, LEASE)).toBe('done');
  }

  it('starts empty without a file and remembers feeds, sent items and aliases across restarts', async () => {
    const fresh = new FileStateStore(file);
    expect(await fresh.listFeeds()).toEqual([]);
    await storeWithHistory();
    await expectHistory(new FileStateStore(file));
  });

  it('keeps the term table across restarts', async () => {
    const store = new FileStateStore(file);
    await store.addTermCounts({ docs: 2, df: { digenova: 1, trump: 2 } });
    await store.flush();
    expect(await new FileStateStore(file).loadTermCounts()).toEqual({ docs: 2, df: { digenova: 1, trump: 2 } });
  });

  it('saves every change made at once, and leaves no temporary files behind', async () => {
    const store = new FileStateStore(file);
    const items = Array.from({ length: 40 }, (_, index) => item(`guid:${index}`));
    await Promise.all(items.map((each) => store.claimItem(each, NOW, LEASE)));
    await Promise.all(items.map((each) => store.markSent(each, NOW, `alert-${each.identity.key}`)));
    await store.flush();

    const reloaded = new FileStateStore(file);
    for (const each of items) expect(await reloaded.claimItem(each, NOW + 1, LEASE)).toBe('done');
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('loads the last good state past a half-written and a corrupt temporary file left by a killed writer', async () => {
    await storeWithHistory();
    writeFileSync(`${file}.4242-deadbeef.tmp`, readFileSync(file, 'utf8').slice(0, 40));
    writeFileSync(`${file}.4343-cafef00d.tmp`, '\u0000\u0000{ not json');
    const store = new FileStateStore(file);
    await expectHistory(store);
    await store.putFeed({ url: 'https://b.test/feed', consecutiveFailures: 0 });
    await store.flush();
    expect((await new FileStateStore(file).listFeeds()).map((state) => state.url).sort()).toEqual([
      'https://a.test/feed',
      'https://b.test/feed',
    ]);
  });

  it('keeps the last saved state when the writing process is killed in the middle of a save', async () => {
    // A child process saves three feeds, then on the fourth save writes half of the file's bytes, says so and waits
    // to be killed: the kill lands mid-write every time.
    const script = `
      require('tsx/cjs');
      const fs = require('node:fs').promises;
      const { FileStateStore } = require(${JSON.stringify(path.join(ROOT, 'lambda/adapters/file-state-store.ts'))});
      const open = fs.open;
      let saves = 0;
      fs.open = async (...args) => {
        const handle = await open(...args);
        if (!String(args[0]).startsWith(${JSON.stringify(file)}) || ++saves < 4) return handle;
        handle.writeFile = async (data) => {
          await handle.write(data.slice(0, data.length / 2));
          await handle.sync();
          process.stdout.write('mid-write');
          await new Promise(() => {});
        };
        return handle;
      };
      const store = new FileStateStore(${JSON.stringify(file)});
      (async () => {
        for (let n = 1; n <= 4; n++) {
          await store.putFeed({ url: 'https://feeds.test/' + n, consecutiveFailures: 0, lastError: 'x'.repeat(5000) });
          await store.flush();
        }
      })();
    `;
    const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('mid-write')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`writer exited before the kill: ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('close', resolve));

    // The fourth change was being appended to the journal: the file ends in half a line.
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(false);
    const feeds = await new FileStateStore(file).listFeeds();
    expect(feeds.map((state) => state.url).sort()).toEqual([1, 2, 3].map((n) => `https://feeds.test/${n}`));
  });

  it('after a crash cut a change in half, saves the next change whole instead of gluing it to the half line', async () => {
    await storeWithHistory();
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"op":"putFeed","args":[{"url":"https://cut.test/fe`);
    const store = new FileStateStore(file);
    await store.putFeed({ url: 'https://b.test/feed', consecutiveFailures: 0 });
    await store.flush();
    const reloaded = new FileStateStore(file);
    await expectHistory(reloaded);
    expect((await reloaded.listFeeds()).map((state) => state.url).sort()).toEqual([
      'https://a.test/feed',
      'https://b.test/feed',
    ]);
  });

  it('reads a state file written as one pretty-printed document, and keeps it readable after a change', async () => {
    // The shape older versions wrote: the snapshot alone, indented over many lines.
    const sent = {
      status: 'sent',
      feedUrl: 'https://a.test/feed',
      title: 'Trump fires CISA director Chris Krebs',
      sentAt: NOW,
      alertId: 'alert-1',
    };
    const legacy = {
      version: 1,
      feeds: [{ url: 'https://a.test/feed', consecutiveFailures: 0, etag: '"v7"', firstPolledAt: NOW }],
      items: {
        'guid:1': { ...sent, aliasKeys: ['link:bbc.test/54982360'], expiresAt: NOW + 86_400_000 },
        'guid:old': {
          status: 'recorded',
          feedUrl: 'https://a.test/feed',
          title: 'Trump fires CISA director Chris Krebs',
          aliasKeys: [],
          expiresAt: NOW + 86_400_000,
        },
      },
      aliases: { 'link:bbc.test/54982360': 'guid:1' },
    };
    writeFileSync(file, `${JSON.stringify(legacy, null, 1)}\n`);
    await expectHistory(new FileStateStore(file));
    const store = new FileStateStore(file);
    await store.putFeed({ url: 'https://b.test/feed', consecutiveFailures: 0 });
    await store.flush();
    const reloaded = new FileStateStore(file);
    await expectHistory(reloaded);
    expect(await reloaded.getFeed('https://b.test/feed')).toBeDefined();
  });

  it("reads a file of the per-hour storm guard: its journal's SMS grants still count in the sliding window", async () => {
    // Written by the version that counted SMS per clock hour: smsHours in the snapshot, (hourStart, limit, now) entries.
    const hour = Date.UTC(2026, 0, 15, 14);
    const snapshot = {
      version: 1,
      feeds: [],
      items: {},
      aliases: {},
      stories: {
        bands: {},
        bandRefs: {},
        nextBandRef: 0,
        records: {},
        headlines: {},
        smsHours: { [hour]: { sent: 1, expiresAt: hour + 7_200_000 } },
      },
    };
    const grant = (minute: number) => `{"op":"takeSmsSlot","args":[${hour},2,${hour + minute * 60_000}]}\n`;
    writeFileSync(file, `${JSON.stringify(snapshot)}\n${grant(10)}${grant(20)}`);
    const store = new FileStateStore(file);
    expect(await store.takeSmsSlot(2, hour + 30 * 60_000)).toEqual({ granted: false });
    expect(await store.takeSmsSlot(2, hour + 70 * 60_000 + 1)).toEqual({
      granted: true,
      heldBefore: { count: 1, since: hour + 30 * 60_000 },
    });
  });

  it('starts afresh from an empty state file, as from none, and saves into it', async () => {
    writeFileSync(file, '');
    const store = new FileStateStore(file);
    expect(await store.listFeeds()).toEqual([]);
    await store.putFeed({ url: 'https://a.test/feed', consecutiveFailures: 0 });
    await store.flush();
    expect((await new FileStateStore(file).listFeeds()).map((feed) => feed.url)).toEqual(['https://a.test/feed']);
  });

  it('refuses a corrupt state file with an error naming it, and never overwrites it', async () => {
    writeFileSync(file, '{"version":1,"feeds":[{"url":"https://a.test/feed"');
    const store = new FileStateStore(file);
    await expect(store.getFeed('https://a.test/feed')).rejects.toThrow(StateFileError);
    await expect(store.putFeed({ url: 'https://b.test/feed', consecutiveFailures: 0 })).rejects.toThrow(file);
    await expect(store.flush()).resolves.toBeUndefined();
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"feeds":[{"url":"https://a.test/feed"');
  });

  it('names the field when the file is JSON but not a state file', async () => {
    writeFileSync(
      file,
      JSON.stringify({ version: 1, feeds: [{ url: 'https://a.test/feed' }], items: {}, aliases: {} }),
    );
    await expect(new FileStateStore(file).listFeeds()).rejects.toThrow(/state\.json: .*feeds\.0\.consecutiveFailures/);
  });

  // A poll makes thousands of changes over seconds: they are appended in batches to a journal kept open meanwhile,
  // and the file is rewritten whole as the journal outgrows it. Every change must survive that, in order, and the
  // store must not keep the file open once it is idle.
  it('saves a long stream of changes across journal rewrites, in order, and closes the file when idle', async () => {
    const store = new FileStateStore(file);
    const padding = 'x'.repeat(300); // about 200 changes per 64 KiB: the journal outgrows the snapshot many times over
    for (let round = 0; round < 20; round++) {
      for (let index = 0; index < 100; index++) {
        await store.putFeed({
          url: `https://feed-${index}.test/rss`,
          consecutiveFailures: round,
          etag: `"${round}-${padding}"`,
        });
        // Time passes while changes keep coming, as in a poll: a save is always queued behind the running one.
        if (index % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
    await store.flush();

    const openFiles = readdirSync('/proc/self/fd').flatMap((fd) => {
      try {
        return [readlinkSync(`/proc/self/fd/${fd}`)];
      } catch {
        return []; // closed while listed (the listing's own descriptor)
      }
    });
    expect(openFiles.filter((target) => target.startsWith(dir))).toEqual([]);
    const feeds = await new FileStateStore(file).listFeeds();
    expect(feeds).toHaveLength(100);
    expect(new Set(feeds.map((feed) => feed.consecutiveFailures))).toEqual(new Set([19])); // the last write won
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('reports a state file it cannot save when flushed, and saves every change once it can', async () => {
    const missing = path.join(dir, 'missing-dir');
    const store = new FileStateStore(path.join(missing, 'state.json'));
    await store.putFeed({ url: 'https://a.test/feed', consecutiveFailures: 0 });
    await expect(store.flush()).rejects.toThrow(/missing-dir.*cannot save the state file/);
    await store.putFeed({ url: 'https://b.test/feed', consecutiveFailures: 0 });
    await expect(store.flush()).rejects.toThrow(/cannot save the state file/);

    // The directory appears: the next flush writes both changes, the one whose save failed included.
    mkdirSync(missing);
    await store.flush();
    const feeds = await new FileStateStore(path.join(missing, 'state.json')).listFeeds();
    expect(feeds.map((state) => state.url).sort()).toEqual(['https://a.test/feed', 'https://b.test/feed']);
  });

  it('after a failed append, saves the change it lost with the next one instead of leaving a gap in the journal', async () => {
    await storeWithHistory();
    const store = new FileStateStore(file);
    await store.getFeed('https://a.test/feed');
    // The state file is briefly a directory: the append fails, and so does the whole rewrite flush() retries.
    renameSync(file, `${file}.away`);
    mkdirSync(file);
    await store.putFeed({ url: 'https://lost.test/feed', consecutiveFailures: 0 });
    await expect(store.flush()).rejects.toThrow(/cannot save the state file/);
    rmdirSync(file);
    renameSync(`${file}.away`, file);

    await store.putFeed({ url: 'https://next.test/feed', consecutiveFailures: 0 });
    await store.flush();
    const urls = (await new FileStateStore(file).listFeeds()).map((state) => state.url).sort();
    expect(urls).toEqual(['https://a.test/feed', 'https://lost.test/feed', 'https://next.test/feed']);
  });
});
