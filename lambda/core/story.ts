// Story clustering: which earlier story a new item reports (MinHash/LSH candidates, verified by event evidence), follow-ups.
import { fnv1a32, minHash } from './minhash';
import type { StoryContext, WeightedTerm } from './story-context';
import { type JoinEvidence, joinEvidence, storyTold } from './story-evidence';
import { outletRepeat, titleRecurs } from './story-repeat';
import type { StorySignature } from './story-terms';
import { sortedUnique } from './story-words';

export { type StoryContext, storyContext, type WeightedTerm } from './story-context';
export { type StorySignature, type StoryText, signatureTerms, storySignature } from './story-terms';
export { sortedUnique } from './story-words';

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
/** Sources kept on a story record: enough for "also in" and the digest, bounded so the record stays small. */
export const MAX_STORY_SOURCES = 20;

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
  /** Key of the item this row was written for (absent on rows written before it was kept). */
  itemKey?: string;
  /**
   * The entities this item brought to the story (its "Same story as" alert): a retry of the item, whose alert was
   * refused, brings them again. Absent when none.
   */
  added?: string[];
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
  /**
   * False from the story's start until its first alert is sent (a refused publish or a crash leaves it false): a report
   * joining it then is no silence. Absent on stories recorded before it existed, taken as sent.
   */
  alerted?: boolean;
  /** Oldest first, at most MAX_STORY_SOURCES, one per link. */
  sources: StorySource[];
}

export interface StoryMatch {
  storyId: string;
  storyTitle?: string;
  /** Summed weight of the event terms shared with the story's item (0..1 each, by rarity). */
  weight: number;
  /** Why it joins (absent on a story an item only resembles). */
  reason?: JoinEvidence['reason'];
  /** Entities the item shares with the story, and the event terms that carried the join, rarest first (`--explain`). */
  sharedEntities: string[];
  sharedTerms: WeightedTerm[];
  /** Acts the item names that the story does not (what kept a resembling item from joining). */
  newActs: string[];
  /** States the item's headline names when the story's name another (what kept a resembling item from joining). */
  otherPlaces: string[];
  /** Rare names each side's headlines give that the other never mentions (what kept a resembling item from joining). */
  otherNames: string[];
  /** Rare words of the item's headline in place of the story's (what kept a resembling item from joining). */
  swapped: string[];
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

/** Candidates that can be the item's story: seen within `windowMs` of it (TTL deletion is lazy), sharing an entity. */
function liveCandidates(entityIds: readonly string[], candidates: readonly StoryRef[], at: number, windowMs: number) {
  return candidates.filter(
    (ref) => Math.abs(at - ref.seenAt) <= windowMs && ref.entities.some((id) => entityIds.includes(id)),
  );
}

/** The terms each story's rows among the candidates carry: what that story has told so far, as far as known. */
function termsByStory(refs: readonly StoryRef[]): Map<string, string[]> {
  const terms = new Map<string, string[]>();
  for (const ref of refs) terms.set(ref.storyId, [...(terms.get(ref.storyId) ?? []), ...ref.signature.terms]);
  return terms;
}

function storyMatch(ref: StoryRef, entityIds: readonly string[], evidence: JoinEvidence): StoryMatch {
  return {
    storyId: ref.storyId,
    storyTitle: ref.storyTitle,
    weight: evidence.weight,
    reason: evidence.reason,
    sharedEntities: ref.entities.filter((id) => entityIds.includes(id)),
    sharedTerms: evidence.shared,
    newActs: evidence.newActs,
    otherPlaces: evidence.otherPlaces,
    otherNames: evidence.otherNames,
    swapped: evidence.swapped,
  };
}

/**
 * The live candidate whose evidence `accept`s with the heaviest weight; ties go to the most recent, then the smaller
 * id, so the order the store returned the rows in never matters.
 */
function heaviestCandidate(
  signature: StorySignature,
  entityIds: readonly string[],
  candidates: readonly StoryRef[],
  at: number,
  context: StoryContext,
  windowMs: number,
  accept: (evidence: JoinEvidence) => boolean,
): StoryMatch | undefined {
  let best: { ref: StoryRef; evidence: JoinEvidence } | undefined;
  const live = liveCandidates(entityIds, candidates, at, windowMs);
  const told = termsByStory(live);
  const storyToldOf = (ref: StoryRef) => storyTold(ref.signature, ref.origin, told.get(ref.storyId));
  // A story that already holds this outlet's headline from hours before (its latest item under a key, or its first) is
  // the outlet's last release, whichever row would join: another outlet's copy must not carry the next one in.
  const repeatOf = (ref: StoryRef) =>
    [ref.signature, ref.origin].some(
      (earlier) =>
        outletRepeat(signature, earlier, context, at - ref.seenAt) ||
        titleRecurs(signature, earlier, () => storyToldOf(ref), context, at - ref.seenAt),
    );
  const repeated = new Set(live.filter(repeatOf).map((ref) => ref.storyId));
  for (const ref of live) {
    const found = joinEvidence(signature, ref.signature, ref.origin, context, told.get(ref.storyId));
    const evidence = repeated.has(ref.storyId) ? { ...found, joins: false, reason: undefined } : found;
    if (!accept(evidence)) continue;
    if (
      !best ||
      outranks([evidence.weight, ref.seenAt], ref.storyId, [best.evidence.weight, best.ref.seenAt], best.ref.storyId)
    )
      best = { ref, evidence };
  }
  return best && storyMatch(best.ref, entityIds, best.evidence);
}

/**
 * The story an item at time `at` joins among the candidates its band keys returned, or undefined for a new story.
 * A candidate must share an entity, be live, and give strong evidence of the same event (story-evidence.ts).
 */
export function chooseStory(
  signature: StorySignature,
  entityIds: readonly string[],
  candidates: readonly StoryRef[],
  at: number,
  context: StoryContext,
  windowMs = STORY_WINDOW_MS,
): StoryMatch | undefined {
  return heaviestCandidate(signature, entityIds, candidates, at, context, windowMs, (evidence) => evidence.joins);
}

/**
 * The candidate story an item that joins none resembles most (shares the heaviest event terms with), so its alert
 * can say which story it follows up; undefined when it shares no event term with any.
 */
export function relatedStory(
  signature: StorySignature,
  entityIds: readonly string[],
  candidates: readonly StoryRef[],
  at: number,
  context: StoryContext,
  windowMs = STORY_WINDOW_MS,
): StoryMatch | undefined {
  return heaviestCandidate(signature, entityIds, candidates, at, context, windowMs, (evidence) => evidence.weight > 0);
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
    alerted: false,
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
