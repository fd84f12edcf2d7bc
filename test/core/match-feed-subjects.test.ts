// A feed whose own search names a person in full (a Google News search for "Chris Krebs"): a bare surname in its
// items is that person's, whatever the name rules or the topic profile would read in the headline.
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { compileMatcher, type MatchContext } from '../../lambda/core/match';
import { TopicModel } from '../../lambda/core/topic-model';
import { TOPIC_SEED } from '../../lambda/pipeline/topic-learning';

const { entities } = loadWatchlist();
const matcher = compileMatcher(entities).withTopics(TopicModel.build(entities, { seed: TOPIC_SEED, now: 0 }));
const KREBS_FEED: MatchContext = { feed: 'Google News - Chris Krebs', about: ['krebs'] };
const ids = (title: string, context?: MatchContext) => matcher.match({ title }, context).map((m) => m.entityId);

describe('a bare name in an item of a feed that searched for the full name', () => {
  it.each([
    'Krebs cheers on son at high school wrestling final - Des Moines Register', // words of sport: the profile leans away
    'Krebs Bitcoin ATM warning: scams are draining retirees - WTOP', // a capitalized word after it: a name part
    'Dr. Krebs? Tulane gives the former official an honorary degree - Inside Higher Ed', // an honorific before it
  ])('counts for the searched person, with the feed as its evidence: %s', (title) => {
    expect(ids(title)).toEqual([]);
    const [match] = matcher.match({ title }, KREBS_FEED);
    expect(match).toMatchObject({ entityId: 'krebs', evidence: [{ context: 'feed: Google News - Chris Krebs' }] });
  });

  it('still lets a look-alike named in the item, or an exclude in its link, keep the bare name', () => {
    expect(ids('Brian Krebs: phishing kits now target election offices, Krebs finds', KREBS_FEED)).toEqual([]);
    expect(
      matcher.match(
        { title: 'Krebs on the new phishing kits', link: 'https://krebsonsecurity.com/2026/01/kits/' },
        KREBS_FEED,
      ),
    ).toEqual([]);
  });

  it("counts only for the searched person: another's bare name in the same item is judged as anywhere", () => {
    expect(ids('Krebs and Sterling cheer on sons at high school wrestling final', KREBS_FEED)).toEqual(['krebs']);
  });
});
