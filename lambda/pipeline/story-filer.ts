// One story filer per poller: items are claimed and filed one at a time, over the term table read once from the store.
import { type StoryContext, storyContext } from '../core/story';
import { TermRarity } from '../core/term-rarity';
import type { StateStore } from '../ports';
import type { PendingAlert } from './find-alerts';
import type { PollOptions } from './types';

/** A long-lived poller saves its reading at most this often, unless it read this many documents since its last save. */
const RARITY_SAVE_INTERVAL_MS = 15 * 60_000;
const RARITY_SAVE_DOCS = 2_000;
/** Story alerts remembered after they settle, at most: a warm Lambda's table of them must not grow without end. */
const MAX_CARRIERS = 10_000;
/** When each long-lived term table was last saved. */
const raritySavedAt = new WeakMap<TermRarity, number>();

/**
 * Runs the claim and story filing of one item at a time, so feeds polled side by side in this process see each
 * other's stories (a story carried by two feeds that answer at once still alerts once).
 */
export interface StoryFiler {
  serially<T>(work: () => Promise<T>): Promise<T>;
  /** The watchlist's names and the term table, read from the store on first use. */
  context(): Promise<StoryContext>;
  /** Adds what was read to the store's term table; nothing for a store without one (a dry run's). */
  saveRarity(now: number, always: boolean): Promise<void>;
  /** The first alert of each story claimed in this process, by story id: later reports of the story ride along in it. */
  readonly inFlight: ReadonlyMap<string, PendingAlert>;
  carry(alert: PendingAlert): void;
}

export function storyFiler(state: StateStore, options: PollOptions): StoryFiler {
  let previous: Promise<unknown> = Promise.resolve();
  const rarity = options.rarity ?? new TermRarity();
  let context: Promise<StoryContext> | undefined;
  const inFlight = new Map<string, PendingAlert>();
  return {
    inFlight,
    carry(pending) {
      if (inFlight.size >= MAX_CARRIERS) {
        for (const [id, settled] of inFlight) if (settled.settled) inFlight.delete(id);
      }
      if (pending.alert.storyId !== undefined) inFlight.set(pending.alert.storyId, pending);
    },
    serially(work) {
      const run = previous.then(work);
      previous = run.catch(() => undefined);
      return run;
    },
    context() {
      context ??= loadRarity(state, rarity).then(() => storyContext(options.entities, rarity));
      return context;
    },
    async saveRarity(now, always) {
      if (!state.addTermCounts || rarity.pendingDocs === 0) return;
      const due = now - (raritySavedAt.get(rarity) ?? Number.NEGATIVE_INFINITY) >= RARITY_SAVE_INTERVAL_MS;
      if (!always && !due && rarity.pendingDocs < RARITY_SAVE_DOCS) return;
      raritySavedAt.set(rarity, now);
      await state.addTermCounts(rarity.takeAdded());
    },
  };
}

/** Reads the store's term table into `rarity` once per table (a warm Lambda keeps its table across batches). */
const loadedRarity = new WeakSet<TermRarity>();
async function loadRarity(state: StateStore, rarity: TermRarity): Promise<void> {
  if (loadedRarity.has(rarity) || !state.loadTermCounts) return;
  loadedRarity.add(rarity);
  const stored = await state.loadTermCounts();
  if (stored) rarity.add(stored);
}
