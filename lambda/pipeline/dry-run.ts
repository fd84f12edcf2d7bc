// The dry run as a composition: the poll runs as ever over a state store that writes nothing and a sink that records.
import type { StoryRecord } from '../core/story';
import type { LearnedTopic } from '../core/topic-profile';
import type { Alert } from '../core/types';
import type { AlertSink, ClaimOutcome, FeedState, ItemRecord, PublishResult, SmsSlot, StateStore } from '../ports';
import { PreviewStoryStore } from './preview-story-store';
import type { PollOptions, PollPorts } from './types';

/**
 * The ports a poll runs over: these, or for a dry run, reads that reach the real store, writes kept in memory and
 * alerts recorded instead of published.
 */
export function portsFor(ports: PollPorts, options: PollOptions): PollPorts {
  if (!options.dryRun) return ports;
  // Nor is anything archived: a preview writes nothing.
  return { ...ports, state: new ReadOnlyStateStore(ports.state), sink: new RecordingSink(), archive: undefined };
}

/**
 * Answers reads from the real store and keeps its own writes in memory, and the real store is left as it was: a feed's
 * new state, topic profiles and the stories filed in this preview (PreviewStoryStore), so later items cluster as in a
 * real poll.
 * Item records are not kept: the preview reports every matching item the real store has not dealt with, each time it
 * reads it. No `whileStartingStory` (a lease is a write), no `addTermCounts` and no `flush`: there is nothing to save.
 */
export class ReadOnlyStateStore extends PreviewStoryStore implements StateStore {
  private readonly feeds = new Map<string, FeedState>();
  private readonly topics = new Map<string, LearnedTopic>();

  constructor(private readonly real: StateStore) {
    super(real);
  }

  async getFeed(url: string): Promise<FeedState | undefined> {
    return this.feeds.get(url) ?? (await this.real.getFeed(url));
  }

  async listFeeds(): Promise<FeedState[]> {
    const stored = (await this.real.listFeeds()).filter((feed) => !this.feeds.has(feed.url));
    return [...stored, ...this.feeds.values()];
  }

  async putFeed(state: FeedState): Promise<void> {
    this.feeds.set(state.url, state);
  }

  /** 'done' when the real store dealt with the item, else 'claimed' (and nothing is written). */
  async claimItem(item: ItemRecord, now: number): Promise<ClaimOutcome> {
    return (await this.isItemDone(item, now)) ? 'done' : 'claimed';
  }

  async markSent(): Promise<void> {}

  async releaseClaim(): Promise<void> {}

  async recordSilently(): Promise<void> {}

  /** A real store without isItemDone makes the preview treat every matching item as new. */
  async isItemDone(item: ItemRecord, now: number): Promise<boolean> {
    return (await this.real.isItemDone?.(item, now)) ?? false;
  }

  /** A read ahead only: what the real store's claimItem would read, for isItemDone and findStoryRefs. */
  async prefetchItems(items: ItemRecord[], bandKeys?: string[]): Promise<void> {
    await this.real.prefetchItems?.(items, bandKeys);
  }

  storiesBetween(entityIds: string[], from: number, to: number): Promise<StoryRecord[]> {
    return this.real.storiesBetween(entityIds, from, to);
  }

  /** A preview sends no SMS, so it takes no slot and holds nothing back. */
  async takeSmsSlot(): Promise<SmsSlot> {
    return { granted: true };
  }

  async loadTermCounts() {
    return this.real.loadTermCounts?.();
  }

  async loadTopics(): Promise<LearnedTopic[]> {
    const stored = (await this.real.loadTopics()).filter((topic) => !this.topics.has(topic.entityId));
    return [...stored, ...this.topics.values()];
  }

  async saveTopic(profile: LearnedTopic): Promise<boolean> {
    this.topics.set(profile.entityId, profile);
    return true;
  }
}

/** Takes every alert, publishes none, and keeps them in `alerts` in the order they came. */
export class RecordingSink implements AlertSink {
  readonly alerts: Alert[] = [];

  async publish(alerts: Alert[]): Promise<PublishResult[]> {
    this.alerts.push(...alerts);
    return alerts.map((alert) => ({ alertId: alert.id, ok: true }));
  }
}
