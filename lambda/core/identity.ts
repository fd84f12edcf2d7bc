// Item identity across polls: a primary key (GUID, else link, else title + date) and alias keys that survive
// changed GUIDs and re-tagged links.
import { createHash } from 'node:crypto';
import { entitySetKey } from './entity-set';
import { canonicalUrl } from './normalize';
import type { ItemIdentity, NormalizedItem } from './types';

/** Hex digits of SHA-256 kept in a key: 64 bits, no collision at any realistic number of items. */
const KEY_HASH_CHARS = 16;
/**
 * A title fingerprint becomes an alias key only with at least this many words: short titles repeat ("Morning
 * briefing", "Podcast") and a shared alias would silence the next, different item.
 */
const MIN_FINGERPRINT_WORDS = 5;

/**
 * Keys for an item: `g:` from the GUID (a GUID that is just the link counts as the link), else `l:` from the
 * canonical link, else `t:` from the title fingerprint and date. Alias keys: the `l:` key and an `f:` key of the title
 * fingerprint and day, so an item whose GUID changes or whose link gains tracking parameters is still the same item.
 */
export function itemIdentity(item: NormalizedItem): ItemIdentity {
  const linkKey = item.canonicalLink ? `l:${hash(item.canonicalLink)}` : undefined;
  const fingerprint = titleFingerprint(item.title);
  const fingerprintKey = fingerprintKeyOf(fingerprint, item.publishedAt);

  const guid = item.guid?.trim();
  const guidIsLink =
    guid !== undefined && item.canonicalLink !== undefined && canonicalUrl(guid) === item.canonicalLink;
  const key =
    guid && !guidIsLink
      ? `g:${hash(guidScope(guid, item))}`
      : (linkKey ?? `t:${hash(`${fingerprint || untitledFingerprint(item)}|${item.publishedAt ?? ''}`)}`);

  const aliasKeys = [linkKey, fingerprintKey].filter((alias): alias is string => alias !== undefined && alias !== key);
  return { key, aliasKeys };
}

/** Hex digits of a headline's hash in a remembered key: enough to tell one feed item's wordings apart. */
const HEADLINE_HASH_CHARS = 8;

/**
 * How a feed remembers a matching item it dealt with: its key, its headline and the entities it named
 * (`key@headline@cisa,krebs`), so the same item with a headline rewritten in place, or naming an entity added to the
 * watchlist since, is told from the one already read. Entries written before keep less (`key@headline`, or the key
 * alone) and match the item under any headline or entities they do not name.
 */
export function seenKey(identity: ItemIdentity, title: string, entityIds?: readonly string[]): string {
  const entities = entityIds === undefined ? '' : `@${entitySetKey(entityIds)}`;
  return `${identity.key}@${headlineOf(title)}${entities}`;
}

/** The parts of a remembered entry: its key, and its headline and entities when it keeps them. */
export function seenParts(entry: string): { key: string; headline?: string; entities?: string[] } {
  const [key = '', headline, entities] = entry.split('@');
  return {
    key,
    ...(headline !== undefined && { headline }),
    ...(entities !== undefined && { entities: entities === '' ? [] : entities.split(',') }),
  };
}

/**
 * The identity of an item already dealt with that now names more entities (the watchlist gained one): a key per
 * entity set and no alias, so the item is filed again once, for the entities it did not alert before.
 */
export function rematchIdentity(identity: ItemIdentity, title: string, entityIds: readonly string[]): ItemIdentity {
  return { key: `m:${hash(`${identity.key}|${headlineOf(title)}|${entitySetKey(entityIds)}`)}`, aliasKeys: [] };
}

/** A short hash of a headline's fingerprint: what tells one wording of an item from another. */
export function headlineOf(title: string): string {
  return hash(titleFingerprint(title)).slice(0, HEADLINE_HASH_CHARS);
}

/**
 * The identity of a headline rewritten in place (same GUID or link, other words): a key per wording, so each wording
 * is claimed once and a new development told in it is filed on its story like any new item. Its alias is the new
 * headline's fingerprint, so a copy of that headline already dealt with elsewhere is not alerted twice.
 */
export function revisionIdentity(identity: ItemIdentity, item: NormalizedItem): ItemIdentity {
  const fingerprint = titleFingerprint(item.title);
  const fingerprintKey = fingerprintKeyOf(fingerprint, item.publishedAt);
  return {
    key: `r:${hash(`${identity.key}|${fingerprint}`)}`,
    aliasKeys: fingerprintKey === undefined ? [] : [fingerprintKey],
  };
}

