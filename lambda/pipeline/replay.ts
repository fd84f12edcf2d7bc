// Replaying archived items through a watchlist (`news-alerts backtest`): the poll's own pieces, sending nothing.
import type { ArchivedItem } from '../core/archive';
import type { Alert, FeedConfig, NormalizedItem } from '../core/types';
import type { DocumentReader, FeedSource, StateStore } from '../ports';
import { RecordingSink } from './dry-run';
import { pollerOver } from './poll-feed';
import type { PollOptions } from './types';

/**
 * The alerts a watchlist (`options`: its matcher and entities) would have sent for these items: each feed's items of one
 * read time polled as one document, in read order, claimed and filed on stories in `state`, which the caller gives
 * fresh and in memory (the replay writes nowhere else). `entries`: each item once, oldest read first (firstReads).
 * Every item counts, however old: there is no first-poll backfill in a replay.
 */
export async function replayArchive(
  entries: readonly ArchivedItem[],
  state: StateStore,
  options: Omit<PollOptions, 'dryRun' | 'force' | 'smsPerHour'>,
): Promise<Alert[]> {
  let document: NormalizedItem[] = [];
  let readAt = 0;
  // The document is the batch being replayed: no bytes travel, the reader hands over the items as they were read.
  const source: FeedSource = { fetch: async ({ url }) => ({ kind: 'ok', body: new Uint8Array(), finalUrl: url }) };
  const reader: DocumentReader = { read: async () => ({ items: document, ms: 0 }) };
  const sink = new RecordingSink();
  const poll = pollerOver({ source, reader, state, sink, clock: { now: () => readAt } }, { ...options, force: true });
  for (const batch of batches(entries)) {
    document = batch.items;
    readAt = batch.readAt;
    const feed: FeedConfig = { url: batch.feedUrl, name: batch.feedName };
    // Not a first poll, so nothing is recorded silently; no item keys, so every item is asked of the store.
    const outcome = await poll(feed, { url: feed.url, firstPolledAt: readAt, consecutiveFailures: 0 });
    if (outcome.status === 'error') throw new Error(`replaying ${feed.url}: ${outcome.error}`);
  }
  return sink.alerts;
}

interface Batch {
  feedUrl: string;
  feedName: string;
  readAt: number;
  items: NormalizedItem[];
}

/** One batch per feed and read time, in read order. */
function batches(entries: readonly ArchivedItem[]): Batch[] {
  const byRead = new Map<string, Batch>();
  for (const entry of entries) {
    const id = `${entry.readAt}\n${entry.feedUrl}`;
    let batch = byRead.get(id);
    if (batch === undefined) {
      batch = { feedUrl: entry.feedUrl, feedName: entry.feedName, readAt: entry.readAt, items: [] };
      byRead.set(id, batch);
    }
    batch.items.push(entry.item);
  }
  return [...byRead.values()].sort((a, b) => a.readAt - b.readAt);
}
