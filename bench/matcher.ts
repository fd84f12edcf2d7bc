// Matcher throughput (MB/s of normalized text) at 10 to 10,000 entities, beside one regex per alias in the same run.
import { MemoryStateStore } from '../lambda/adapters/memory-state-store';
import { loadWatchlist } from '../lambda/adapters/watchlist-file';
import { compileMatcher, type Matcher } from '../lambda/core/match';
import { normalizeItem } from '../lambda/core/normalize';
import type { Entity, NormalizedItem } from '../lambda/core/types';
import { startTopicLearning } from '../lambda/pipeline/topic-learning';
import { compileMatcherBefore } from './support/match-before';
import { newsItems, syntheticEntities } from './support/news-corpus';
import { benchFlags, fmt, heading, median, ms, ratio, table, target } from './support/report';

const SIZES = [10, 100, 1_000, 10_000] as const;
const { quick } = benchFlags();
const ITEMS = quick ? 1_500 : 4_000;
const ROUNDS = quick ? 3 : 5;
/** The baseline is slow at large sizes: each round reads as many items as fit in this time. */
const BASELINE_BUDGET_MS = quick ? 150 : 400;

/** The naive way: one case-insensitive, word-bounded regex per alias, tried field by field. */
function regexBaseline(entities: Entity[]): Matcher {
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const compiled = entities.map((entity) => ({
    id: entity.id,
    patterns: entity.aliases.map((alias) => new RegExp(`\\b${literal(alias)}\\b`, 'i')),
  }));
  return {
    match(item) {
      const fields = [item.title, item.summary ?? '', item.content ?? ''];
      return compiled
        .filter(({ patterns }) => patterns.some((pattern) => fields.some((field) => pattern.test(field))))
        .map(({ id }) => ({ entityId: id, evidence: [] }));
    },
  };
}

interface Round {
  /** MB (10^6 bytes) per second of this process's CPU time: what the code costs, however loaded the machine is. */
  cpu: number;
  /** MB per second of wall time. */
  wall: number;
  items: number;
}

/** One round over `items` (stopping once `budgetMs` of wall time has passed). */
function round(matcher: Matcher, items: NormalizedItem[], sizes: number[], budgetMs = Infinity): Round {
  let bytes = 0;
  let found = 0;
  let index = 0;
  let elapsed = 0;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  for (; index < items.length && elapsed < budgetMs; index++) {
    found += matcher.match(items[index]!).length;
    bytes += sizes[index]!;
    if ((index & 7) === 7) elapsed = performance.now() - start;
  }
  elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  if (found < 0) console.log(found); // keeps the work observable, so it cannot be optimized away
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { cpu: bytes / 1e6 / cpuSeconds, wall: bytes / 1e6 / (elapsed / 1000), items: index };
}

function entitySets(matcher: Matcher, items: NormalizedItem[]): string[] {
  return items.map((item) =>
    matcher
      .match(item)
      .map((match) => match.entityId)
      .sort()
      .join(','),
  );
}

const allEntities = syntheticEntities(SIZES.at(-1)!);
// A quarter of items mention one of the first ten entities (in every watchlist size), another quarter someone from the
// whole 10,000: each size sees hits, and larger watchlists see more of them.
const mentionOf = (index: number): string | undefined => {
  const roll = (index * 2654435761) % 100;
  if (roll < 25) return allEntities[index % 10]!.aliases[index % 3];
  if (roll < 50) return allEntities[(index * 7919) % allEntities.length]!.aliases[(index >> 2) % 3];
  return undefined;
};
const feed = { name: 'Bench News', url: 'https://news.example.test/feed.xml' };
// Through the real normalizer, so the matcher reads the strings the pipeline hands it.
const corpus = newsItems(ITEMS, 42, mentionOf).map((raw) => normalizeItem(raw, feed));
const encoder = new TextEncoder();
const itemBytes = corpus.map(
  (item) =>
    encoder.encode(item.title).length + encoder.encode(item.summary).length + encoder.encode(item.content).length,
);
const corpusBytes = itemBytes.reduce((a, b) => a + b, 0);

heading(`matcher: ${fmt(ITEMS)} generated items, ${fmt(corpusBytes / 1e6, 2)} MB of normalized text, ${ROUNDS} rounds`);
console.log(
  'three aliases per entity; baseline = one /\\balias\\b/i per alias, same run, rounds interleaved; medians.\n' +
    'MB/s is per second of CPU time (the code alone; this machine is shared), wall-clock MB/s beside it.',
);

interface Row {
  size: number;
  compileMs: number;
  matcher: Round;
  baseline: Round;
  agreement: number;
  matched: number;
}

const rows: Row[] = [];
for (const size of SIZES) {
  const entities = allEntities.slice(0, size);
  const compileStart = performance.now();
  const matcher = compileMatcher(entities);
  const compileMs = performance.now() - compileStart;
  const baseline = regexBaseline(entities);
  round(matcher, corpus, itemBytes); // warm-up: optimized code, learned fold tables
  const matcherRounds: Round[] = [];
  const baselineRounds: Round[] = [];
  for (let index = 0; index < ROUNDS; index++) {
    // Interleaved, so a burst of load from another process hits both sides alike.
    matcherRounds.push(round(matcher, corpus, itemBytes));
    const offset = (index * 97) % corpus.length; // the baseline's budget-limited slice moves, to see varied items
    const items = [...corpus.slice(offset), ...corpus.slice(0, offset)];
    const sizes = [...itemBytes.slice(offset), ...itemBytes.slice(0, offset)];
    baselineRounds.push(round(baseline, items, sizes, BASELINE_BUDGET_MS));
  }
  // The same entities found as the baseline finds, on as many items as one baseline round reads (names in the corpus
  // are plain ASCII, which the baseline handles too).
  const sampleSize = Math.max(20, Math.min(quick ? 100 : 300, ...baselineRounds.map((r) => r.items)));
  const sample = corpus.slice(0, sampleSize);
  const ours = entitySets(matcher, sample);
  const theirs = entitySets(baseline, sample);
  const summary = (rounds: Round[]): Round => ({
    cpu: median(rounds.map((r) => r.cpu)),
    wall: median(rounds.map((r) => r.wall)),
    items: median(rounds.map((r) => r.items)),
  });
  rows.push({
    size,
    compileMs,
    matcher: summary(matcherRounds),
    baseline: summary(baselineRounds),
    agreement: ours.filter((set, index) => set === theirs[index]).length / sample.length,
    matched: ours.filter((set) => set !== '').length / sample.length,
  });
}

