// A poll's topic profiles: the shipped seed, the watchlist's topics and what the installation learned, and the learning.
import seedJson from '../../config/topic-seed.json';
import type { CompiledMatcher, MatchableItem, MatchContext, Matcher, TopicObservation } from '../core/match';
import { TopicModel, type TopicSettings } from '../core/topic-model';
import {
  DEFAULT_TOPIC_LIMITS,
  hasLearnedVerdict,
  itemHash,
  type LearnedTopic,
  learnTopic,
  learnVerdicts,
  type TopicCounts,
  type TopicExample,
  unlearnedVerdicts,
  type VerdictLesson,
} from '../core/topic-profile';
import { itemTopicTerms, topicTerms } from '../core/topic-terms';
import type { Entity } from '../core/types';
import type { PendingVerdict, TopicStore } from '../ports';

/** The profiles shipped for the default entities, built from the tuning headlines (test/support/topic-seed-build.ts). */
export const TOPIC_SEED: Readonly<Record<string, TopicCounts>> = seedJson;

/** A lesson as a poll collects it: the item's terms are read only if the profile has not learned from it yet. */
interface Lesson extends Omit<TopicExample, 'terms'> {
  item: MatchableItem;
  feed: string | undefined;
}

/** Saving a profile another poller saved first: load and relearn, at most this many times, then leave the lesson. */
const SAVE_ATTEMPTS = 3;

export interface TopicLearning {
  /** Matches with the profiles as loaded, and collects what items of certain identity teach. */
  matcher: Matcher;
  /** Learns what the poll's items and the pending verdicts taught onto the stored profiles, then settles the verdicts. */
  save(now: number): Promise<{ entities: number; examples: number; verdicts: number }>;
}

/**
 * Loads the learned profiles and the verdicts not counted yet, builds the model (seed + topics + learned + verdicts)
 * and wraps the compiled matcher so that every item it reads while the poll runs is a possible lesson: an entity the
 * rules settled (alias, context phrase, exclude, another given name) teaches its profile; an entity the profile itself
 * let in teaches nothing. Pending verdicts count in this poll's matching already; `save` writes them with the lessons.
 */
export async function startTopicLearning(
  store: TopicStore,
  entities: readonly Entity[],
  compiled: CompiledMatcher,
  now: number,
  options: { seed?: Readonly<Record<string, TopicCounts>>; settings?: TopicSettings } = {},
): Promise<TopicLearning> {
  const learned = await store.loadTopics();
  const pending = (await store.pendingVerdicts?.()) ?? [];
  const verdictLessons = lessonsByEntity(pending, entities);
  const withVerdicts = new Map(learned.map((profile) => [profile.entityId, profile]));
  for (const [entityId, lessons] of verdictLessons) {
    withVerdicts.set(entityId, learnVerdicts(withVerdicts.get(entityId), entityId, lessons, now, DEFAULT_TOPIC_LIMITS));
  }
  const model = TopicModel.build(
    entities,
    { seed: options.seed ?? TOPIC_SEED, learned: [...withVerdicts.values()], now },
    options.settings,
  );
  const inner = compiled.withTopics(model);
  // Lessons keep their terms unread: most are items learned from on an earlier poll, which save() skips.
  const examples = new Map<string, Lesson[]>();
  const matcher: Matcher = {
    match(item: MatchableItem & { guid?: string }, context: MatchContext = {}) {
      const observations: TopicObservation[] = [];
      const matches = inner.match(item, { ...context, observations });
      if (observations.length > 0) {
        const key = item.guid ?? item.canonicalLink ?? item.link ?? item.title;
        for (const { entityId, side } of observations) {
          const list = examples.get(entityId) ?? [];
          if (list.length === 0) examples.set(entityId, list);
          list.push({ key, side, item, feed: context.feed });
        }
      }
      return matches;
    },
  };
  return {
    matcher,
    save: async (at) => {
      let stored = new Map(learned.map((profile) => [profile.entityId, profile]));
      let saved = 0;
      const counted = new Set<string>();
      // An item that teaches several entities is read once.
      const termsOf = new Map<MatchableItem, string[]>();
      const terms = ({ item, feed }: Lesson) => {
        const found = termsOf.get(item) ?? itemTopicTerms(item, feed);
        termsOf.set(item, found);
        return found;
      };
      for (const entityId of new Set([...verdictLessons.keys(), ...examples.keys()])) {
        const lessons = examples.get(entityId) ?? [];
        const verdicts = verdictLessons.get(entityId) ?? [];
        for (let attempt = 1; attempt <= SAVE_ATTEMPTS; attempt++) {
          const current = stored.get(entityId);
          const next = nextProfile(current, entityId, lessons, verdicts, at, terms);
          if (next === undefined) break; // learned on an earlier poll, or by another poller, already
          if (await store.saveTopic(next, current?.updatedAt)) {
            stored.set(entityId, next);
            saved += 1;
            break;
          }
          stored = new Map((await store.loadTopics()).map((profile) => [profile.entityId, profile]));
        }
        // Settled once the stored profile lists them; a lost race leaves them pending for the next poll.
        for (const lesson of verdicts) {
          if (hasLearnedVerdict(stored.get(entityId), lesson.alertId)) counted.add(`${entityId}\n${lesson.alertId}`);
        }
      }
      // What cannot teach a profile (no alert text any more, an entity without one) is settled as it is.
      const settled = pending.filter(
        (verdict) =>
          counted.has(`${verdict.entityId}\n${verdict.alertId}`) ||
          !verdictLessons.get(verdict.entityId)?.some((lesson) => lesson.alertId === verdict.alertId),
      );
      if (settled.length > 0) await store.settleVerdicts?.(settled);
      const count = [...examples.values()].reduce((sum, list) => sum + list.length, 0);
      examples.clear();
      return { entities: saved, examples: count, verdicts: counted.size };
    },
  };

  /** The profile with what it has not learned yet, or undefined when it has learned all of it. */
  function nextProfile(
    current: LearnedTopic | undefined,
    entityId: string,
    lessons: Lesson[],
    verdicts: VerdictLesson[],
    at: number,
    terms: (lesson: Lesson) => string[],
  ): LearnedTopic | undefined {
    const seen = new Set(current?.seen);
    const fresh = lessons.filter((lesson) => !seen.has(itemHash(lesson.key)));
    const newVerdicts = unlearnedVerdicts(current, verdicts).length > 0;
    if (fresh.length === 0 && !newVerdicts) return undefined;
    const base = newVerdicts ? learnVerdicts(current, entityId, verdicts, at, DEFAULT_TOPIC_LIMITS) : current;
    const taught = fresh.map((lesson): TopicExample => ({ key: lesson.key, side: lesson.side, terms: terms(lesson) }));
    return learnTopic(base, entityId, taught, at, DEFAULT_TOPIC_LIMITS);
  }
}

/** The verdicts that can teach a profile, by entity: an entity with ambiguous terms, and the alert's text still held. */
function lessonsByEntity(pending: PendingVerdict[], entities: readonly Entity[]): Map<string, VerdictLesson[]> {
  const profiled = new Set(entities.filter((entity) => entity.ambiguous.length > 0).map((entity) => entity.id));
  const lessons = new Map<string, VerdictLesson[]>();
  for (const verdict of pending) {
    if (verdict.text === undefined || !profiled.has(verdict.entityId)) continue;
    const list = lessons.get(verdict.entityId) ?? [];
    list.push({ alertId: verdict.alertId, terms: topicTerms(verdict.text) });
    lessons.set(verdict.entityId, list);
  }
  return lessons;
}
