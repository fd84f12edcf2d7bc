// Story clustering: which earlier story a new item reports (MinHash/LSH candidates, verified by term overlap), follow-ups.
import { fnv1a32, minHash } from './minhash';
import { foldPhrase } from './text-fold';

/** Items this close in time (to a story's latest item) can join it. */
export const STORY_WINDOW_MS = 72 * 3600_000;
/** A new story names the most recent earlier story of its entities from this far back. */
export const FOLLOW_UP_HORIZON_MS = 30 * 24 * 3600_000;
/** How many MinHash values make one band key (rows), and how many band keys an item has per entity. */
export interface LshLayout {
  bands: number;
  rows: number;
}
/**
 * One value per band: rewritten headlines of one event share only a fifth to a third of their terms, and a band of
 * two values would find such a pair with probability 1-(1-s^2)^bands (0.48 at s=0.25 with 10 bands) against
 * 1-(1-s)^16 (0.99) here. Measured on the tuning set in docs/stories.md.
 */
export const STORY_LSH: LshLayout = { bands: 16, rows: 1 };
/** Similarity at or above which an item joins a candidate story (chosen on the tuning set, see docs/stories.md). */
export const STORY_THRESHOLD = 0.25;
/**
 * ...and at least this similar to the story's first item, so a chain of items each close to the last cannot drift
 * into a different event (a deputy's resignation "a day after Krebs firing" joining the firing).
 */
export const ORIGIN_THRESHOLD = 0.15;
/** Sources kept on a story record: enough for "also in" and the digest, bounded so the record stays small. */
export const MAX_STORY_SOURCES = 20;
/** Summary terms kept after the title's: the lead says what happened, later sentences repeat background. */
const MAX_SUMMARY_TERMS = 24;

export interface StoryText {
  title: string;
  summary?: string;
  /** Publisher name, so a Google News " - Publisher" tail is not read as words of the story. */
  publisher?: string;
}

/** What an item says, reduced to sorted, unique normalized terms (stop-words dropped, stemmed, synonyms folded). */
export interface StorySignature {
  title: string[];
  /** Title terms plus the lead of the summary. */
  terms: string[];
}

/** What one LSH band row holds: a story, and the entities and signature of the story's latest item under that key. */
export interface StoryRef {
  storyId: string;
  /** The story's title, so a lookup can say which story an item joined without reading the story row. */
  storyTitle?: string;
  entities: string[];
  /**
   * The entities the story had been alerted for once this item was filed (absent on rows written before it was
   * kept: `entities` stands in). An item naming an entity outside them is news for that entity's followers.
   */
  storyEntities?: string[];
  signature: StorySignature;
  /** Signature of the story's first item. */
  origin: StorySignature;
  /** Time of that item (ms since epoch). */
  seenAt: number;
}

export interface StorySource {
  publisher?: string;
  link?: string;
  title: string;
  seenAt: number;
}

/** The part of a story that follow-up marking needs; written once when the story starts. */
export interface StoryHeadline {
  id: string;
  title: string;
  entities: string[];
  firstSeenAt: number;
}

export interface StoryRecord extends StoryHeadline {
  /** Signature of the item that started the story. */
  signature: StorySignature;
  lastSeenAt: number;
  /**
   * When a poll filed the story's first item (ms). Feeds often carry an item hours after its publication time
   * (`firstSeenAt`); the digest places a story by this, so a late item still reaches the next digest. Absent on stories
   * recorded before it existed: their firstSeenAt stands in.
   */
  recordedAt?: number;
  /** Oldest first, at most MAX_STORY_SOURCES, one per link. */
  sources: StorySource[];
}

export interface StoryMatch {
  storyId: string;
  similarity: number;
  /** Entities the item shares with the story, and the terms that made them similar (for `--explain`). */
  sharedEntities: string[];
  sharedTerms: string[];
}

const STOP_WORDS = new Set(
  (
    'a about above after again against all also am amid an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each few for from further had has have having he ' +
    'her here hers him his how i if in into is it its itself just me more most my no nor not now of off on once ' +
    'only or other our out over own same she should so some such than that the their theirs them then there these ' +
    'they this those through to too under until up very was we were what when where which while who whom why will ' +
    'with would you your yours ' +
    // News filler: attribution and packaging words that any story can carry.
    'say says said saying tell tells told according report reports reported reportedly sources source via ' +
    'news update updates live watch video photos exclusive breaking analysis opinion ap wednesday tuesday monday ' +
    'thursday friday saturday sunday today yesterday week day'
  ).split(' '),
);

/**
 * Words that news headlines use interchangeably for one kind of event, folded to one term so that "fires",
 * "sacks", "ousts" and "terminates" count as the same word. Keys are stems (see `stem`).
 */