table(
  ['entities', 'compile', 'MB/s', 'wall MB/s', 'baseline MB/s', 'baseline wall', 'speed-up', 'items hit', 'agree'],
  rows.map((row) => [
    fmt(row.size),
    ms(row.compileMs, 1),
    fmt(row.matcher.cpu, 1),
    fmt(row.matcher.wall, 1),
    fmt(row.baseline.cpu, 3),
    fmt(row.baseline.wall, 3),
    ratio(row.matcher.cpu / row.baseline.cpu, 0),
    `${fmt(row.matched * 100)}%`,
    `${fmt(row.agreement * 100, 1)}%`,
  ]),
);

const bySize = (size: number) => rows.find((row) => row.size === size)!;
const at1000 = bySize(1_000);
const slowdown = bySize(10).matcher.cpu / bySize(10_000).matcher.cpu;
target(
  'matcher >= 50 MB/s at 1,000 entities',
  at1000.matcher.cpu >= 50,
  `${fmt(at1000.matcher.cpu, 1)} MB/s of CPU time (${fmt(at1000.matcher.wall, 1)} wall)`,
);
target(
  'matcher at 10,000 entities within 2x of 10',
  slowdown <= 2,
  `${ratio(slowdown, 2)} (${fmt(bySize(10).matcher.cpu, 1)} vs ${fmt(bySize(10_000).matcher.cpu, 1)} MB/s)`,
);
target(
  'matcher >= 20x the regex baseline at 1,000 entities',
  at1000.matcher.cpu / at1000.baseline.cpu >= 20,
  `${ratio(at1000.matcher.cpu / at1000.baseline.cpu, 0)} (${fmt(at1000.matcher.cpu, 1)} vs ${fmt(at1000.baseline.cpu, 2)} MB/s)`,
);

// Before and after topic profiles, in this run: the default watchlist beside synthetic entities, items that name its
// people by surname alone as often as by full name (the case the profiles decide), the poll's own matcher (profiles
// loaded, lessons collected) against the matcher as it was (bench/support/match-before.ts).
const defaults = loadWatchlist().entities;
const BARE = ['Krebs', 'Sterling', 'CISA', 'Masterson', 'Christopher Krebs', 'Gabriel Sterling', 'Matt Masterson'];
const bareMention = (index: number): string | undefined => {
  const roll = (index * 2654435761) % 100;
  if (roll < 20) return BARE[index % BARE.length];
  return mentionOf(index);
};
const bareCorpus = newsItems(ITEMS, 43, bareMention).map((raw) => normalizeItem(raw, feed));
const bareBytes = bareCorpus.map(
  (item) =>
    encoder.encode(item.title).length + encoder.encode(item.summary).length + encoder.encode(item.content).length,
);

async function beforeAfter(): Promise<void> {
  heading('matcher before and after topic profiles (same run, rounds interleaved)');
  const compareRows: string[][] = [];
  let at1000 = 0;
  for (const size of [10, 1_000] as const) {
    const entities = [...defaults, ...allEntities.slice(0, size)];
    const before = compileMatcherBefore(entities);
    const learning = await startTopicLearning(new MemoryStateStore(), entities, compileMatcher(entities), 0);
    const after: Matcher = { match: (item) => learning.matcher.match(item, { feed: feed.name }) };
    round(before, bareCorpus, bareBytes);
    round(after, bareCorpus, bareBytes);
    const beforeRounds: Round[] = [];
    const afterRounds: Round[] = [];
    for (let index = 0; index < ROUNDS; index++) {
      beforeRounds.push(round(before, bareCorpus, bareBytes));
      afterRounds.push(round(after, bareCorpus, bareBytes));
    }
    const cpuBefore = median(beforeRounds.map((r) => r.cpu));
    const cpuAfter = median(afterRounds.map((r) => r.cpu));
    if (size === 1_000) at1000 = cpuAfter / cpuBefore;
    const hits = (m: Matcher) => bareCorpus.filter((item) => m.match(item).length > 0).length / bareCorpus.length;
    compareRows.push([
      fmt(entities.length),
      fmt(cpuBefore, 1),
      fmt(cpuAfter, 1),
      `${fmt((cpuAfter / cpuBefore) * 100)}%`,
      `${fmt(hits(before) * 100)}%`,
      `${fmt(hits(after) * 100)}%`,
    ]);
  }
  table(['entities', 'before MB/s', 'after MB/s', 'after/before', 'items hit before', 'after'], compareRows);
  target(
    'matcher with topic profiles within 15% of the matcher before them at 1,000 entities',
    at1000 >= 0.85,
    `${fmt(at1000 * 100)}% of its throughput`,
  );
}

beforeAfter();
