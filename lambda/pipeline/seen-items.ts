// The matching items a feed's last document held and the poll dealt with: read again, each is done, rewritten since,
// or naming entities it did not then (the watchlist gained one).
import { type DealtWith, dealtWith, seenParts } from '../core/identity';

export type SeenBefore = { kind: 'unseen' } | DealtWith;

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
    const { key, headline, entities } = seenParts(seen);
    return dealtWith(this.byKey.get(key) ?? [], headline ?? '', entities) ?? { kind: 'unseen' };
  }
}
