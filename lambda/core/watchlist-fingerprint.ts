// What a feed's last full read was matched against: a changed watchlist must see the items an unchanged feed holds.
import { createHash } from 'node:crypto';
import type { Entity } from './types';

/** A short hash of the entities (names, aliases, context, excludes, topics): equal watchlists, equal fingerprints. */
export function watchlistFingerprint(entities: readonly Entity[]): string {
  return createHash('sha256').update(JSON.stringify(entities)).digest('hex').slice(0, 12);
}
