// Builds config/topic-seed.json, the topic profiles shipped for the default entities, from the project's tuning sets.
// `npx tsx test/support/topic-seed-build.ts [--check]`: --check exits 1 when the committed file differs from a fresh build.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { type LabelledText, seedCounts } from '../../lambda/core/topic-seed';
import { loadHeadlines } from './headline-sets';
import { loadItems } from './story-stream';

export const SEED_PATH = join(__dirname, '..', '..', 'config', 'topic-seed.json');

/** The tuning halves only: held-out headlines measure the seed and must never shape it. */
export function seedTexts(): LabelledText[] {
  const text = (item: { title: string; summary?: string }) => `${item.title}\n${item.summary ?? ''}`;
  return [
    ...loadHeadlines('bare', 'tune').map((h) => ({ text: text(h), entities: h.expected })),
    ...loadHeadlines('named', 'tune').map((h) => ({ text: text(h), entities: h.expected })),
    ...loadItems('tune').map((item) => ({ text: text(item), entities: item.entities })),
  ];
}

export function buildTopicSeed(): string {
  const seed = seedCounts(loadWatchlist().entities, seedTexts());
  // One entity a line: small, and a rebuild's diff shows which entity changed.
  const lines = Object.entries(seed).map(([id, counts]) => `${JSON.stringify(id)}: ${JSON.stringify(counts)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

if (require.main === module) {
  const built = buildTopicSeed();
  if (process.argv.includes('--check')) {
    const same = readFileSync(SEED_PATH, 'utf8') === built;
    console.log(
      same ? `${SEED_PATH} is up to date` : `${SEED_PATH} is stale: run npx tsx test/support/topic-seed-build.ts`,
    );
    process.exitCode = same ? 0 : 1;
  } else {
    writeFileSync(SEED_PATH, built);
    console.log(`wrote ${SEED_PATH} (${built.length} bytes)`);
  }
}
