// What an installation learns about who an ambiguous name means: term counts from certain items, bounded and decaying.

/** One side of a profile: how many items it counted, and in how many of them each term occurred (all decayed). */
export interface TopicSide {
  docs: number;
  terms: Record<string, number>;
}

/** Items about the entity (`about`) and items naming a look-alike with the same word (`other`). */
export interface TopicCounts {
  about: TopicSide;
  other: TopicSide;
}

export type TopicSideName = keyof TopicCounts;

/** The learned profile of one entity, as the state stores keep it. */
export interface LearnedTopic extends TopicCounts {
  entityId: string;
  /** ms since the epoch: the counts are as of this time, and decay from it. */
  updatedAt: number;
  /** Short hashes of the items learned from, oldest first: an item read again on a later poll counts once. */
  seen: string[];
  /**
   * Items readers said were not about the entity (verdicts, docs/verdicts.md): counted on the entity's own `other`
   * side and never lent to other entities, so a verdict on one entity cannot lean another's profile.
   */
  refused?: TopicSide;
  /** Short hashes (itemHash) of the alert ids of the verdicts counted in `refused`, oldest first: each counts once. */
  verdicts?: string[];
}

/** A verdict to learn from: the alert it judged and the terms of what that alert said. */
export interface VerdictLesson {
  alertId: string;
  terms: readonly string[];
}

/** One item whose identity was certain, to learn from: its terms, and which side it belongs to. */
export interface TopicExample {
  /** The item's identity key (hashed before it is kept). */
  key: string;
  side: TopicSideName;
  terms: readonly string[];
}

export interface TopicLimits {
  /** Terms kept per side, the heaviest first: bounds the state a profile costs. */
  termsPerSide: number;
  /** Items remembered as learned from, per entity. */
  seenItems: number;
  /** The age at which an item's weight has halved. */
  halfLifeMs: number;
  /** Terms kept on the refused side (verdicts' words), the heaviest first. */
  refusedTerms: number;
  /** Verdicts remembered as learned, per entity (only while the store may still hand them over as pending). */
  verdictsKept: number;
}

export const DEFAULT_TOPIC_LIMITS: TopicLimits = {
  termsPerSide: 150,
  seenItems: 400,
  halfLifeMs: 60 * 24 * 3_600_000,
  refusedTerms: 100,
  verdictsKept: 100,
};

/** Weights below this are dropped: a term seen once about a year ago says nothing any more. */
const MIN_WEIGHT = 0.02;

export function emptySide(): TopicSide {
  return { docs: 0, terms: {} };
}

export function emptyCounts(): TopicCounts {
  return { about: emptySide(), other: emptySide() };
}

/** Adds `weight` documents of each of `terms` to a side (in place). */
export function addToSide(side: TopicSide, terms: Iterable<string>, weight = 1): void {
  side.docs += weight;
  for (const term of terms) side.terms[term] = (side.terms[term] ?? 0) + weight;
}

/** The sum of several count sets, each scaled by its factor. */
export function mergeCounts(parts: readonly { counts: TopicCounts; factor: number }[]): TopicCounts {
  const merged = emptyCounts();
  for (const { counts, factor } of parts) {
    if (factor === 0) continue;
    for (const side of ['about', 'other'] as const) {
      merged[side].docs += counts[side].docs * factor;
      for (const [term, weight] of Object.entries(counts[side].terms)) {
        merged[side].terms[term] = (merged[side].terms[term] ?? 0) + weight * factor;
      }
    }
  }
  return merged;
}

/** A learned profile's counts as of `now` (weights halve every half-life since it was last updated). */
export function decayedCounts(learned: LearnedTopic, now: number, limits = DEFAULT_TOPIC_LIMITS): TopicCounts {
  return mergeCounts([{ counts: learned, factor: decayFactor(learned.updatedAt, now, limits) }]);
}

/** What verdicts refused, as of `now`, decaying as the other counts do; undefined when no verdict taught it. */
export function decayedRefused(
  learned: LearnedTopic,
  now: number,
  limits = DEFAULT_TOPIC_LIMITS,
): TopicSide | undefined {
  if (!learned.refused || learned.refused.docs <= 0) return undefined;
  return scaledSide(learned.refused, decayFactor(learned.updatedAt, now, limits));
}

