// Entities a user adds, in a watchlist of their own (none of the defaults): headlines naming them by surname alone
// must alert as they do beside the defaults, though the shipped seed knows none of them.
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { DEFAULT_TOPIC_SETTINGS } from '../../lambda/core/topic-model';
import { loadUserEntitySets, scoreUserEntities, shippedMatcher } from '../support/user-entity-sets';

const [first, secondA, secondB] = loadUserEntitySets();

function counts(set: NonNullable<typeof first>, entities = set.entities, settings = DEFAULT_TOPIC_SETTINGS) {
  const scores = scoreUserEntities(set.headlines, shippedMatcher(entities, settings));
  return { about: scores.about, lost: scores.lost.length, lookalikes: scores.lookalikes, wrong: scores.wrong.length };
}

describe('a watchlist of user-added entities only', () => {
  it('alerts bare-surname headlines about them as the same entities do beside the default ones', () => {
    const own = counts(first!);
    const besideDefaults = counts(first!, [...loadWatchlist().entities, ...first!.entities]);
    expect(own.about).toBe(146);
    // Without the seed's untracked entities in the pool it lost 119: every word leaned away from the entity. With them
    // and the seed's threshold, 26; a borrowed profile's own threshold leaves 4.
    expect(own.lost).toBeLessThanOrEqual(besideDefaults.lost + 2);
    expect(own.lost).toBeLessThanOrEqual(4);
    expect(own.wrong).toBeLessThanOrEqual(17);
  });

  it('loses fewer alerts about entities it never saw than the threshold the seed’s own entities use', () => {
    // Both of the second reviewer’s files, the blind one counted only: a lost alert costs more than a look-alike.
    for (const set of [secondA!, secondB!]) {
      const borrowed = counts(set);
      const seedThreshold = counts(set, set.entities, {
        ...DEFAULT_TOPIC_SETTINGS,
        borrowedThreshold: DEFAULT_TOPIC_SETTINGS.threshold,
      });
      expect({ set: set.name, about: borrowed.about }).toEqual({ set: set.name, about: 96 });
      expect(borrowed.lost).toBeLessThan(seedThreshold.lost);
      expect(borrowed.lost).toBeLessThanOrEqual(4);
    }
  });

  it('alerts an entity alone in its watchlist on its bare surname, in words its topics never listed', () => {
    const easterly = first!.entities.find((entity) => entity.id === 'easterly')!;
    const matcher = shippedMatcher([easterly]);
    for (const title of [
      'Easterly says software makers must stop shipping insecure products',
      'Easterly receives threats after online campaign against her',
      'Easterly to step down Jan. 20 as Trump returns',
    ]) {
      expect({ title, entities: matcher.match({ title }).map((match) => match.entityId) }).toEqual({
        title,
        entities: ['easterly'],
      });
    }
  });
});
