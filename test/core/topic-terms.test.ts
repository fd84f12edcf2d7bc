// The terms a topic profile reads from an item: folded like the matcher's text, stemmed, and where the item comes from.
import { itemTopicTerms, topicTerms } from '../../lambda/core/topic-terms';

describe('topic terms', () => {
  it('folds case, accents, quotes and possessives as the matcher does, drops function words and trims suffixes', () => {
    expect(topicTerms('Hackers hacked O’Brien’s CAFÉ, and Krebs\'s "voting" co-chair')).toEqual([
      'hacker',
      'hack',
      'obrien',
      'caf',
      'kreb',
      'vot',
      'co',
      'chair',
    ]);
  });

  it('reads a figure whole: "1,300 jobs" is not "300", and "2,000" is not stemmed to "200"', () => {
    expect(topicTerms('CISA to cut 1,300 jobs, 6.3 Tbps, 2,000 staff. 5, 6 and 7')).toEqual([
      'cisa',
      'cut',
      '1300',
      'job',
      '63',
      'tbp',
      '2000',
      'staf',
    ]);
  });

  it('stops at the limit, keeping the first words', () => {
    expect(topicTerms('ballots voters recount audit', 2)).toEqual(['ballot', 'voter']);
  });

  it('reads the publisher as a term of its own and not the " - Publisher" ending Google News titles carry', () => {
    const terms = itemTopicTerms({ title: 'Krebs warns of Chinese hackers - The Record', publisher: 'The Record' });
    expect(terms).toEqual(['kreb', 'warn', 'chines', 'hacker', '@record']);
  });

  it("takes the feed's name for the publisher when the item names none", () => {
    expect(itemTopicTerms({ title: 'Sterling back in training' }, 'BBC Sport')).toContain('@bbc sport');
    expect(itemTopicTerms({ title: 'Sterling back in training', publisher: 'Sky Sports' }, 'BBC Sport')).toContain(
      '@sky sport',
    );
    expect(itemTopicTerms({ title: 'Sterling back in training' }).some((term) => term.startsWith('@'))).toBe(false);
  });
});
