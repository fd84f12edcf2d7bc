// In-memory StateStore: the reference semantics of the state port, for tests and the demo; the file store extends it.

import type { ArchivedItem, ArchiveLimits } from '../core/archive';
import type { KnownAlert, Verdict } from '../core/feedback';
import { takeFromWindow } from '../core/sms-window';
import {
  addToStory,
  DIGEST_LOOKBACK_MS,
  FOLLOW_UP_HORIZON_MS,
  recordedIn,
  type StoryHeadline,
  type StoryRecord,
  type StoryRef,
} from '../core/story';
import { mergeTermCounts, type TermCounts } from '../core/term-rarity';
import type { LearnedTopic } from '../core/topic-profile';
import { withoutUndefined } from '../core/without-undefined';
import type {
  ArchiveSource,
  ClaimOutcome,
  FeedbackSource,
  FeedState,
  ItemArchive,
  ItemRecord,
  PendingVerdict,
  SmsSlot,
  StateStore,
  StoryItemWrite,
} from '../ports';
import { ArchiveShelf } from './archive-shelf';
import {
  addBandRows,
  deepFreeze,
  doneOutcome,
  type Expiring,
  emptyStories,
  firstIndex,
  headlineIndexOf,
  insertHeadline,
  knownAlertsOf,
  pruneStoryRows,
  type StateChange,
  type StateSnapshot,
  type StoredItem,
  type StorySnapshot,
  withoutExpiry,
} from './memory-state-snapshot';
import * as verdictRows from './memory-verdict-rows';

export interface StateStoreOptions {
  /** Days an item is remembered after it was last written (default 90, like the DynamoDB table's TTL). */
  itemTtlDays?: number;
  /** How long and how many bytes of the items read are kept for `backtest` (default 14 days, 32 MB). */
  archive?: ArchiveLimits;
}

const DAY_MS = 86_400_000;
/** Forgetting expired items is a sweep over all of them, so do it at most this often. */
const PRUNE_EVERY_MS = 3_600_000;

export class MemoryStateStore implements StateStore, FeedbackSource, ItemArchive, ArchiveSource {
  private feeds = new Map<string, FeedState>();
  private items = new Map<string, StoredItem>();
  private aliases = new Map<string, string>();
  private stories: StorySnapshot = emptyStories();
  private termCounts: TermCounts | undefined;
  private topics = new Map<string, LearnedTopic>();
  private verdicts: verdictRows.VerdictRows = {};
  protected readonly archive: ArchiveShelf;
  private readonly itemTtlMs: number;
  private prunedAt = Number.NEGATIVE_INFINITY;
  private storiesPrunedAt = Number.NEGATIVE_INFINITY;
  /** Each entity's headlines newest first, built on first use and kept in step by writes (a sort per story was n^2). */
  private headlineIndex: Map<string, Expiring<StoryHeadline>[]> | undefined;

  constructor(options: StateStoreOptions = {}) {
    this.itemTtlMs = (options.itemTtlDays ?? 90) * DAY_MS;
    this.archive = new ArchiveShelf(options.archive);
  }

  async getFeed(url: string): Promise<FeedState | undefined> {
    await this.ready();
    const state = this.feeds.get(url);
    return state && structuredClone(state);
  }

  async listFeeds(): Promise<FeedState[]> {
    await this.ready();
    return [...this.feeds.values()].map((state) => structuredClone(state));
  }

  async putFeed(state: FeedState): Promise<void> {
    await this.ready();
    this.feeds.set(state.url, structuredClone(state));
    this.changed({ op: 'putFeed', args: [state] });
  }

  async claimItem(item: ItemRecord, now: number, leaseMs: number): Promise<ClaimOutcome> {
    await this.ready();
    const known = this.related(item, now);
    const done = doneOutcome(known, item);
    if (done) return done;
    if (known.some((stored) => (stored.leaseUntil ?? 0) > now)) return 'busy';
    this.store(item, now, { status: 'claimed', leaseUntil: now + leaseMs });
    this.changed({ op: 'claimItem', args: [item, now, leaseMs] });
    return 'claimed';
  }

