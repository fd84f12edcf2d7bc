// Decides whether an item's words lean towards a tracked entity or towards its look-alikes, and says which words did.

import { ACRONYM } from './match-names';
import {
  decayedCounts,
  decayedRefused,
  type LearnedTopic,
  mergeCounts,
  type TopicCounts,
  type TopicLimits,
} from './topic-profile';
import { topicTerms } from './topic-terms';
import type { Entity } from './types';

export interface TopicSettings {
  /** Summed log-odds an item's terms must reach for a bare ambiguous name to count. */
  threshold: number;
  /**
   * The same for an entity the seed does not know (one a user added): its profile is borrowed, and knows what news of
   * look-alikes looks like in general, not this name's look-alikes, so it takes a clearer lean away to refuse.
   */
  borrowedThreshold: number;
  /**
   * The share of the other entities' counts an entity borrows: one watchlist is mostly one beat, and words one
   * entity's news taught ("ballots", "hackers") are evidence for the others too. Own counts weigh in whole.
   */
  share: number;
  /**
   * The share of the other entities' look-alike counts an entity borrows (own counts weigh in whole): the pound and
   * the footballers are not Krebs's look-alikes, but what news about look-alikes looks like (sport, markets, courts,
   * companies) carries over.
   */
  otherShare: number;
  /**
   * For an acronym ("CISA"): a lean away above this score, carried by other names' look-alikes alone, refuses no
   * bare hit its own look-alikes would admit. Its namesakes are an exam, a law, a league, not people: the generic
   * news words that people's namesakes teach the pool ("jobs", "moves", "price", "second") are not theirs.
   */
  acronymPoolFloor: number;
  /** Additive smoothing of each term's document count. */
  smoothing: number;
  /** Documents each `topics:` phrase of the watchlist counts as. */
  topicDocs: number;
}

export const DEFAULT_TOPIC_SETTINGS: TopicSettings = {
  threshold: -0.25,
  borrowedThreshold: -4,
  share: 0.7,
  otherShare: 1,
  acronymPoolFloor: -5,
  smoothing: 0.25,
  topicDocs: 3,
};

/** Where an entity's counts come from: the shipped seed, the watchlist's `topics:`, what the installation learned. */
export interface TopicSources {
  seed?: Readonly<Record<string, TopicCounts>>;
  learned?: readonly LearnedTopic[];
  /** The time learned counts are decayed to. */
  now: number;
  limits?: TopicLimits;
}

export interface TopicTerm {
  term: string;
  /** Log-odds the term adds: above 0 it points at the entity, below at a look-alike. */
  weight: number;
}

export interface TopicVerdict {
  counts: boolean;
  score: number;
  /** score - threshold: how clearly the item leans (negative when it did not count). */
  margin: number;
  /** The item's terms the profile knows, heaviest first (by absolute weight). */
  terms: TopicTerm[];
  /**
   * For an acronym whose pooled score fell short: the score against its own look-alikes alone. When it reaches the
   * threshold the hit counts, and `margin` is measured from it.
   */
  ownScore?: number;
}

/** Per entity, the log-odds of each known term; entities without ambiguous terms need none. */
export class TopicModel {
  private constructor(
    private readonly weights: ReadonlyMap<string, ReadonlyMap<string, number>>,
    /** For acronym entities the seed knows: weights against their own look-alikes only (`acronymPoolFloor`). */
    private readonly ownWeights: ReadonlyMap<string, ReadonlyMap<string, number>>,
    /** Entities whose profile is borrowed (not in the seed): they use `borrowedThreshold`. */
    private readonly borrowed: ReadonlySet<string>,
    readonly settings: TopicSettings,
  ) {}

