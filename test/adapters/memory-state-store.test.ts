// The in-memory state store: claim / lease / sent / alias semantics every StateStore must share.
import { MemoryStateStore } from '../../lambda/adapters/memory-state-store';
import type { ItemRecord } from '../../lambda/ports';
import { describeStateStoreContract } from '../support/state-store-contract';

const NOW = Date.UTC(2024, 0, 1);
const LEASE = 120_000;
const DAY = 86_400_000;

function item(key: string, aliasKeys: string[] = []): ItemRecord {
  return {
    identity: { key, aliasKeys },
    feedUrl: 'https://feeds.example.test/a.rss',
    title: 'Trump fires CISA director Chris Krebs',
  };
}

describeStateStoreContract('MemoryStateStore', async () => ({ store: new MemoryStateStore() }));

describe('MemoryStateStore', () => {
  it('lets one poller claim an item, keeps others off during the lease, and lets it go once sent', async () => {
    const store = new MemoryStateStore();
    const krebs = item('guid:1');
    expect(await store.claimItem(krebs, NOW, LEASE)).toBe('claimed');
    expect(await store.claimItem(krebs, NOW + 1000, LEASE)).toBe('busy');
    await store.markSent(krebs, NOW + 2000, 'alert-1');
    expect(await store.claimItem(krebs, NOW + 10 * LEASE, LEASE)).toBe('done');
  });

  it('lets a claim whose lease ran out be taken again (the poller holding it died)', async () => {
    const store = new MemoryStateStore();
    expect(await store.claimItem(item('guid:1'), NOW, LEASE)).toBe('claimed');
    expect(await store.claimItem(item('guid:1'), NOW + LEASE, LEASE)).toBe('claimed');
  });

  it('gives a released claim back at once, but never undoes a sent item', async () => {
    const store = new MemoryStateStore();
    const first = item('guid:1');
    await store.claimItem(first, NOW, LEASE);
    await store.releaseClaim(first);
    expect(await store.claimItem(first, NOW + 1, LEASE)).toBe('claimed');
    await store.markSent(first, NOW + 2, 'alert-1');
    await store.releaseClaim(first);
    expect(await store.claimItem(first, NOW + 3, LEASE)).toBe('done');
  });

  it('finds an item already sent under another key through a shared alias key (a changed GUID)', async () => {
    const store = new MemoryStateStore();
    const original = item('guid:old', ['link:bbc.test/54982360', 'title:trump-fires-krebs']);
    await store.claimItem(original, NOW, LEASE);
    await store.markSent(original, NOW, 'alert-1');

    const renamed = item('guid:new', ['link:bbc.test/54982360', 'title:trump-fires-krebs']);
    expect(await store.claimItem(renamed, NOW + 1, LEASE)).toBe('done');
    expect(await store.isItemDone(renamed, NOW + 1)).toBe(true);
    const retitled = item('guid:other', ['link:other.test/x', 'title:trump-fires-krebs']);
    expect(await store.claimItem(retitled, NOW + 1, LEASE)).toBe('done');
    expect(await store.claimItem(item('guid:unrelated', ['link:z']), NOW + 1, LEASE)).toBe('claimed');
  });

  it('keeps a second copy busy while the first holds its claim, through an alias key too', async () => {
    const store = new MemoryStateStore();
    await store.claimItem(item('guid:a', ['link:x']), NOW, LEASE);
    expect(await store.claimItem(item('guid:b', ['link:x']), NOW + 1, LEASE)).toBe('busy');
    expect(await store.isItemDone(item('guid:b', ['link:x']), NOW + 1)).toBe(false);
  });

  it('treats an item recorded silently as done, and a key it matches as done too', async () => {
    const store = new MemoryStateStore();
    await store.recordSilently(item('guid:old', ['title:old-story']), NOW);
    expect(await store.claimItem(item('guid:old'), NOW + 1, LEASE)).toBe('done');
    expect(await store.claimItem(item('guid:x', ['title:old-story']), NOW + 1, LEASE)).toBe('done');
  });

  it('forgets items after the TTL, as the DynamoDB table does', async () => {
    const store = new MemoryStateStore({ itemTtlDays: 90 });
    const sent = item('guid:1');
    await store.claimItem(sent, NOW, LEASE);
    await store.markSent(sent, NOW, 'alert-1');
    expect(await store.claimItem(sent, NOW + 89 * DAY, LEASE)).toBe('done');
    expect(await store.claimItem(sent, NOW + 91 * DAY, LEASE)).toBe('claimed');
  });

  it('stores feed state by URL and hands out copies, not its own objects', async () => {
    const store = new MemoryStateStore();
    await store.putFeed({ url: 'https://a.test/feed', consecutiveFailures: 0, etag: '"1"' });
    await store.putFeed({ url: 'https://b.test/feed', consecutiveFailures: 2, lastError: 'timeout: slow' });
    await store.putFeed({ url: 'https://a.test/feed', consecutiveFailures: 0, etag: '"2"' });

    const a = await store.getFeed('https://a.test/feed');
    expect(a?.etag).toBe('"2"');
    if (a) a.etag = 'changed by the caller';
    expect((await store.getFeed('https://a.test/feed'))?.etag).toBe('"2"');
    expect(await store.getFeed('https://c.test/feed')).toBeUndefined();
    expect((await store.listFeeds()).map((state) => state.url).sort()).toEqual([
      'https://a.test/feed',
      'https://b.test/feed',
    ]);
  });
});