  async markSent(item: ItemRecord, now: number, alertId: string): Promise<void> {
    await this.ready();
    this.store(item, now, { status: 'sent', sentAt: now, alertId });
    this.changed({ op: 'markSent', args: [item, now, alertId] });
  }

  async markStoryAlerted(storyId: string): Promise<void> {
    await this.ready();
    const story = this.stories.records[storyId];
    if (story?.alerted !== false) return;
    story.alerted = true;
    this.changed({ op: 'markStoryAlerted', args: [storyId] });
  }

  async releaseClaim(item: ItemRecord): Promise<void> {
    await this.ready();
    if (this.items.get(item.identity.key)?.status !== 'claimed') return;
    this.forget(item.identity.key);
    this.changed({ op: 'releaseClaim', args: [item] });
  }

  async recordSilently(item: ItemRecord, now: number): Promise<void> {
    await this.ready();
    if (this.items.get(item.identity.key)?.status === 'sent') return;
    this.store(item, now, { status: 'recorded' });
    this.changed({ op: 'recordSilently', args: [item, now] });
  }

  async isItemDone(item: ItemRecord, now: number): Promise<boolean> {
    await this.ready();
    return doneOutcome(this.related(item, now), item) === 'done';
  }

  async findStoryRefs(bandKeys: string[]): Promise<StoryRef[]> {
    await this.ready();
    // Refs are frozen when stored, so they are handed out without a deep copy (each lookup reads dozens of them).
    return bandKeys.flatMap((key) => {
      const refId = this.stories.bands[key];
      const band = refId === undefined ? undefined : this.stories.bandRefs[refId];
      return band ? [withoutExpiry(band)] : [];
    });
  }

  async saveStoryItem(write: StoryItemWrite): Promise<StoryRecord | undefined> {
    await this.ready();
    this.pruneStories(write.ref.seenAt);
    const { records, headlines } = this.stories;
    let story: StoryRecord;
    // Headline rows: one per entity when a story starts, one per entity a join is the first to name.
    const indexUnder = (entityIds: readonly string[], { id, title, entities, firstSeenAt }: StoryRecord) => {
      for (const entityId of entityIds) {
        headlines[entityId] ??= {};
        const replaced = headlines[entityId][id] !== undefined;
        const row = { id, title, entities, firstSeenAt, expiresAt: firstSeenAt + FOLLOW_UP_HORIZON_MS };
        headlines[entityId][id] = row;
        this.indexHeadline(entityId, row, replaced);
      }
    };
    if (write.kind === 'start') {
      const existing = records[write.story.id];
      story = existing ? withoutExpiry(existing) : write.story;
      indexUnder(write.story.entities, write.story);
    } else {
      const existing = records[write.storyId];
      if (!existing) return undefined;
      story = addToStory(withoutExpiry(existing), write.source, write.entities);
      indexUnder(write.addedEntities ?? [], story);
    }
    records[story.id] = structuredClone({ ...story, expiresAt: story.lastSeenAt + FOLLOW_UP_HORIZON_MS });
    addBandRows(this.stories, write.bandKeys, write.ref);
    this.changed({ op: 'saveStoryItem', args: [write] });
    return structuredClone(story);
  }

  async recentHeadlines(entityId: string, since: number, until: number, limit: number): Promise<StoryHeadline[]> {
    await this.ready();
    const newest = this.headlinesNewestFirst().get(entityId) ?? [];
    const found: StoryHeadline[] = [];
    for (let at = firstIndex(newest, (row) => row.firstSeenAt <= until); at < newest.length; at++) {
      const headline = newest[at]!;
      if (headline.firstSeenAt < since || found.length === limit) break;
      found.push(structuredClone(withoutExpiry(headline)));
    }
    return found;
  }

