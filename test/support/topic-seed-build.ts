// Builds config/topic-seed.json, the topic profiles shipped for the default entities, from the project's tuning sets.
// `npx tsx test/support/topic-seed-build.ts [--check]`: --check exits 1 when the committed file differs from a fresh build.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { type LabelledText, seedCounts } from '../../lambda/core/topic-seed';
import { type HeadlineSet, type LabelledHeadline, loadHeadlines } from './headline-sets';
import { loadItems } from './story-stream';

export const SEED_PATH = join(__dirname, '..', '..', 'config', 'topic-seed.json');

/** A labelled headline as the seed reads it. */
export function labelledHeadline({ title, summary, publisher, expected }: LabelledHeadline): LabelledText {
  return {
    title,
    ...(summary === undefined ? {} : { summary }),
    ...(publisher ? { publisher } : {}),
    entities: expected,
  };
}

/** The story fixtures' tuning items as the seed reads them. */
export function storyTexts(): LabelledText[] {
  return loadItems('tune').map(({ title, summary, publisher, entities }) => ({ title, summary, publisher, entities }));
}

/** The headline sets whose tuning halves the seed learns from (a reviewer's probe is measured, not learned). */
export const SEED_SETS: readonly HeadlineSet[] = ['bare', 'named', 'offbeat', 'later'];

/** The tuning halves only: held-out headlines measure the seed and must never shape it. */
export function seedTexts(): LabelledText[] {
  return [...SEED_SETS.flatMap((set) => loadHeadlines(set, 'tune')).map(labelledHeadline), ...storyTexts()];
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
