// Behaviour every StateStore must share (file, memory, DynamoDB): call describeStateStoreContract from a test file.
import type { FeedState, ItemRecord, StateStore } from '../../lambda/ports';

export interface StateStoreHarness {
  store: StateStore;
  /** A second store over the same storage, as a concurrent poller would open it; the same store when not possible. */
  peer?: StateStore;
  /** Called after each test. */
  close?(): Promise<void>;
}

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const LEASE_MS = 5 * 60_000;

export function itemRecord(key: string, aliasKeys: string[] = [], title = `Item ${key}`): ItemRecord {
  return { identity: { key, aliasKeys }, feedUrl: 'https://feeds.example.test/politics.rss', title };
}

export interface ContractOptions {
  /** The store implements the optional read-only isItemDone (default true; false shows that test as skipped). */
  isItemDone?: boolean;
}

/** Registers the shared StateStore tests; `open` gives a fresh, empty store for each test. */
export function describeStateStoreContract(
  label: string,
  open: () => Promise<StateStoreHarness>,
  options: ContractOptions = {},
): void {
  const itIfPreview = options.isItemDone === false ? it.skip : it;
  describe(`${label} (StateStore contract)`, () => {
    let harness: StateStoreHarness;
    let store: StateStore;

    beforeEach(async () => {
      harness = await open();
      store = harness.store;
    });
    afterEach(async () => {
      await harness.close?.();
    });

    describe('feeds', () => {
      const full: FeedState = {
        url: 'https://feeds.example.test/a.rss',
        etag: 'W/"abc"',
        lastModified: 'Wed, 18 Nov 2020 01:00:00 GMT',
        firstPolledAt: T0 - 86_400_000,
        lastSuccessAt: T0 - 60_000,
        lastAttemptAt: T0,
        consecutiveFailures: 2,
        nextAttemptAt: T0 + 600_000,
        lastError: 'HTTP 503 from feeds.example.test',
        gone: true,
      };

      it('knows nothing of a feed never stored', async () => {
        expect(await store.getFeed('https://feeds.example.test/never.rss')).toBeUndefined();
        expect(await store.listFeeds()).toEqual([]);
      });

      it('gives back every field of a stored feed state', async () => {
        await store.putFeed(full);
        expect(await store.getFeed(full.url)).toEqual(full);
      });

      it('replaces the whole state on put, so a cleared validator or error is gone', async () => {
        await store.putFeed(full);
        const recovered: FeedState = { url: full.url, consecutiveFailures: 0, lastSuccessAt: T0, lastAttemptAt: T0 };
        await store.putFeed(recovered);
        expect(await store.getFeed(full.url)).toEqual(recovered);
      });

      it('keeps feeds with very long or non-ASCII URLs apart', async () => {
        const long = `https://feeds.example.test/rss?q=${'election security '.repeat(120)}`;
        const longer = `${long}&page=2`;
        const accented = 'https://feeds.example.test/élection/sécurité.rss';
        await store.putFeed({ url: long, consecutiveFailures: 1 });
        await store.putFeed({ url: longer, consecutiveFailures: 2 });
        await store.putFeed({ url: accented, consecutiveFailures: 3 });
        expect(await store.getFeed(long)).toEqual({ url: long, consecutiveFailures: 1 });
        expect(await store.getFeed(longer)).toEqual({ url: longer, consecutiveFailures: 2 });
        expect((await store.listFeeds()).map((feed) => feed.url).sort()).toEqual([accented, long, longer].sort());
      });

      it('lists every feed once, and no item records', async () => {
        const urls = ['https://a.example.test/rss', 'https://b.example.test/atom?x=1', 'https://c.example.test/feed'];
        for (const url of urls) await store.putFeed({ url, consecutiveFailures: 0, lastAttemptAt: T0 });
        await store.putFeed({ url: urls[0]!, consecutiveFailures: 1, lastAttemptAt: T0 + 1 });
        await store.claimItem(itemRecord('guid:1'), T0, LEASE_MS);
        await store.recordSilently(itemRecord('guid:2', ['link:https://a.example.test/2']), T0);
        const listed = await store.listFeeds();
        expect(listed.map((feed) => feed.url).sort()).toEqual([...urls].sort());
        expect(listed.find((feed) => feed.url === urls[0])).toEqual({
          url: urls[0],
          consecutiveFailures: 1,
          lastAttemptAt: T0 + 1,
        });
      });
    });

    describe('items', () => {
      it('claims a new item, refuses it while the lease lives, and calls it done once sent', async () => {
        const item = itemRecord('guid:krebs-fired');
        expect(await store.claimItem(item, T0, LEASE_MS)).toBe('claimed');
        expect(await store.claimItem(item, T0 + LEASE_MS - 1, LEASE_MS)).toBe('busy');
        await store.markSent(item, T0 + 1000, 'alert-1');
        expect(await store.claimItem(item, T0 + 2000, LEASE_MS)).toBe('done');
        expect(await store.claimItem(item, T0 + 10 * LEASE_MS, LEASE_MS)).toBe('done');
      });

      it('lets a claim whose lease ran out be taken again (the poller died before publishing)', async () => {
        const item = itemRecord('guid:lease');
        expect(await store.claimItem(item, T0, LEASE_MS)).toBe('claimed');
        expect(await (harness.peer ?? store).claimItem(item, T0 + LEASE_MS + 1, LEASE_MS)).toBe('claimed');
        expect(await store.claimItem(item, T0 + LEASE_MS + 2, LEASE_MS)).toBe('busy');
      });

      it('gives a released claim back at once, so the next poll retries the publish', async () => {
        const item = itemRecord('guid:release');
        expect(await store.claimItem(item, T0, LEASE_MS)).toBe('claimed');
        await store.releaseClaim(item);
        expect(await store.claimItem(item, T0 + 1, LEASE_MS)).toBe('claimed');
      });

      it('ignores a release of an item already sent', async () => {
        const item = itemRecord('guid:sent-then-released');
        await store.claimItem(item, T0, LEASE_MS);
        await store.markSent(item, T0, 'alert-2');
        await store.releaseClaim(item);
        expect(await store.claimItem(item, T0 + 1, LEASE_MS)).toBe('done');
      });

      it('records an item silently as done without a claim or an alert', async () => {
        const item = itemRecord('guid:old-backfill', ['link:https://news.example.test/old']);
        await store.recordSilently(item, T0);
        expect(await store.claimItem(item, T0, LEASE_MS)).toBe('done');
        expect(
          await store.claimItem(itemRecord('guid:new-guid', ['link:https://news.example.test/old']), T0, LEASE_MS),
        ).toBe('done');
      });

      it('finds a sent item again after its GUID changed, through a shared alias key', async () => {
        const original = itemRecord('guid:feed#1', ['link:https://news.example.test/a', 'title:trump-fires-krebs']);
        await store.claimItem(original, T0, LEASE_MS);
        await store.markSent(original, T0, 'alert-3');
        const reissued = itemRecord('guid:feed#1-updated', ['link:https://news.example.test/a']);
        expect(await store.claimItem(reissued, T0 + 1, LEASE_MS)).toBe('done');
        const retitled = itemRecord('guid:feed#1-again', ['title:trump-fires-krebs']);
        expect(await store.claimItem(retitled, T0 + 1, LEASE_MS)).toBe('done');
      });

      it('matches across key kinds: a new key equal to an old alias, or an alias equal to an old key', async () => {
        const original = itemRecord('guid:feed#2', ['link:https://news.example.test/b']);
        await store.claimItem(original, T0, LEASE_MS);
        await store.markSent(original, T0, 'alert-4');
        expect(await store.claimItem(itemRecord('link:https://news.example.test/b'), T0, LEASE_MS)).toBe('done');
        expect(await store.claimItem(itemRecord('link:https://x.test/c', ['guid:feed#2']), T0, LEASE_MS)).toBe('done');
      });

      it('keeps unrelated items apart', async () => {
        await store.markSent(itemRecord('guid:a', ['link:https://news.example.test/a']), T0, 'alert-5');
        expect(await store.claimItem(itemRecord('guid:b', ['link:https://news.example.test/b']), T0, LEASE_MS)).toBe(
          'claimed',
        );
      });

      it('gives exactly one of several concurrent claimers the item', async () => {
        const item = itemRecord('guid:race', ['link:https://news.example.test/race']);
        const peer = harness.peer ?? store;
        const outcomes = await Promise.all([
          store.claimItem(item, T0, LEASE_MS),
          peer.claimItem(item, T0, LEASE_MS),
          store.claimItem(item, T0, LEASE_MS),
          peer.claimItem(item, T0, LEASE_MS),
        ]);
        expect(outcomes.filter((outcome) => outcome === 'claimed')).toHaveLength(1);
        expect(outcomes.filter((outcome) => outcome === 'busy')).toHaveLength(3);
      });

      it('accepts any key string: very long, non-ASCII, with separators', async () => {
        const long = itemRecord(`link:https://news.example.test/${'ü/#'.repeat(1500)}`, [`title:${'选'.repeat(800)}`]);
        expect(await store.claimItem(long, T0, LEASE_MS)).toBe('claimed');
        await store.markSent(long, T0, 'alert-6');
        expect(await store.claimItem(itemRecord('guid:other', [`title:${'选'.repeat(800)}`]), T0, LEASE_MS)).toBe(
          'done',
        );
        const near = itemRecord(`link:https://news.example.test/${'ü/#'.repeat(1500)}x`);
        expect(await store.claimItem(near, T0, LEASE_MS)).toBe('claimed');
      });

      itIfPreview('answers isItemDone from what is stored, without claiming', async () => {
        if (!store.isItemDone) throw new Error(`${label} has no isItemDone; pass { isItemDone: false }`);
        const item = itemRecord('guid:preview', ['link:https://news.example.test/preview']);
        expect(await store.isItemDone(item, T0)).toBe(false);
        expect(await store.claimItem(item, T0, LEASE_MS)).toBe('claimed');
        expect(await store.isItemDone(item, T0)).toBe(false);
        await store.markSent(item, T0, 'alert-7');
        expect(await store.isItemDone(itemRecord('guid:x', ['link:https://news.example.test/preview']), T0)).toBe(true);
      });
    });
  });
}