  static build(entities: readonly Entity[], sources: TopicSources, settings = DEFAULT_TOPIC_SETTINGS): TopicModel {
    const ambiguous = entities.filter((entity) => entity.ambiguous.length > 0);
    const learned = new Map(sources.learned?.map((profile) => [profile.entityId, profile]));
    const own = ambiguous.map((entity) => {
      const parts: { counts: TopicCounts; factor: number }[] = [];
      const seed = sources.seed?.[entity.id];
      if (seed) parts.push({ counts: seed, factor: 1 });
      const topics = entity.topics ?? [];
      if (topics.length > 0) {
        const terms = Object.fromEntries(topics.flatMap((phrase) => topicTerms(phrase)).map((term) => [term, 1]));
        parts.push({
          counts: { about: { docs: 1, terms }, other: { docs: 0, terms: {} } },
          factor: settings.topicDocs,
        });
      }
      const mine = learned.get(entity.id);
      if (mine) parts.push({ counts: decayedCounts(mine, sources.now, sources.limits), factor: 1 });
      return mergeCounts(parts);
    });
    // The seed's entities the watchlist does not track still teach what news about the beat and about look-alikes
    // looks like: without them a watchlist of its own entities has no look-alike side, and every word leans away.
    const tracked = new Set(ambiguous.map((entity) => entity.id));
    const untracked = Object.entries(sources.seed ?? {}).filter(([id]) => !tracked.has(id));
    const pooled = mergeCounts([
      ...own.map((counts) => ({ counts, factor: 1 })),
      ...untracked.map(([, counts]) => ({ counts, factor: 1 })),
    ]);
    const weights = new Map<string, Map<string, number>>();
    const ownWeights = new Map<string, Map<string, number>>();
    ambiguous.forEach((entity, index) => {
      const mine = own[index]!;
      // Own counts, plus a share of everyone else's (pooled minus own), one share per side.
      const counts = {
        about: mergeCounts([
          { counts: mine, factor: 1 - settings.share },
          { counts: pooled, factor: settings.share },
        ]).about,
        other: mergeCounts([
          { counts: mine, factor: 1 - settings.otherShare },
          { counts: pooled, factor: settings.otherShare },
        ]).other,
      };
      // What readers refused counts against this entity alone: a verdict on one entity never leans another's profile.
      const profile = learned.get(entity.id);
      const refused = profile && decayedRefused(profile, sources.now, sources.limits);
      if (refused) addRefused(counts.other, refused);
      const names = new Set([...entity.aliases, ...entity.ambiguous].flatMap((phrase) => topicTerms(phrase)));
      weights.set(entity.id, termWeights(counts, names, settings.smoothing));
      if (sources.seed?.[entity.id] && entity.ambiguous.every((phrase) => ACRONYM.test(phrase))) {
        const own = { about: counts.about, other: mergeCounts([{ counts: mine, factor: 1 }]).other };
        if (refused) addRefused(own.other, refused);
        ownWeights.set(entity.id, termWeights(own, names, settings.smoothing));
      }
    });
    const borrowed = new Set(ambiguous.filter((entity) => !sources.seed?.[entity.id]).map((entity) => entity.id));
    return new TopicModel(weights, ownWeights, borrowed, settings);
  }

  has(entityId: string): boolean {
    return this.weights.has(entityId);
  }

  /** How the item's terms lean for this entity; undefined for an entity without a profile. */
  judge(entityId: string, terms: readonly string[]): TopicVerdict | undefined {
    const weights = this.weights.get(entityId);
    if (!weights) return undefined;
    let score = 0;
    const known: TopicTerm[] = [];
    for (const term of terms) {
      const weight = weights.get(term);
      if (weight === undefined) continue;
      score += weight;
      known.push({ term, weight: round(weight) });
    }
    known.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || (a.term < b.term ? -1 : 1));
    const threshold = this.borrowed.has(entityId) ? this.settings.borrowedThreshold : this.settings.threshold;
    const verdict: TopicVerdict = {
      // Words the profile never saw are no evidence: with none known, the threshold's leniency must not count it.
      counts: score >= threshold && known.length > 0,
      score: round(score),
      margin: round(score - threshold),
      terms: known,
    };
    const own = this.ownWeights.get(entityId);
    if (verdict.counts || known.length === 0 || !own || score < this.settings.acronymPoolFloor) return verdict;
    const ownScore = terms.reduce((sum, term) => sum + (own.get(term) ?? 0), 0);
    if (ownScore < threshold) return { ...verdict, ownScore: round(ownScore) };
    return { ...verdict, counts: true, ownScore: round(ownScore), margin: round(ownScore - threshold) };
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;

/** What readers refused counts on an `other` side. */
function addRefused(other: TopicCounts['other'], refused: TopicCounts['other']): void {
  other.docs += refused.docs;
  for (const [term, weight] of Object.entries(refused.terms)) other.terms[term] = (other.terms[term] ?? 0) + weight;
}

/**
 * Bernoulli naive Bayes log-odds per term: log P(term | about) - log P(term | other), document frequencies smoothed.
 * Only terms seen on either side get a weight; a word the profile never saw says nothing either way.
 */
function termWeights(counts: TopicCounts, skip: ReadonlySet<string>, smoothing: number): Map<string, number> {
  const { about, other } = counts;
  const weights = new Map<string, number>();
  const terms = new Set([...Object.keys(about.terms), ...Object.keys(other.terms)]);
  for (const term of terms) {
    if (skip.has(term)) continue;
    const a = about.terms[term] ?? 0;
    const o = other.terms[term] ?? 0;
    if (a + o <= 0) continue;
    const pAbout = (a + smoothing) / (about.docs + 2 * smoothing);
    const pOther = (o + smoothing) / (other.docs + 2 * smoothing);
    weights.set(term, Math.log(pAbout) - Math.log(pOther));
  }
  return weights;
}