/**
 * What a GUID is hashed with. URLs, tag: and urn: URIs and long ids are unique on their own; short ids (`12345`,
 * `t3_42tizy`) are unique only within one site, so they are scoped by the link's host (or the publisher).
 */
function guidScope(guid: string, item: NormalizedItem): string {
  if (/^(https?:|tag:|urn:)/i.test(guid) || guid.length >= 24) return guid;
  const host = item.canonicalLink ? new URL(item.canonicalLink).host : (item.publisher ?? '');
  return `${host}|${guid}`;
}

/**
 * The `f:` alias of a title fingerprint long enough to be one item's own, on the day the item was published: copies
 * of one report come out the same day, while a recurring title ("WATCH LIVE: Raffensperger holds news conference")
 * on another day is another item (and a copy a day late is the same story's, which filing joins).
 */
function fingerprintKeyOf(fingerprint: string, publishedAt: number | undefined): string | undefined {
  if (fingerprint.split(' ').length < MIN_FINGERPRINT_WORDS) return undefined;
  const day = publishedAt === undefined ? '' : `|${new Date(publishedAt).toISOString().slice(0, 10)}`;
  return `f:${hash(`${fingerprint}${day}`)}`;
}

/** An untitled item's stand-in for a title fingerprint: the start of its text, so untitled items do not collide. */
function untitledFingerprint(item: NormalizedItem): string {
  return titleFingerprint((item.summary || item.content).slice(0, 500));
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, KEY_HASH_CHARS);
}

/**
 * A trailing " - Publisher" as Google News writes it: at most four capitalised words, no digits (so "- Day 2" stays).
 * Longer tails are headlines ("- Trump Campaign Requests Second Recount"), and a series tail is the item's own.
 */
const PUBLISHER_WORD = String.raw`(?:\p{Lu}[\p{L}\p{N}.&'\u2019]*|of|the|and|for|from|de|la|le)`;
const PUBLISHER_SUFFIX = new RegExp(
  String.raw`\s[-\u2013\u2014|]\s${PUBLISHER_WORD}(?:(?:\s+|-)${PUBLISHER_WORD}){0,3}$`,
  'u',
);
/** Tail words of a recurring title, never of a publisher's name: "update - Tuesday", "Recount - Live Updates". */
const SERIES_TAIL =
  /\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|live|updates?|recap|highlights|episode)\b/i;

/**
 * A title reduced to what stays when feeds re-publish it: lower case, diacritics folded, apostrophes dropped,
 * other punctuation and symbols as spaces, whitespace collapsed, and a trailing Google News " - Publisher" removed.
 */
export function titleFingerprint(title: string): string {
  const trimmed = title.trim();
  const withoutPublisher = trimmed.replace(PUBLISHER_SUFFIX, (suffix) =>
    /\d/.test(suffix) || SERIES_TAIL.test(suffix) ? suffix : '',
  );
  return withoutPublisher
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['\u2019\u2018`\u00b4]/g, '')
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** What an item read again was dealt with as, by the records of it (a feed's remembered entries, the store's rows). */
export type DealtWith =
  | { kind: 'done' }
  /** Dealt with under other headlines only: rewritten in place, or another item sharing its key or link. */
  | { kind: 'rewritten' }
  /** Dealt with under this headline for fewer entities than it names now: `entities` are the ones it did not. */
  | { kind: 'more-entities'; entities: string[] };

/**
 * What `records` of an item say of it under `headline`: done when they told every entity it names (or keep no
 * headline, or no entities: written before those were kept), else the entities they did not; rewritten when they know
 * only other headlines; undefined when there are none.
 */
export function dealtWith(
  records: readonly { headline?: string; entities?: readonly string[] }[],
  headline: string,
  entityIds: readonly string[] = [],
): DealtWith | undefined {
  if (records.length === 0) return undefined;
  const same = records.filter((record) => record.headline === undefined || record.headline === headline);
  if (same.length === 0) return { kind: 'rewritten' };
  if (same.some((record) => record.entities === undefined)) return { kind: 'done' };
  const told = new Set(same.flatMap((record) => record.entities ?? []));
  const more = entityIds.filter((id) => !told.has(id));
  return more.length === 0 ? { kind: 'done' } : { kind: 'more-entities', entities: more };
}