function scaledSide(side: TopicSide, factor: number): TopicSide {
  const terms: Record<string, number> = {};
  for (const [term, weight] of Object.entries(side.terms)) terms[term] = weight * factor;
  return { docs: side.docs * factor, terms };
}

function decayFactor(since: number, now: number, limits: TopicLimits): number {
  return now > since ? 0.5 ** ((now - since) / limits.halfLifeMs) : 1;
}

/** cyrb53, in base 36: short, and a collision only makes one item count once too few. */
export function itemHash(key: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < key.length; index++) {
    const code = key.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * The profile after learning from `examples` at `now`: the old counts decay to now, examples whose item it learned
 * from before are skipped, then each side keeps its `termsPerSide` heaviest terms and the newest `seenItems` hashes.
 */
export function learnTopic(
  current: LearnedTopic | undefined,
  entityId: string,
  examples: readonly TopicExample[],
  now: number,
  limits = DEFAULT_TOPIC_LIMITS,
): LearnedTopic {
  const at = Math.max(now, current?.updatedAt ?? now);
  const counts = current ? decayedCounts(current, at, limits) : emptyCounts();
  const seen = [...(current?.seen ?? [])];
  const known = new Set(seen);
  for (const example of examples) {
    const hash = itemHash(example.key);
    if (known.has(hash)) continue;
    known.add(hash);
    seen.push(hash);
    addToSide(counts[example.side], new Set(example.terms));
  }
  const refused = current && decayedRefused(current, at, limits);
  return {
    entityId,
    about: boundedSide(counts.about, limits.termsPerSide),
    other: boundedSide(counts.other, limits.termsPerSide),
    updatedAt: at,
    seen: seen.slice(-limits.seenItems),
    ...(refused && { refused: boundedSide(refused, limits.refusedTerms) }),
    ...(current?.verdicts && { verdicts: current.verdicts }),
  };
}

/** The verdicts of `lessons` the profile has not counted yet. */
export function unlearnedVerdicts(
  current: LearnedTopic | undefined,
  lessons: readonly VerdictLesson[],
): VerdictLesson[] {
  const known = new Set(current?.verdicts);
  return lessons.filter((lesson) => !known.has(itemHash(lesson.alertId)));
}

/** Whether the profile counted the verdict on this alert. */
export function hasLearnedVerdict(profile: LearnedTopic | undefined, alertId: string): boolean {
  return profile?.verdicts?.includes(itemHash(alertId)) === true;
}

/**
 * The profile after counting each verdict's terms once on its refused side, at `now`: a verdict already counted is
 * skipped; the profile remembers the newest `verdictsKept` verdicts (hashes of their alert ids).
 */
export function learnVerdicts(
  current: LearnedTopic | undefined,
  entityId: string,
  lessons: readonly VerdictLesson[],
  now: number,
  limits = DEFAULT_TOPIC_LIMITS,
): LearnedTopic {
  const fresh = unlearnedVerdicts(current, lessons);
  const base = learnTopic(current, entityId, [], now, limits);
  if (fresh.length === 0) return base;
  const refused = base.refused ? scaledSide(base.refused, 1) : emptySide();
  const verdicts = [...(base.verdicts ?? [])];
  for (const lesson of fresh) {
    const hash = itemHash(lesson.alertId);
    if (verdicts.includes(hash)) continue;
    verdicts.push(hash);
    addToSide(refused, new Set(lesson.terms));
  }
  return {
    ...base,
    refused: boundedSide(refused, limits.refusedTerms),
    verdicts: verdicts.slice(-limits.verdictsKept),
  };
}

/** The heaviest terms (ties by term, so the result does not depend on insertion order), weights to 3 decimals. */
function boundedSide(side: TopicSide, termsPerSide: number): TopicSide {
  const kept = Object.entries(side.terms)
    .filter(([, weight]) => weight >= MIN_WEIGHT)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, termsPerSide);
  return { docs: round(side.docs), terms: Object.fromEntries(kept.map(([term, weight]) => [term, round(weight)])) };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
