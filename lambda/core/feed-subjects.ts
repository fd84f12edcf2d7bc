// Which tracked entities a feed's own search names in full: every item it serves is about them somewhere.
import { foldPhrase } from './text-fold';
import type { Entity, FeedConfig } from './types';

/** Search operators that narrow a Google News query without widening what it must contain. */
const NARROWING = /^(?:when:\S+|after:\S+|before:\S+|-\S+)$/u;

/**
 * The entities whose full name every item of `feed` contains: the watchlist's `about`, or else, for a Google News
 * search whose query is only quoted phrases joined by OR, each an alias of two words or more of one entity ("Chris
 * Krebs" OR "Christopher Krebs"). A one-word alias ("Raffensperger") or a loose word says no more than the headline.
 */
export function feedSubjects(feed: FeedConfig, entities: readonly Entity[]): string[] {
  if (feed.about) return feed.about;
  if (!URL.canParse(feed.url)) return [];
  const url = new URL(feed.url);
  if (url.hostname !== 'news.google.com' || !url.pathname.startsWith('/rss/search')) return [];
  const query = url.searchParams.get('q') ?? '';
  const phrases: string[] = [];
  // Quoted phrases, OR between them, narrowing operators; anything else widens the search.
  const rest = query
    .replace(/"([^"]+)"/gu, (_, phrase: string) => {
      phrases.push(phrase);
      return ' ';
    })
    .split(/\s+/u)
    .filter((token) => token !== '' && token !== 'OR' && !NARROWING.test(token));
  if (phrases.length === 0 || rest.length > 0) return [];
  const owners = new Set<string>();
  const ownerOf = fullNameOwners(entities);
  for (const phrase of phrases) {
    const owner = ownerOf.get(foldPhrase(phrase));
    if (!owner) return [];
    owners.add(owner);
  }
  return owners.size === 1 ? [...owners] : [];
}

/** Folded aliases of two words or more -> the first entity with it, once per watchlist (each feed's poll reads it). */
const ownersByWatchlist = new WeakMap<readonly Entity[], ReadonlyMap<string, string>>();
function fullNameOwners(entities: readonly Entity[]): ReadonlyMap<string, string> {
  let owners = ownersByWatchlist.get(entities);
  if (!owners) {
    const byAlias = new Map<string, string>();
    for (const entity of entities) {
      for (const alias of entity.aliases) {
        const folded = foldPhrase(alias);
        if (alias.trim().includes(' ') && !byAlias.has(folded)) byAlias.set(folded, entity.id);
      }
    }
    owners = byAlias;
    ownersByWatchlist.set(entities, owners);
  }
  return owners;
}
