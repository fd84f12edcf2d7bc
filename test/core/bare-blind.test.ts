// The blind half of the bare-name headlines: counts only, its headlines never printed, so no one tunes on them.
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { compileMatcher } from '../../lambda/core/match';
import { TopicModel } from '../../lambda/core/topic-model';
import { TOPIC_SEED } from '../../lambda/pipeline/topic-learning';
import { loadHeadlines, score } from '../support/headline-sets';

const { entities } = loadWatchlist();
const matcher = compileMatcher(entities).withTopics(TopicModel.build(entities, { seed: TOPIC_SEED, now: 0 }));
const found = (headline: { title: string }) => matcher.match(headline).map((match) => match.entityId);

describe('bare surnames and acronyms in headlines written blind, by someone who read nothing of the project', () => {
  const scores = score(loadHeadlines('bare', 'blind'), found);

  it('loses at most 2 of its 78 (entity, headline) pairs', () => {
    expect(scores.tp + scores.fn).toBe(78);
    expect(scores.fn).toBeLessThanOrEqual(2);
  });

  it('lets in look-alikes for at most 13 (entity, headline) pairs of its 72 look-alike rows', () => {
    expect(scores.fp).toBeLessThanOrEqual(13);
  });
});
