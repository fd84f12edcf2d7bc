// Which tracked entities a feed's own search names in full, read from the watchlist or a Google News query.
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { feedSubjects } from '../../lambda/core/feed-subjects';

const { entities, feeds } = loadWatchlist();
const search = (query: string) => ({
  url: `https://news.google.com/rss/search?q=${encodeURIComponent(query)}&hl=en-US&gl=US&ceid=US:en`,
  name: 'Google News',
});

describe('feedSubjects', () => {
  it("reads the default watchlist's Google News searches for full names, and not the one for a bare surname", () => {
    const subjects = Object.fromEntries(feeds.map((feed) => [feed.name, feedSubjects(feed, entities)]));
    expect(subjects).toMatchObject({
      'Google News - Chris Krebs': ['krebs'],
      'Google News - CISA': ['cisa'],
      'Google News - Matthew Masterson': ['masterson'],
      'Google News - Gabriel Sterling': ['sterling'],
      // q=Raffensperger: the surname alone, which says no more than the headline does.
      'Google News - Brad Raffensperger': [],
      CyberScoop: [],
    });
  });

  it('reads a query only when every phrase is quoted and names one entity in two words or more', () => {
    expect(feedSubjects(search('"Chris Krebs" OR "Christopher Krebs" when:7d'), entities)).toEqual(['krebs']);
    expect(feedSubjects(search('"Chris Krebs" -sports'), entities)).toEqual(['krebs']);
    // A loose word widens the search: items need not name him in full.
    expect(feedSubjects(search('"Chris Krebs" OR Krebs'), entities)).toEqual([]);
    expect(feedSubjects(search('Chris Krebs'), entities)).toEqual([]);
    // Two people: an item names one of them, not both.
    expect(feedSubjects(search('"Chris Krebs" OR "Matt Masterson"'), entities)).toEqual([]);
    // A phrase that is no alias ("Krebs cycle") says nothing of the tracked person.
    expect(feedSubjects(search('"Krebs cycle"'), entities)).toEqual([]);
    expect(feedSubjects({ url: 'https://example.org/rss?q=%22Chris+Krebs%22', name: 'x' }, entities)).toEqual([]);
  });

  it("takes the watchlist's own about first, an empty list included", () => {
    expect(feedSubjects({ ...search('"Chris Krebs"'), about: [] }, entities)).toEqual([]);
    expect(feedSubjects({ url: 'https://example.org/krebs.rss', name: 'x', about: ['krebs'] }, entities)).toEqual([
      'krebs',
    ]);
  });
});
