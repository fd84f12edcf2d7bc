// Cross-validation of topic profiles on the tuning halves of the headline sets: the only figures tuning may read.
import type { Matcher } from '../../lambda/core/match';
import { compileMatcher } from '../../lambda/core/match';
import { DEFAULT_TOPIC_SETTINGS, TopicModel, type TopicSettings } from '../../lambda/core/topic-model';
import { seedCounts } from '../../lambda/core/topic-seed';
import type { Entity } from '../../lambda/core/types';
import { type LabelledHeadline, loadHeadlines, type Scores, score } from '../../test/support/headline-sets';
import { labelledHeadline, storyTexts } from '../../test/support/topic-seed-build';

export const FOLDS = 5;

export const ids = (matcher: Pick<Matcher, 'match'>) => (headline: LabelledHeadline) =>
  matcher.match(headline).map((match) => match.entityId);

/**
 * Both tuning halves (bare and named headlines) in FOLDS folds by row: a seed built from every other tuning text (the
 * other folds of both sets and the story fixtures' tuning items) decides each fold's headlines. The shipped seed scored
 * on its own texts is no test; this is what the seed does for headlines it never saw.
 */
export function crossValidated(
  entities: Entity[],
  settings: TopicSettings = DEFAULT_TOPIC_SETTINGS,
): { bare: Scores; named: Scores } {
  const compiled = compileMatcher(entities);
  const bare = loadHeadlines('bare', 'tune');
  const named = loadHeadlines('named', 'tune');
  // Texts every fold's seed learns from: the story fixtures' tuning items and the off-beat tuning rows.
  const stories = [...storyTexts(), ...loadHeadlines('offbeat', 'tune').map(labelledHeadline)];
  const found = new Map<string, string[]>();
  for (let fold = 0; fold < FOLDS; fold++) {
    const train = [bare, named].flatMap((set) =>
      set.filter((_, index) => index % FOLDS !== fold).map(labelledHeadline),
    );
    const seed = seedCounts(entities, [...train, ...stories]);
    const matcher = compiled.withTopics(TopicModel.build(entities, { seed, now: 0 }, settings));
    for (const set of [bare, named]) {
      for (const h of set.filter((_, index) => index % FOLDS === fold)) found.set(h.id, ids(matcher)(h));
    }
  }
  return { bare: score(bare, (h) => found.get(h.id)!), named: score(named, (h) => found.get(h.id)!) };
}