const SYNONYMS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    fir: 'fire',
    sack: 'fire',
    oust: 'fire',
    terminat: 'fire',
    dismiss: 'fire',
    dismissal: 'fire',
    remov: 'fire',
    ax: 'fire',
    su: 'sue',
    lawsuit: 'sue',
    hir: 'hire',
    join: 'hire',
    tap: 'hire',
    resign: 'leave',
    quit: 'leave',
    leav: 'leave',
    depart: 'leave',
    departur: 'leave',
    exit: 'leave',
    investigat: 'investigate',
    investigation: 'investigate',
    prob: 'investigate',
    memo: 'memorandum',
    cut: 'cut',
    slash: 'cut',
    reduc: 'cut',
    flaw: 'vulnerability',
    bug: 'vulnerability',
    vulnerability: 'vulnerability',
    cybersecurity: 'cyber',
    cyber: 'cyber',
    chief: 'head',
    director: 'head',
    head: 'head',
    boss: 'head',
  }),
);

/** Light suffix stripping so "fires", "fired" and "firing" meet; proper names lose an "s" on both sides alike. */
function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('es') && !w.endsWith('ses')) w = w.slice(0, -1);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is'))
    w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  const last = w.charAt(w.length - 1);
  if (w.length > 3 && last === w.charAt(w.length - 2) && !'aeiouls'.includes(last)) w = w.slice(0, -1);
  return w;
}

/** Words of `text` folded as the matcher folds them (case, diacritics, quotes, possessives); "O'Brien" -> "obrien". */
function words(text: string): string[] {
  return foldPhrase(text)
    .replace(/'/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1);
}

function termsOf(text: string, limit = Number.POSITIVE_INFINITY): string[] {
  const terms: string[] = [];
  for (const word of words(text)) {
    if (STOP_WORDS.has(word)) continue;
    const stemmed = stem(word);
    terms.push(SYNONYMS.get(stemmed) ?? stemmed);
    if (terms.length >= limit) break;
  }
  return terms;
}

/** Drops a trailing " - Publisher" (Google News titles) or "... Publisher" (Google News summaries). */
function withoutPublisher(text: string, publisher: string | undefined): string {
  const trimmed = text.trim();
  if (!publisher) return trimmed;
  const name = publisher.trim();
  if (name === '' || !trimmed.toLowerCase().endsWith(name.toLowerCase())) return trimmed;
  return trimmed
    .slice(0, trimmed.length - name.length)
    .replace(/[\s\-\u2013\u2014|:]+$/u, '')
    .trim();
}

export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

export function storySignature(item: StoryText): StorySignature {
  const title = termsOf(withoutPublisher(item.title, item.publisher));
  const summary = termsOf(withoutPublisher(item.summary ?? '', item.publisher), MAX_SUMMARY_TERMS);
  return { title: sortedUnique(title), terms: sortedUnique([...title, ...summary]) };
}

/** Members of two sorted unique lists that occur in both. */
function intersection(a: readonly string[], b: readonly string[]): string[] {
  const shared: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      shared.push(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared;
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const shared = intersection(a, b).length;
  return shared / (a.length + b.length - shared);
}

/** Overlap coefficient: short headlines that say the same thing in fewer words still score high. */
function overlap(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  return intersection(a, b).length / Math.min(a.length, b.length);
}

/** 0..1: how likely two signatures report the same story. Symmetric. */
export function storySimilarity(a: StorySignature, b: StorySignature): number {
  return Math.max(jaccard(a.terms, b.terms), 0.8 * overlap(a.title, b.title));
}

/**
 * The LSH keys under which an item's story is filed and looked up: `S#<entityId>#<band>#<hash>`, one per band per
 * entity, so stories of different entities never meet and a busy entity cannot crowd out a quiet one.
 */
export function storyBandKeys(
  signature: StorySignature,
  entityIds: readonly string[],
  layout: LshLayout = STORY_LSH,
): string[] {
  if (signature.terms.length === 0) return [];
  const values = minHash(signature.terms, layout.bands * layout.rows);
  const bandHashes: string[] = [];
  for (let band = 0; band < layout.bands; band++) {
    const rows = values.slice(band * layout.rows, (band + 1) * layout.rows).join('.');
    bandHashes.push(fnv1a32(rows).toString(16).padStart(8, '0'));
  }
  return sortedUnique(entityIds).flatMap((entityId) => bandHashes.map((hash, band) => `S#${entityId}#${band}#${hash}`));
}

/**
 * Whether a candidate scoring `a` beats one scoring `b` (higher scores first, compared in order), with the smaller id
 * winning a full tie: the choice must not depend on the order the store returned the rows in.
 */
function outranks(a: readonly number[], aId: string, b: readonly number[], bId: string): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x > y;
  }
  return aId < bId;
}

/**
 * The story an item at time `at` joins among the candidates its band keys returned, or undefined for a new story.
 * A candidate must share an entity, have been seen within `windowMs` of the item (TTL deletion is lazy, so expired
 * rows can still come back), and reach STORY_THRESHOLD; the most similar wins, ties to the most recent.
 */
