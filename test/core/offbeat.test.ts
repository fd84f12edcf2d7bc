// Headlines about the tracked people in words of other walks of life: refusing them loses the alerts that matter most.
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { compileMatcher } from '../../lambda/core/match';
import { TopicModel } from '../../lambda/core/topic-model';
import { TOPIC_SEED } from '../../lambda/pipeline/topic-learning';
import { loadHeadlines, score } from '../support/headline-sets';

const { entities } = loadWatchlist();
const matcher = compileMatcher(entities).withTopics(TopicModel.build(entities, { seed: TOPIC_SEED, now: 0 }));
const offbeat = loadHeadlines('offbeat', 'heldout');
const found = (headline: { title: string }) => matcher.match(headline).map((match) => match.entityId);

describe('off-beat headlines about the tracked people (a family death, a ballgame, hospital ransomware)', () => {
  it('alerts every one naming Raffensperger by his surname alias: no topic of the words ever vetoes it', () => {
    const his = offbeat.filter((headline) => headline.expected.includes('raffensperger'));
    expect(his.length).toBeGreaterThan(100);
    expect(his.filter((headline) => !found(headline).includes('raffensperger')).map((h) => h.title)).toEqual([]);
  });

  it('loses no more of the bare ambiguous names than the one the shipped profile leans away from', () => {
    const bare = offbeat.filter((headline) => !headline.expected.includes('raffensperger'));
    expect(bare.length).toBeGreaterThan(35);
    const scores = score(bare, found);
    expect(scores.fn).toBeLessThanOrEqual(1);
    expect(scores.fp).toBe(0);
  });
});
