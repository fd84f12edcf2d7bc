// The matching items a feed's last document held and the poll dealt with: read again, each is done, rewritten since,
// or naming entities it did not then (the watchlist gained one).
import { seenParts } from '../core/identity';

export type SeenBefore =
  | { kind: 'unseen' }
  | { kind: 'done' }
  /** Dealt with under another headline only: rewritten in place. */
  | { kind: 'rewritten' }
  /** Dealt with under this headline, for fewer entities than it names now: `entities` are the ones it did not. */
  | { kind: 'more-entities'; entities: string[] };

export class SeenItems {
  private readonly byKey = new Map<string, { headline?: string; entities?: string[] }[]>();

  /** `entries`: FeedState.itemKeys, as seenKey wrote them (or shorter, from before). */
  constructor(entries: readonly string[] = []) {
    for (const entry of entries) {
      const { key, ...seen } = seenParts(entry);
      this.byKey.set(key, [...(this.byKey.get(key) ?? []), seen]);
    }
  }

  /** What the feed knew of the item it now reads as `seen` (its seenKey). */
  lookup(seen: string): SeenBefore {
    const { key, headline, entities: entityIds = [] } = seenParts(seen);
    const earlier = this.byKey.get(key);
    if (earlier === undefined) return { kind: 'unseen' };
    const same = earlier.filter((entry) => entry.headline === undefined || entry.headline === headline);
    if (same.length === 0) return { kind: 'rewritten' };
    if (same.some((entry) => entry.entities === undefined)) return { kind: 'done' };
    const named = new Set(same.flatMap((entry) => entry.entities ?? []));
    const more = entityIds.filter((id) => !named.has(id));
    return more.length === 0 ? { kind: 'done' } : { kind: 'more-entities', entities: more };
  }
}