  async storiesBetween(entityIds: string[], from: number, to: number): Promise<StoryRecord[]> {
    await this.ready();
    const ids = new Set<string>();
    for (const entityId of entityIds) {
      for (const headline of Object.values(this.stories.headlines[entityId] ?? {})) {
        if (headline.firstSeenAt >= from - DIGEST_LOOKBACK_MS && headline.firstSeenAt < to) ids.add(headline.id);
      }
    }
    return [...ids]
      .flatMap((id) => {
        const record = this.stories.records[id];
        return record && recordedIn(record, from, to) ? [structuredClone(withoutExpiry(record))] : [];
      })
      .sort((a, b) => a.firstSeenAt - b.firstSeenAt || (a.id < b.id ? -1 : 1));
  }

  async takeSmsSlot(limit: number, now: number, scope?: string): Promise<SmsSlot> {
    await this.ready();
    const window =
      scope === undefined
        ? { sent: this.stories.smsSent ?? [], held: this.stories.smsHeld }
        : (this.stories.smsScopes?.[scope] ?? { sent: [] });
    const { next, slot } = takeFromWindow(window, limit, now);
    if (scope === undefined) {
      this.stories.smsSent = next.sent;
      this.stories.smsHeld = next.held;
    } else {
      this.stories.smsScopes = { ...this.stories.smsScopes, [scope]: withoutUndefined(next) };
    }
    this.changed({ op: 'takeSmsSlot', args: scope === undefined ? [limit, now] : [limit, now, scope] });
    return slot;
  }

  async loadTermCounts(): Promise<TermCounts | undefined> {
    await this.ready();
    return this.termCounts && structuredClone(this.termCounts);
  }

  async addTermCounts(added: TermCounts): Promise<void> {
    await this.ready();
    this.termCounts = mergeTermCounts(this.termCounts, added);
    this.changed({ op: 'addTermCounts', args: [added] });
  }

  async loadTopics(): Promise<LearnedTopic[]> {
    await this.ready();
    return [...this.topics.values()].map((profile) => structuredClone(profile));
  }

  async saveTopic(profile: LearnedTopic, basedOn: number | undefined): Promise<boolean> {
    await this.ready();
    if (this.topics.get(profile.entityId)?.updatedAt !== basedOn) return false;
    this.topics.set(profile.entityId, structuredClone(profile));
    this.changed({ op: 'saveTopic', args: [profile, basedOn] });
    return true;
  }

  async recordVerdict(verdict: Verdict): Promise<'recorded' | 'already-recorded'> {
    await this.ready();
    if (!verdictRows.record(this.verdicts, verdict)) return 'already-recorded';
    this.changed({ op: 'recordVerdict', args: [verdict] });
    return 'recorded';
  }

  async verdictsFor(entityIds: string[]): Promise<Verdict[]> {
    await this.ready();
    return verdictRows.listed(this.verdicts, entityIds);
  }

  async pendingVerdicts(): Promise<PendingVerdict[]> {
    await this.ready();
    return verdictRows.pending(this.verdicts, this.items.values());
  }

  async settleVerdicts(verdicts: Verdict[]): Promise<void> {
    await this.ready();
    if (verdictRows.settle(this.verdicts, verdicts)) this.changed({ op: 'settleVerdicts', args: [verdicts] });
  }

  /** Sent items with their alert ids and entities (all of them: a local state holds few). */
  async knownAlerts(_entityIds?: string[]): Promise<KnownAlert[]> {
    await this.ready();
    return knownAlertsOf(this.items.values(), this.stories.records);
  }

  /** Keeps the items not archived yet, as first read; only those are passed on as a change. */
  async archiveItems(entries: ArchivedItem[]): Promise<void> {
    await this.ready();
    const added = this.archive.add(entries);
    if (added.length > 0) this.changed({ op: 'archiveItems', args: [added] });
  }

  async archivedItems(since: number): Promise<ArchivedItem[]> {
    await this.ready();
    return structuredClone(this.archive.since(since));
  }

  /** Everything held, as plain JSON sharing the live objects: to be serialized at once, never kept or changed. */
  protected snapshotView(): StateSnapshot {
    return {
      version: 1,
      feeds: [...this.feeds.values()],
      items: Object.fromEntries(this.items),
      aliases: Object.fromEntries(this.aliases),
      stories: this.stories,
      ...(this.termCounts && { termCounts: this.termCounts }),
      ...(this.topics.size > 0 && { topics: Object.fromEntries(this.topics) }),
      ...(Object.keys(this.verdicts).length > 0 && { verdicts: this.verdicts }),
      ...(this.archive.bytes > 0 && { archive: this.archive.list() }),
    };
  }

