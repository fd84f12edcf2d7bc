// In-memory StateStore: the reference semantics of the state port, for tests and the demo; the file store extends it.
import type { ClaimOutcome, FeedState, ItemRecord, StateStore } from '../ports';

export interface StoredItem {
  /** 'recorded': done without an alert (first-poll backfill). */
  status: 'claimed' | 'sent' | 'recorded';
  feedUrl: string;
  title: string;
  aliasKeys: string[];
  /** ms since epoch; only while claimed. */
  leaseUntil?: number;
  sentAt?: number;
  alertId?: string;
  /** ms since epoch after which the item is forgotten, as DynamoDB's TTL forgets it in AWS. */
  expiresAt: number;
}

/** Everything a store holds, as plain JSON (the file store's format). */
export interface StateSnapshot {
  version: 1;
  feeds: FeedState[];
  /** Item key -> item. */
  items: Record<string, StoredItem>;
  /** Alias key (canonical link, title fingerprint) -> the key of the item it was first seen on. */
  aliases: Record<string, string>;
}

export interface StateStoreOptions {
  /** Days an item is remembered after it was last written (default 90, like the DynamoDB table's TTL). */
  itemTtlDays?: number;
}

const DAY_MS = 86_400_000;
/** Forgetting expired items is a sweep over all of them, so do it at most this often. */
const PRUNE_EVERY_MS = 3_600_000;

export class MemoryStateStore implements StateStore {
  private feeds = new Map<string, FeedState>();
  private items = new Map<string, StoredItem>();
  private aliases = new Map<string, string>();
  private readonly itemTtlMs: number;
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(options: StateStoreOptions = {}) {
    this.itemTtlMs = (options.itemTtlDays ?? 90) * DAY_MS;
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
    await this.changed();
  }

  async claimItem(item: ItemRecord, now: number, leaseMs: number): Promise<ClaimOutcome> {
    await this.ready();
    const known = this.related(item, now);
    if (known.some((stored) => stored.status !== 'claimed')) return 'done';
    if (known.some((stored) => (stored.leaseUntil ?? 0) > now)) return 'busy';
    this.store(item, now, { status: 'claimed', leaseUntil: now + leaseMs });
    await this.changed();
    return 'claimed';
  }

  async markSent(item: ItemRecord, now: number, alertId: string): Promise<void> {
    await this.ready();
    this.store(item, now, { status: 'sent', sentAt: now, alertId });
    await this.changed();
  }

  async releaseClaim(item: ItemRecord): Promise<void> {
    await this.ready();
    if (this.items.get(item.identity.key)?.status !== 'claimed') return;
    this.forget(item.identity.key);
    await this.changed();
  }

  async recordSilently(item: ItemRecord, now: number): Promise<void> {
    await this.ready();
    if (this.items.get(item.identity.key)?.status === 'sent') return;
    this.store(item, now, { status: 'recorded' });
    await this.changed();
  }

  async isItemDone(item: ItemRecord, now: number): Promise<boolean> {
    await this.ready();
    return this.related(item, now).some((stored) => stored.status !== 'claimed');
  }

  /** A deep copy of everything held, for persisting. */
  protected snapshot(): StateSnapshot {
    return structuredClone({
      version: 1,
      feeds: [...this.feeds.values()],
      items: Object.fromEntries(this.items),
      aliases: Object.fromEntries(this.aliases),
    });
  }

  protected restore(snapshot: StateSnapshot): void {
    this.feeds = new Map(snapshot.feeds.map((state) => [state.url, state]));
    this.items = new Map(Object.entries(snapshot.items));
    this.aliases = new Map(Object.entries(snapshot.aliases));
  }

  /** Called before every operation (the file store loads its file here). */
  protected async ready(): Promise<void> {}

  /** Called after every change (the file store saves here). */
  protected async changed(): Promise<void> {}

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
      feedUrl: item.feedUrl,
      title: item.title,
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
}
