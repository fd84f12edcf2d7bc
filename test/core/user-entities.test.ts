// Entities a user adds, in a watchlist of their own (none of the defaults): headlines naming them by surname alone
// must alert as they do beside the defaults, though the shipped seed knows none of them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { compileMatcher } from '../../lambda/core/match';
import { TopicModel } from '../../lambda/core/topic-model';
import type { Entity } from '../../lambda/core/types';
import { TOPIC_SEED } from '../../lambda/pipeline/topic-learning';

const DIR = path.join(__dirname, '../fixtures/user-entities');
/** A reviewer's headlines: `<entity>:about:<n>` names the entity by surname or acronym alone, `<entity>:look:<n>` a look-alike. */
const headlines = readFileSync(path.join(DIR, 'headlines.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as { id: string; title: string });

function results(entities: Entity[]) {
  const matcher = compileMatcher(entities).withTopics(TopicModel.build(entities, { seed: TOPIC_SEED, now: 0 }));
  const about = headlines.filter((h) => h.id.includes(':about:'));
  const lookalikes = headlines.filter((h) => h.id.includes(':look:'));
  const matches = (h: { id: string; title: string }) =>
    matcher.match(h).some((match) => match.entityId === h.id.split(':')[0]);
  return {
    about: about.length,
    lost: about.filter((h) => !matches(h)).length,
    lookalikes: lookalikes.length,
    wrong: lookalikes.filter(matches).length,
  };
}

describe('a watchlist of user-added entities only', () => {
  const { entities } = loadWatchlist(path.join(DIR, 'watchlist.yaml'));

  it('alerts bare-surname headlines about them as the same entities do beside the default ones', () => {
    const own = results(entities);
    const besideDefaults = results([...loadWatchlist().entities, ...entities]);
    expect(own.about).toBe(146);
    // Without the seed's untracked entities in the pool it lost 119: every word leaned away from the entity. With them
    // and the seed's threshold, 26; a borrowed profile's own threshold (chosen on the even rows) leaves 11.
    expect(own.lost).toBeLessThanOrEqual(besideDefaults.lost + 2);
    expect(own.lost).toBeLessThanOrEqual(11);
    expect(own.wrong).toBeLessThanOrEqual(11);
  });

  it('alerts an entity alone in its watchlist on its bare surname, in words its topics never listed', () => {
    const easterly = entities.find((entity) => entity.id === 'easterly')!;
    const matcher = compileMatcher([easterly]).withTopics(TopicModel.build([easterly], { seed: TOPIC_SEED, now: 0 }));
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
