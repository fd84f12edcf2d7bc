// The join rule on its own: unrelated reports naming one person never join, and rarity follows the news read.
import { NewsWriter } from '../../bench/support/news-corpus';
import { storySignature } from '../../lambda/core/story';
import { joinEvidence } from '../../lambda/core/story-evidence';
import { mergeTermCounts, TermRarity } from '../../lambda/core/term-rarity';
import { defaultStoryContext } from '../support/story-stream';

/** Generated news items (the poll benchmark's kind of text), every one naming Brad Raffensperger. */
function reportsNaming(count: number, seed: number) {
  const writer = new NewsWriter(seed);
  return Array.from({ length: count }, () =>
    storySignature({
      title: writer.sentence(7 + writer.integer(6), 'Brad Raffensperger').slice(0, -1),
      summary: writer.paragraph(1 + writer.integer(2)),
    }),
  );
}

describe('unrelated reports naming one person', () => {
  it('never join each other: 100,000 pairs of generated items give 0 joins', () => {
    const context = defaultStoryContext();
    const items = reportsNaming(2_000, 11);
    // The poller reads every item of every feed, most of them naming nobody on the watchlist.
    for (const background of reportsNaming(8_000, 12)) context.rarity.observe(background.terms);
    for (const item of items) context.rarity.observe(item.terms);
    let joins = 0;
    let pairs = 0;
    let sharedSome = 0;
    for (let a = 0; a < items.length && pairs < 100_000; a++) {
      for (let b = a + 1; b < items.length && pairs < 100_000; b += 19) {
        const evidence = joinEvidence(items[a]!, items[b]!, items[b]!, context);
        pairs += 1;
        if (evidence.shared.length > 0) sharedSome += 1;
        if (evidence.joins) joins += 1;
      }
    }
    expect(pairs).toBe(100_000);
    // They do share words (the generator draws from one vocabulary): the rule, not a lack of overlap, keeps them apart.
    expect(sharedSome).toBeGreaterThan(50_000);
    expect(joins).toBe(0);
  });
});

describe('term rarity', () => {
  it('weighs a word by how common it is in the news read: common words weigh nothing, rare ones fully', () => {
    const rarity = new TermRarity();
    for (let i = 0; i < 5_000; i++) rarity.observe(i % 5 === 0 ? ['trump', 'says'] : [`w${i}`]);
    rarity.observe(['digenova']);
    expect(rarity.weight('trump')).toBe(0);
    expect(rarity.weight('digenova')).toBe(1);
    expect(rarity.weight('never-seen')).toBe(1);
  });

  it('stays bounded and forgets slowly: the table keeps its most frequent terms and halves past its half-life', () => {
    const rarity = new TermRarity();
    for (let i = 0; i < 60_000; i++) rarity.observe(['common', `rare${i}`]);
    const counts = rarity.counts();
    expect(Object.keys(counts.df).length).toBeLessThanOrEqual(4_000);
    expect(counts.docs).toBeLessThanOrEqual(50_000);
    expect(counts.df.common).toBe(counts.docs);
  });

  it('counts each document once however often a feed serves it, and a quarter of them past the first 10,000', () => {
    const rarity = new TermRarity();
    for (let poll = 0; poll < 3; poll++) {
      for (let i = 0; i < 4_000; i++) rarity.observeOnce(`https://news.test/${i}`, () => ['word']);
    }
    expect(rarity.counts().docs).toBe(4_000);
    for (let i = 4_000; i < 30_000; i++) rarity.observeOnce(`https://news.test/${i}`, () => ['word']);
    const past = rarity.counts().docs - 10_000;
    expect(past).toBeGreaterThan(4_000);
    expect(past).toBeLessThan(6_000);
  });

  it('merges what a poll read into the stored table, so the next poll starts from both', () => {
    const poll = new TermRarity();
    poll.observe(['sentinelone', 'memo']);
    const merged = mergeTermCounts({ docs: 10, df: { memo: 3 } }, poll.takeAdded());
    expect(merged).toEqual({ docs: 11, df: { memo: 4, sentinelone: 1 } });
    expect(poll.takeAdded()).toEqual({ docs: 0, df: {} });
  });
});