  protected restore(snapshot: StateSnapshot): void {
    this.feeds = new Map(snapshot.feeds.map((state) => [state.url, state]));
    this.items = new Map(Object.entries(snapshot.items));
    this.aliases = new Map(Object.entries(snapshot.aliases));
    this.stories = snapshot.stories ?? emptyStories();
    this.termCounts = snapshot.termCounts;
    this.topics = new Map(Object.entries(snapshot.topics ?? {}));
    this.verdicts = snapshot.verdicts ?? {};
    this.archive.restore(snapshot.archive);
    for (const ref of Object.values(this.stories.bandRefs)) deepFreeze(ref);
    this.headlineIndex = undefined;
  }

  /** Called before every operation (the file store loads its file here). */
  protected async ready(): Promise<void> {}

  /**
   * Called right after every change, in the order the changes were made, with the call that made it: replaying the
   * calls in that order rebuilds the state (the file store journals them here).
   */
  protected changed(_change: StateChange): void {}

  /** Live items known under the item's key or any of its alias keys, whichever item first used them. */
  private related(item: ItemRecord, now: number): StoredItem[] {
    const keys = new Set<string>();
    for (const key of [item.identity.key, ...item.identity.aliasKeys]) {
      keys.add(key);
      const owner = this.aliases.get(key);
      if (owner !== undefined) keys.add(owner);
    }
    return [...keys]
      .map((key) => this.items.get(key))
      .filter((stored): stored is StoredItem => stored !== undefined && stored.expiresAt > now);
  }

  private store(
    item: ItemRecord,
    now: number,
    fields: Pick<StoredItem, 'status' | 'leaseUntil' | 'sentAt' | 'alertId'>,
  ): void {
    this.prune(now);
    const { key, aliasKeys } = item.identity;
    const stored: StoredItem = {
      ...fields,
      ...(item.storyId === undefined ? {} : { storyId: item.storyId }),
      feedUrl: item.feedUrl,
      title: item.title,
      ...(item.alerted && { alerted: item.alerted }),
      ...(item.entities && { entities: [...item.entities] }),
      aliasKeys: [...aliasKeys],
      expiresAt: now + this.itemTtlMs,
    };
    this.items.set(key, stored);
    for (const alias of aliasKeys) {
      // An alias keeps pointing at the live item that claimed it first, so a changed GUID still finds that item.
      const owner = this.aliases.get(alias);
      if (owner === undefined || owner === key || !this.items.has(owner)) this.aliases.set(alias, key);
    }
  }

  private forget(key: string): void {
    const stored = this.items.get(key);
    this.items.delete(key);
    for (const alias of stored?.aliasKeys ?? []) {
      if (this.aliases.get(alias) === key) this.aliases.delete(alias);
    }
  }

  private prune(now: number): void {
    if (now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    for (const [key, stored] of this.items) {
      if (stored.expiresAt <= now) this.forget(key);
    }
  }

  /** Forgets story rows past their TTL, as DynamoDB does in its own time; `now` may lag the clock, never lead it. */
  private pruneStories(now: number): void {
    if (now - this.storiesPrunedAt < PRUNE_EVERY_MS) return;
    this.storiesPrunedAt = now;
    pruneStoryRows(this.stories, now);
    this.headlineIndex = undefined;
  }

  private headlinesNewestFirst(): Map<string, Expiring<StoryHeadline>[]> {
    this.headlineIndex ??= headlineIndexOf(this.stories.headlines);
    return this.headlineIndex;
  }

  /** Puts a written headline in its place in the index, if the index is built; `replaced`: one with its id was there. */
  private indexHeadline(entityId: string, row: Expiring<StoryHeadline>, replaced: boolean): void {
    if (this.headlineIndex !== undefined) insertHeadline(this.headlineIndex, entityId, row, replaced);
  }
}
