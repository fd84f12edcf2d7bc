// The shipped seed profile: rebuilt from the tuning sets alone, it must equal the file in config/.
import { readFileSync } from 'node:fs';
import { loadHeadlines } from '../support/headline-sets';
import { buildTopicSeed, SEED_PATH, seedTexts } from '../support/topic-seed-build';

describe('config/topic-seed.json', () => {
  it('is what test/support/topic-seed-build.ts builds now (run it after changing a tuning set or the watchlist)', () => {
    expect(readFileSync(SEED_PATH, 'utf8')).toBe(buildTopicSeed());
  });

  it('is built without a single held-out or blind headline', () => {
    const texts = new Set(seedTexts().map((t) => t.title));
    const heldOut = [
      ...loadHeadlines('bare', 'heldout'),
      ...loadHeadlines('named', 'heldout'),
      ...loadHeadlines('bare', 'blind'),
      ...loadHeadlines('offbeat', 'heldout'),
      ...loadHeadlines('later', 'blind'),
    ];
    expect(heldOut.length).toBeGreaterThan(600);
    expect(heldOut.filter((h) => texts.has(h.title)).map((h) => h.title)).toEqual([]);
  });
});
