// A poll's topic profiles: the shipped seed, the watchlist's topics and what the installation learned, and the learning.
import seedJson from '../../config/topic-seed.json';
import type { CompiledMatcher, MatchableItem, MatchContext, Matcher, TopicObservation } from '../core/match';
import { TopicModel, type TopicSettings } from '../core/topic-model';
import { DEFAULT_TOPIC_LIMITS, itemHash, learnTopic, type TopicCounts, type TopicExample } from '../core/topic-profile';
import type { Entity } from '../core/types';
import type { TopicStore } from '../ports';

/** The profiles shipped for the default entities, built from the tuning headlines (test/support/topic-seed-build.ts). */
export const TOPIC_SEED: Readonly<Record<string, TopicCounts>> = seedJson;

/** Saving a profile another poller saved first: load and relearn, at most this many times, then leave the lesson. */
const SAVE_ATTEMPTS = 3;

export interface TopicLearning {
  /** Matches with the profiles as loaded, and collects what items of certain identity teach. */
  matcher: Matcher;
  /** Learns what the poll's items taught onto the stored profiles. */
  save(now: number): Promise<{ entities: number; examples: number }>;
}

/**
 * Loads the learned profiles, builds the model (seed + topics + learned) and wraps the compiled matcher so that every
 * item it reads while the poll runs is a possible lesson: an entity the rules settled (alias, context phrase, exclude,
 * another given name) teaches its profile; an entity the profile itself let in teaches nothing.
 */
export async function startTopicLearning(
  store: TopicStore,
  entities: readonly Entity[],
  compiled: CompiledMatcher,
  now: number,
  options: { seed?: Readonly<Record<string, TopicCounts>>; settings?: TopicSettings } = {},
): Promise<TopicLearning> {
  const learned = await store.loadTopics();
  const model = TopicModel.build(entities, { seed: options.seed ?? TOPIC_SEED, learned, now }, options.settings);
  const inner = compiled.withTopics(model);
  const examples = new Map<string, TopicExample[]>();
  const matcher: Matcher = {
    match(item: MatchableItem & { guid?: string }, context: MatchContext = {}) {
      const observations: TopicObservation[] = [];
      const matches = inner.match(item, { ...context, observations });
      if (observations.length > 0) {
        const key = item.guid ?? item.canonicalLink ?? item.link ?? item.title;
        for (const { entityId, side, terms } of observations) {
          const list = examples.get(entityId) ?? [];
          list.push({ key, side, terms });
          examples.set(entityId, list);
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
      for (const [entityId, lessons] of examples) {
        for (let attempt = 1; attempt <= SAVE_ATTEMPTS; attempt++) {
          const current = stored.get(entityId);
          const seen = new Set(current?.seen);
          if (!lessons.some((lesson) => !seen.has(itemHash(lesson.key)))) break; // read on an earlier poll already
          const next = learnTopic(current, entityId, lessons, at, DEFAULT_TOPIC_LIMITS);
          if (await store.saveTopic(next, current?.updatedAt)) {
            saved += 1;
            break;
          }
          stored = new Map((await store.loadTopics()).map((profile) => [profile.entityId, profile]));
        }
      }
      const count = [...examples.values()].reduce((sum, list) => sum + list.length, 0);
      examples.clear();
      return { entities: saved, examples: count };
    },
  };
}
