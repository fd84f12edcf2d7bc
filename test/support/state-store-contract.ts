// Behaviour every StateStore must share (file, memory, DynamoDB): call describeStateStoreContract from a test file.
import {
  MAX_STORY_SOURCES,
  type StoryRecord,
  type StoryRef,
  type StorySource,
  startStory,
  storyBandKeys,
  storySignature,
} from '../../lambda/core/story';
import type { LearnedTopic } from '../../lambda/core/topic-profile';
import type { FeedState, ItemRecord, StateStore, StoryItemWrite } from '../../lambda/ports';

export interface StateStoreHarness {
  store: StateStore;
  /** A second store over the same storage, as a concurrent poller would open it; the same store when not possible. */
  peer?: StateStore;
  /** Called after each test. */
  close?(): Promise<void>;
}

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const LEASE_MS = 5 * 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function itemRecord(
  key: string,
  aliasKeys: string[] = [],
  title = 'Trump fires CISA director Chris Krebs',
): ItemRecord {
  return { identity: { key, aliasKeys }, feedUrl: 'https://feeds.example.test/politics.rss', title };
}

/** An item filed on a story: its band keys and the ref its band rows hold. */
function filed(title: string, entities: string[], seenAt: number, origin?: StoryRecord) {
  const signature = storySignature({ title });
  const bandKeys = storyBandKeys(signature, entities);
  const ref = (storyId: string): StoryRef => ({
    storyId,
    storyTitle: origin?.title ?? title,
    entities,
    storyEntities: [...new Set([...(origin?.entities ?? []), ...entities])].sort(),
    signature,
    origin: origin?.signature ?? signature,
    seenAt,
  });
  return { signature, bandKeys, ref };
}

/** The 'start' write of a story begun by `title`, with the source's publisher and link. */
function startWrite(
  id: string,
  title: string,
  entities: string[],
  seenAt: number,
  publisher = 'Reuters',
  recordedAt = seenAt,
): StoryItemWrite {
  const item = filed(title, entities, seenAt);
  const source: StorySource = { publisher, link: `https://${publisher.toLowerCase()}.test/${id}`, title, seenAt };
  return {
    kind: 'start',
    story: startStory(id, item.signature, entities, source, recordedAt),
    bandKeys: item.bandKeys,
    ref: item.ref(id),
  };
}