export function chooseStory(
  signature: StorySignature,
  entityIds: readonly string[],
  candidates: readonly StoryRef[],
  at: number,
  windowMs = STORY_WINDOW_MS,
): StoryMatch | undefined {
  let best: { ref: StoryRef; similarity: number } | undefined;
  for (const ref of candidates) {
    if (Math.abs(at - ref.seenAt) > windowMs) continue;
    if (!ref.entities.some((id) => entityIds.includes(id))) continue;
    const similarity = storySimilarity(signature, ref.signature);
    if (similarity < STORY_THRESHOLD || storySimilarity(signature, ref.origin) < ORIGIN_THRESHOLD) continue;
    if (!best || outranks([similarity, ref.seenAt], ref.storyId, [best.similarity, best.ref.seenAt], best.ref.storyId))
      best = { ref, similarity };
  }
  if (!best) return undefined;
  return {
    storyId: best.ref.storyId,
    similarity: best.similarity,
    sharedEntities: best.ref.entities.filter((id) => entityIds.includes(id)),
    sharedTerms: intersection(signature.terms, best.ref.signature.terms),
  };
}

/** A story id derived from the key of the item that starts it, so a retried item starts the same story. */
export function storyIdFor(itemKey: string): string {
  return `st-${fnv1a32(itemKey).toString(36)}${fnv1a32(itemKey, 0x2545f491).toString(36)}`;
}

/** The record of a story that `source` starts. */
export function startStory(
  id: string,
  signature: StorySignature,
  entityIds: readonly string[],
  source: StorySource,
  recordedAt: number = source.seenAt,
): StoryRecord {
  return {
    id,
    title: source.title,
    entities: sortedUnique(entityIds),
    firstSeenAt: source.seenAt,
    lastSeenAt: source.seenAt,
    signature,
    sources: [source],
    recordedAt,
  };
}

/**
 * How far before a digest period a story may have been published and still be recorded in it: headline rows are kept
 * by publication time, so the digest reads this much further back and keeps the stories recorded in the period.
 */
export const DIGEST_LOOKBACK_MS = 7 * 24 * 3_600_000;

/** Whether the digest of [from, to) holds `story`: recorded in the period (published up to DIGEST_LOOKBACK_MS before). */
export function recordedIn(story: StoryRecord, from: number, to: number): boolean {
  const recordedAt = story.recordedAt ?? story.firstSeenAt;
  return recordedAt >= from && recordedAt < to;
}

/**
 * `story` with `source` recorded on it: entities merged, lastSeenAt advanced; a link already recorded is not
 * added twice, and past MAX_STORY_SOURCES the oldest sources after the first make room (the first names the story).
 */
export function addToStory(story: StoryRecord, source: StorySource, entityIds: readonly string[]): StoryRecord {
  const known = source.link !== undefined && story.sources.some((s) => s.link === source.link);
  const sources = known ? story.sources : [...story.sources, source];
  const [first, ...rest] = sources;
  return {
    ...story,
    entities: sortedUnique([...story.entities, ...entityIds]),
    lastSeenAt: Math.max(story.lastSeenAt, source.seenAt),
    sources: sources.length > MAX_STORY_SOURCES && first ? [first, ...rest.slice(-(MAX_STORY_SOURCES - 1))] : sources,
  };
}

/**
 * The story a new story follows up: among `recent` stories (other than `currentId`) that share an entity and started
 * within `horizonMs` before `at`, the one sharing the most entities, then the latest.
 */
export function followUpOf(
  entityIds: readonly string[],
  recent: readonly StoryHeadline[],
  at: number,
  horizonMs = FOLLOW_UP_HORIZON_MS,
  currentId?: string,
): StoryHeadline | undefined {
  let best: { story: StoryHeadline; shared: number } | undefined;
  for (const story of recent) {
    if (story.id === currentId || story.firstSeenAt > at || at - story.firstSeenAt > horizonMs) continue;
    const shared = story.entities.filter((id) => entityIds.includes(id)).length;
    if (shared === 0) continue;
    if (!best || outranks([shared, story.firstSeenAt], story.id, [best.shared, best.story.firstSeenAt], best.story.id))
      best = { story, shared };
  }
  return best?.story;
}

/** "17 Nov": the day of `time` in `timeZone` (UTC unless told), as follow-up lines name a story's day. */
export function storyDay(time: number, timeZone = 'UTC'): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone }).format(time);
}

/** "Follow-up to: Trump fires CISA director Krebs, 17 Nov" (the date in `timeZone`, UTC unless told). */
export function formatFollowUp(story: Pick<StoryHeadline, 'title' | 'firstSeenAt'>, timeZone = 'UTC'): string {
  return `Follow-up to: ${story.title}, ${storyDay(story.firstSeenAt, timeZone)}`;
}

/** The publishers after the story's first source, each once, without the first source's own. */
export function alsoInPublishers(story: Pick<StoryRecord, 'sources'>): string[] {
  const first = story.sources[0]?.publisher;
  return [...new Set(story.sources.slice(1).map((s) => s.publisher))].filter(
    (p): p is string => p !== undefined && p !== first,
  );
}

/** "also in: BBC News, Sky News, NPR": the publishers after the first source, each once; empty when there are none. */
export function formatAlsoIn(story: Pick<StoryRecord, 'sources'>): string {
  const others = alsoInPublishers(story);
  return others.length === 0 ? '' : `also in: ${others.join(', ')}`;
}
