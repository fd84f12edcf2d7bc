// Bare surnames in the tracked people's news after 2020 and off the election beat, beside look-alikes of the same years.
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { compileMatcher } from '../../lambda/core/match';
import { TopicModel } from '../../lambda/core/topic-model';
import { TOPIC_SEED } from '../../lambda/pipeline/topic-learning';
import { loadHeadlines, score } from '../support/headline-sets';

const { entities } = loadWatchlist();
const matcher = compileMatcher(entities).withTopics(TopicModel.build(entities, { seed: TOPIC_SEED, now: 0 }));
const found = (headline: { title: string }) => matcher.match(headline).map((match) => match.entityId);

describe('headlines of the tracked people’s later news, written without reading the matcher', () => {
  it('alerts every one of the tuning file’s 66 (entity, headline) pairs, which the seed learns from', () => {
    const scores = score(loadHeadlines('later', 'tune'), found);
    expect(scores.tp).toBe(66);
    expect(scores.lost.map(({ headline }) => headline.title)).toEqual([]);
  });

  it('loses none of the blind file’s 66 pairs, and lets in at most 2 look-alikes (counts only: never printed)', () => {
    const scores = score(loadHeadlines('later', 'blind'), found);
    expect(scores.tp + scores.fn).toBe(66);
    expect(scores.fn).toBe(0);
    expect(scores.fp).toBeLessThanOrEqual(2);
  });
});