function joinWrite(
  story: StoryRecord,
  title: string,
  entities: string[],
  seenAt: number,
  source: Partial<StorySource> = {},
): StoryItemWrite {
  const item = filed(title, entities, seenAt, story);
  return {
    kind: 'join',
    storyId: story.id,
    source: { publisher: 'BBC News', link: `https://bbc.test/${seenAt}`, title, seenAt, ...source },
    entities,
    bandKeys: item.bandKeys,
    ref: item.ref(story.id),
  };
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

    describe('term table', () => {
      it('starts empty, then holds what polls read, merged: the next poll weighs words by all of it', async () => {
        expect(await store.loadTermCounts?.()).toBeUndefined();
        await store.addTermCounts?.({ docs: 3, df: { trump: 3, digenova: 1 } });
        await store.addTermCounts?.({ docs: 2, df: { trump: 1, sentinelone: 2 } });
        const peer = harness.peer ?? store;
        expect(await peer.loadTermCounts?.()).toEqual({ docs: 5, df: { trump: 4, digenova: 1, sentinelone: 2 } });
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
        const title = 'Raffensperger certifies Georgia results';
        const item = itemRecord('guid:old-backfill', ['link:https://news.example.test/old'], title);
        await store.recordSilently(item, T0);
        expect(await store.claimItem(item, T0, LEASE_MS)).toBe('done');
        expect(
          await store.claimItem(
            itemRecord('guid:new-guid', ['link:https://news.example.test/old'], title),
            T0,
            LEASE_MS,
          ),
        ).toBe('done');
      });

      it('finds a sent item again after its GUID changed, through a shared alias key', async () => {
        const title = 'Trump fires CISA director Chris Krebs';
        const original = itemRecord(
          'guid:feed#1',
          ['link:https://news.example.test/a', 'title:trump-fires-krebs'],
          title,
        );
        await store.claimItem(original, T0, LEASE_MS);
        await store.markSent(original, T0, 'alert-3');
        const reissued = itemRecord('guid:feed#1-updated', ['link:https://news.example.test/a'], title);
        expect(await store.claimItem(reissued, T0 + 1, LEASE_MS)).toBe('done');
        const retitled = itemRecord('guid:feed#1-again', ['title:trump-fires-krebs'], `${title}!`);
        expect(await store.claimItem(retitled, T0 + 1, LEASE_MS)).toBe('done');
      });

      it('matches across key kinds: a new key equal to an old alias, or an alias equal to an old key', async () => {
        const title = 'Masterson leaves CISA';
        const original = itemRecord('guid:feed#2', ['link:https://news.example.test/b'], title);
        await store.claimItem(original, T0, LEASE_MS);
        await store.markSent(original, T0, 'alert-4');
        expect(await store.claimItem(itemRecord('link:https://news.example.test/b', [], title), T0, LEASE_MS)).toBe(
          'done',
        );
        expect(await store.claimItem(itemRecord('link:https://x.test/c', ['guid:feed#2'], title), T0, LEASE_MS)).toBe(
          'done',
        );
      });

      it('calls an item known under its key or an alias only with other headlines rewritten, not done', async () => {
        const original = itemRecord(
          'guid:feed#3',
          ['link:https://news.example.test/c'],
          'Georgia to begin hand recount',
        );
        await store.claimItem(original, T0, LEASE_MS);
        await store.markSent(original, T0, 'alert-6');
        // The same GUID under a new headline, and another entry of the same page.
        const rewrite = itemRecord(
          'guid:feed#3',
          ['link:https://news.example.test/c'],
          'Georgia hand recount affirms win',
        );
        expect(await store.claimItem(rewrite, T0 + 1, LEASE_MS)).toBe('rewritten');
        const entry = itemRecord(
          'guid:feed#4',
          ['link:https://news.example.test/c'],
          'Sterling: someone will get killed',
        );
        expect(await store.claimItem(entry, T0 + 1, LEASE_MS)).toBe('rewritten');
        // Under its own headline it is done, whatever else its key or link was seen with.
        expect(await store.claimItem(original, T0 + 1, LEASE_MS)).toBe('done');
      });

      it('calls a copy of an item naming an entity it did not more-entities, and one naming no more done', async () => {
        const title = 'Trump fires Christopher Krebs by tweet';
        const original = { ...itemRecord('guid:outlet-a#1', ['fp:krebs-fired'], title), entities: ['krebs'] };
        await store.claimItem(original, T0, LEASE_MS);
        await store.markSent(original, T0, 'alert-7');
        // Another outlet's copy under the same headline: its alias is the original's.
        const copy = (entities: string[]) => ({
          ...itemRecord('guid:outlet-c#9', ['fp:krebs-fired'], title),
          entities,
        });
        expect(await store.claimItem(copy(['cisa', 'krebs']), T0 + 1, LEASE_MS)).toBe('more-entities');
        expect(await store.claimItem(copy(['krebs']), T0 + 1, LEASE_MS)).toBe('done');
        // Rows that keep no entities (written before they were kept) stay done for any copy.
        const older = itemRecord('guid:outlet-a#2', ['fp:krebs-sues'], 'Krebs sues');
        await store.claimItem(older, T0, LEASE_MS);
        await store.markSent(older, T0, 'alert-8');
        const olderCopy = { ...itemRecord('guid:outlet-c#10', ['fp:krebs-sues'], 'Krebs sues'), entities: ['cisa'] };
        expect(await store.claimItem(olderCopy, T0 + 1, LEASE_MS)).toBe('done');
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

    describe('stories', () => {
      const FIRED = 'Trump fires CISA director Chris Krebs';
      const start = () => startWrite('st-fired', FIRED, ['krebs', 'cisa'], T0);

      it('finds nothing under band keys never written', async () => {
        expect(await store.findStoryRefs(filed(FIRED, ['krebs'], T0).bandKeys)).toEqual([]);
        expect(await store.findStoryRefs([])).toEqual([]);
      });

      it('files a new story under its band keys and one headline per entity', async () => {
        const write = start();
        if (write.kind !== 'start') throw new Error('start write expected');
        expect(await store.saveStoryItem(write)).toEqual(write.story);
        const refs = await store.findStoryRefs(write.bandKeys);
        expect(refs).toHaveLength(write.bandKeys.length);
        for (const ref of refs) expect(ref).toEqual(write.ref);
        for (const entityId of ['krebs', 'cisa']) {
          expect(await store.recentHeadlines(entityId, T0 - DAY, T0, 5)).toEqual([
            { id: 'st-fired', title: FIRED, entities: ['cisa', 'krebs'], firstSeenAt: T0 },
          ]);
        }
        expect(await store.recentHeadlines('masterson', T0 - DAY, T0, 5)).toEqual([]);
      });

      it('keeps what it stored when a caller changes a ref it was handed, or the write it filed', async () => {
        const write = start();
        if (write.kind !== 'start') throw new Error('start write expected');
        await store.saveStoryItem(write);
        const stored = structuredClone(write.ref);
        const [handed] = await store.findStoryRefs(write.bandKeys);
        const tamper = (ref: StoryRef) => {
          ref.entities.push('masterson');
          ref.signature.terms.length = 0;
          ref.storyId = 'st-other';
        };
        try {
          tamper(handed!); // a store may refuse the change (frozen) or let the copy change: never what it keeps
        } catch {}
        tamper(write.ref);
        for (const ref of await store.findStoryRefs(write.bandKeys)) expect(ref).toEqual(stored);
      });

      it('adds a joining item as a source, merges its entities, and points the band keys at the latest item', async () => {
        const story = (await store.saveStoryItem(startWrite('st-fired', FIRED, ['krebs'], T0)))!;
        const join = joinWrite(story, 'Krebs ousted as CISA director by Trump', ['krebs', 'cisa'], T0 + HOUR);
        const joined = await store.saveStoryItem(join);
        expect(joined).toMatchObject({
          id: 'st-fired',
          entities: ['cisa', 'krebs'],
          firstSeenAt: T0,
          lastSeenAt: T0 + HOUR,
        });
        expect(joined?.sources.map((source) => source.publisher)).toEqual(['Reuters', 'BBC News']);
        expect(joined?.signature).toEqual(story.signature);
        const refs = await store.findStoryRefs(join.bandKeys);
        expect(refs.length).toBe(join.bandKeys.length);
        for (const ref of refs) expect(ref).toEqual(join.ref);
        expect(join.ref.origin).toEqual(story.signature);
        expect(await store.storiesBetween(['krebs'], T0, T0 + 1)).toEqual([joined]);
      });

      it('records a link once, keeps the latest time when an earlier item joins late, and accepts sources without link', async () => {
        const story = (await store.saveStoryItem(startWrite('st-fired', FIRED, ['krebs'], T0)))!;
        const link = 'https://npr.test/krebs';
        await store.saveStoryItem(
          joinWrite(story, 'Krebs out at CISA', ['krebs'], T0 + 2 * HOUR, { publisher: 'NPR', link }),
        );
        const again = await store.saveStoryItem(
          joinWrite(story, 'Krebs out at CISA (updated)', ['krebs'], T0 + 3 * HOUR, { publisher: 'NPR', link }),
        );
        expect(again?.sources.map((source) => source.link)).toEqual([story.sources[0]!.link, link]);
        expect(again?.lastSeenAt).toBe(T0 + 3 * HOUR);
        const late = await store.saveStoryItem(
          joinWrite(story, 'Krebs fired', ['krebs'], T0 + HOUR, { publisher: 'AP' }),
        );
        expect(late?.lastSeenAt).toBe(T0 + 3 * HOUR);
        expect(late?.sources.map((source) => source.publisher)).toEqual(['Reuters', 'NPR', 'AP']);
        const unlinked = await store.saveStoryItem(
          joinWrite(story, 'Krebs fired by tweet', ['krebs'], T0 + 4 * HOUR, { publisher: 'Radio', link: undefined }),
        );
        expect(unlinked?.sources.at(-1)).toEqual({
          publisher: 'Radio',
          title: 'Krebs fired by tweet',
          seenAt: T0 + 4 * HOUR,
        });
      });

      it(`keeps the first source and the newest ones past ${MAX_STORY_SOURCES} sources`, async () => {
        const story = (await store.saveStoryItem(startWrite('st-fired', FIRED, ['krebs'], T0)))!;
        let latest: StoryRecord | undefined;
        for (let i = 1; i <= MAX_STORY_SOURCES + 2; i++) {
          latest = await store.saveStoryItem(
            joinWrite(story, `Krebs fired, outlet ${i}`, ['krebs'], T0 + i * 60_000, { publisher: `Outlet ${i}` }),
          );
        }
        expect(latest?.sources).toHaveLength(MAX_STORY_SOURCES);
        expect(latest?.sources[0]?.publisher).toBe('Reuters');
        expect(latest?.sources[1]?.publisher).toBe('Outlet 4');
        expect(latest?.sources.at(-1)?.publisher).toBe(`Outlet ${MAX_STORY_SOURCES + 2}`);
      });

      it('refuses a join to a story that is gone, writing nothing', async () => {
        const ghost = startWrite('st-gone', FIRED, ['krebs'], T0);
        if (ghost.kind !== 'start') throw new Error('start write expected');
        const join = joinWrite(ghost.story, 'Krebs fired', ['krebs'], T0 + HOUR);
        expect(await store.saveStoryItem(join)).toBeUndefined();
        expect(await store.findStoryRefs(join.bandKeys)).toEqual([]);
      });

      it('leaves a story as it is when its first item is filed again (a retried alert)', async () => {
        const story = (await store.saveStoryItem(start()))!;
        const joined = await store.saveStoryItem(joinWrite(story, 'Krebs ousted', ['krebs'], T0 + HOUR));
        expect(await store.saveStoryItem(start())).toEqual(joined);
        expect(await store.storiesBetween(['krebs'], T0, T0 + 1)).toEqual([joined]);
      });

      it('lists recent headlines newest first within [since, until], at most `limit`', async () => {
        for (const [id, hours] of [
          ['st-a', 0],
          ['st-b', 5],
          ['st-c', 10],
          ['st-d', 30],
        ] as const) {
          await store.saveStoryItem(startWrite(id, `Krebs story ${id}`, ['krebs'], T0 + hours * HOUR));
        }
        const ids = async (since: number, until: number, limit: number) =>
          (await store.recentHeadlines('krebs', since, until, limit)).map((headline) => headline.id);
        expect(await ids(T0, T0 + 10 * HOUR, 5)).toEqual(['st-c', 'st-b', 'st-a']);
        expect(await ids(T0 + HOUR, T0 + 40 * HOUR, 2)).toEqual(['st-d', 'st-c']);
        expect(await ids(T0 + 11 * HOUR, T0 + 29 * HOUR, 5)).toEqual([]);
      });

      it('keeps recent headlines newest first when stories start between reads, out of order or again', async () => {
        const ids = async () => (await store.recentHeadlines('krebs', T0, T0 + DAY, 10)).map((headline) => headline.id);
        await store.saveStoryItem(startWrite('st-b', 'Krebs story b', ['krebs'], T0 + 5 * HOUR));
        expect(await ids()).toEqual(['st-b']);
        await store.saveStoryItem(startWrite('st-a', 'Krebs story a', ['krebs'], T0));
        await store.saveStoryItem(startWrite('st-c', 'Krebs story c', ['krebs'], T0 + 10 * HOUR));
        expect(await ids()).toEqual(['st-c', 'st-b', 'st-a']);
        await store.saveStoryItem(startWrite('st-b', 'Krebs story b', ['krebs'], T0 + 5 * HOUR));
        expect(await ids()).toEqual(['st-c', 'st-b', 'st-a']);
      });

      it('gives the stories of a period once each, oldest first, from any of the entities, end excluded', async () => {
        const dayStart = Date.UTC(2026, 0, 16);
        await store.saveStoryItem(startWrite('st-eve', 'Krebs story the evening before', ['krebs'], dayStart - 1));
        await store.saveStoryItem(startWrite('st-both', 'Krebs and CISA at midnight', ['krebs', 'cisa'], dayStart));
        await store.saveStoryItem(startWrite('st-cisa', 'CISA issues directive', ['cisa'], dayStart + 9 * HOUR));
        await store.saveStoryItem(startWrite('st-raff', 'Raffensperger certifies', ['raffensperger'], dayStart + HOUR));
        await store.saveStoryItem(startWrite('st-next', 'Krebs story next midnight', ['krebs'], dayStart + DAY));
        const ids = async (entities: string[]) =>
          (await store.storiesBetween(entities, dayStart, dayStart + DAY)).map((story) => story.id);
        expect(await ids(['krebs', 'cisa'])).toEqual(['st-both', 'st-cisa']);
        expect(await ids(['krebs'])).toEqual(['st-both']);
        expect(await ids(['masterson'])).toEqual([]);
      });

      it('places a story in the period a poll recorded it in, however long before the item was published', async () => {
        const dayStart = Date.UTC(2026, 0, 20);
        const ids = async (from: number) =>
          (await store.storiesBetween(['krebs'], from, from + DAY)).map((story) => story.id);
        // Published at 23:50 the day before, reaching the feed (and the poll) at 02:00: the day's digest has it.
        await store.saveStoryItem(
          startWrite('st-late', 'Krebs late item', ['krebs'], dayStart - 10 * 60_000, 'AP', dayStart + 2 * HOUR),
        );
        // Published and recorded the day before: that day's digest had it.
        await store.saveStoryItem(
          startWrite('st-prior', 'Krebs prior item', ['krebs'], dayStart - 3 * HOUR, 'AP', dayStart - 2 * HOUR),
        );
        // Six days late: still found, as the digest reads seven days of headlines back.
        await store.saveStoryItem(
          startWrite('st-week', 'Krebs week old item', ['krebs'], dayStart - 6 * DAY, 'AP', dayStart + HOUR),
        );
        expect(await ids(dayStart)).toEqual(['st-week', 'st-late']);
        expect(await ids(dayStart - DAY)).toEqual(['st-prior']);
      });
    });

    describe('topic profiles', () => {
      const profile = (updatedAt: number, election = 3): LearnedTopic => ({
        entityId: 'krebs',
        updatedAt,
        seen: ['a1', 'b2'],
        about: { docs: 4, terms: { election, ballot: 1.5 } },
        other: { docs: 2, terms: { enzym: 2 } },
      });

      it('keeps what is saved, per entity, as saved', async () => {
        expect(await store.loadTopics()).toEqual([]);
        expect(await store.saveTopic(profile(T0), undefined)).toBe(true);
        const cisa = { ...profile(T0 + 5), entityId: 'cisa' };
        expect(await store.saveTopic(cisa, undefined)).toBe(true);
        const loaded = await store.loadTopics();
        expect(loaded.sort((a, b) => (a.entityId < b.entityId ? -1 : 1))).toEqual([cisa, profile(T0)]);
      });

      it('refuses a save learned onto a profile another poller has replaced since', async () => {
        const peer = harness.peer ?? store;
        expect(await store.saveTopic(profile(T0), undefined)).toBe(true);
        expect(await peer.saveTopic(profile(T0 + 1000, 4), T0)).toBe(true);
        // This one was learned onto T0 too, and would undo the peer's lesson.
        expect(await store.saveTopic(profile(T0 + 2000, 5), T0)).toBe(false);
        expect(await store.saveTopic(profile(T0 + 2000, 5), undefined)).toBe(false);
        expect(await store.loadTopics()).toEqual([profile(T0 + 1000, 4)]);
      });
    });

    describe('SMS storm guard', () => {
      const hour = Date.UTC(2026, 0, 15, 14);

      const MINUTE = 60_000;

      it('grants `limit` SMS in any 60 minutes, holds the rest, and tells the count on the first SMS after', async () => {
        const t0 = hour + 5 * MINUTE;
        const taken = [];
        for (let i = 0; i < 7; i++) taken.push(await store.takeSmsSlot(5, t0 + i * MINUTE));
        expect(taken.map((slot) => slot.granted)).toEqual([true, true, true, true, true, false, false]);
        expect(taken.slice(0, 5)).toEqual(Array(5).fill({ granted: true }));
        // Still five in the last hour at t0 + 59 min, past the clock hour's end: held.
        expect(await store.takeSmsSlot(5, t0 + 59 * MINUTE)).toEqual({ granted: false });
        // The first SMS leaves the window an hour after it was sent: one slot, which tells the three held.
        const next = await store.takeSmsSlot(5, t0 + HOUR + 1);
        expect(next).toEqual({ granted: true, heldBefore: { count: 3, since: t0 + 5 * MINUTE } });
        expect(await store.takeSmsSlot(5, t0 + HOUR + 2)).toEqual({ granted: false });
        expect(await store.takeSmsSlot(5, t0 + HOUR + MINUTE + 1)).toEqual({
          granted: true,
          heldBefore: { count: 1, since: t0 + HOUR + 2 },
        });
      });

      it('keeps a window per scope: one entity’s busy hour holds none of another’s SMS, nor tells of it', async () => {
        const t0 = hour + 5 * MINUTE;
        for (let i = 0; i < 5; i++) expect((await store.takeSmsSlot(5, t0 + i * MINUTE, 'krebs')).granted).toBe(true);
        expect(await store.takeSmsSlot(5, t0 + 5 * MINUTE, 'krebs')).toEqual({ granted: false });
        // Raffensperger's followers still get his alerts by SMS, without a note about Krebs's held one.
        expect(await store.takeSmsSlot(5, t0 + 6 * MINUTE, 'raffensperger')).toEqual({ granted: true });
        expect(await store.takeSmsSlot(5, t0 + 7 * MINUTE)).toEqual({ granted: true });
        // Krebs's next SMS tells his held one.
        expect(await store.takeSmsSlot(5, t0 + HOUR + 1, 'krebs')).toEqual({
          granted: true,
          heldBefore: { count: 1, since: t0 + 5 * MINUTE },
        });
      });

      it('sends no second burst when a clock hour ends: five at 14:56-14:59 hold the sixth at 15:01', async () => {
        for (let i = 0; i < 5; i++)
          expect((await store.takeSmsSlot(5, hour + HOUR - 4 * MINUTE + i * 30_000)).granted).toBe(true);
        expect(await store.takeSmsSlot(5, hour + HOUR + MINUTE)).toEqual({ granted: false });
        expect((await store.takeSmsSlot(5, hour + 2 * HOUR - 3 * MINUTE)).granted).toBe(true);
      });

      it('forgets a held-back count after a day', async () => {
        expect(await store.takeSmsSlot(0, hour)).toEqual({ granted: false });
        expect(await store.takeSmsSlot(1, hour + 25 * HOUR)).toEqual({ granted: true });
        expect(await store.takeSmsSlot(0, hour + 26 * HOUR)).toEqual({ granted: false });
        expect(await store.takeSmsSlot(1, hour + 27 * HOUR)).toEqual({
          granted: true,
          heldBefore: { count: 1, since: hour + 26 * HOUR },
        });
      });

      it('grants exactly `limit` slots to concurrent pollers, and tells each held-back alert exactly once', async () => {
        const peer = harness.peer ?? store;
        const slots = await Promise.all(
          Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? store : peer).takeSmsSlot(5, hour + i)),
        );
        expect(slots.filter((slot) => slot.granted)).toHaveLength(5);
        slots.push(await store.takeSmsSlot(5, hour + HOUR + 8));
        // A grant racing the holds may tell some of them already; over all grants each is told once.
        const told = slots.reduce((sum, slot) => sum + (slot.granted ? (slot.heldBefore?.count ?? 0) : 0), 0);
        expect(told).toBe(3);
      });
    });
  });
}
