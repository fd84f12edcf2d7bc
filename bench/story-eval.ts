// Story clustering quality on the labelled sets: pair precision/recall/F1, alerts versus events, LSH layouts, key counts.
import { type LshLayout, ORIGIN_THRESHOLD, STORY_LSH, STORY_THRESHOLD, STORY_WINDOW_MS } from '../lambda/core/story';
import {
  type CandidateSearch,
  clusterErrors,
  loadItems,
  loadPairs,
  type PairScores,
  pairDecision,
  replayStream,
  type Split,
  scorePairs,
} from '../test/support/story-stream';

const f3 = (x: number) => x.toFixed(3);
const show = (s: PairScores) =>
  `P ${f3(s.precision)}  R ${f3(s.recall)}  F1 ${f3(s.f1)}  (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`;
const layoutName = (search: CandidateSearch) =>
  search === 'exhaustive' ? 'every live item' : `LSH ${search.bands}x${search.rows}`;

/** The shipped layout first, then the two it was chosen against. */
const SEARCHES: CandidateSearch[] = [STORY_LSH, { bands: 10, rows: 2 } satisfies LshLayout, 'exhaustive'];

function report(split: Split): void {
  const items = loadItems(split);
  const pairs = loadPairs(split);
  const same = pairs.filter((p) => p.same).length;
  console.log(
    `\n== ${split}: ${items.length} items, ${pairs.length} labelled pairs (${same} same, ${pairs.length - same} different)`,
  );
  console.log(
    `pairs judged alone (similarity >= ${STORY_THRESHOLD}):  ${show(scorePairs(pairs, pairDecision(items, STORY_THRESHOLD)))}`,
  );
  for (const search of SEARCHES) {
    const { storyOf, alerts } = replayStream(items, search);
    const errors = clusterErrors(items, storyOf);
    const clustered = scorePairs(pairs, (p) => storyOf.get(p.a) === storyOf.get(p.b));
    console.log(`stream, candidates from ${layoutName(search).padEnd(15)} ${show(clustered)}`);
    console.log(
      `    alerts ${alerts.length} for ${errors.events} events; split: ${errors.splitEvents.join(', ') || 'none'}; ` +
        `merged: ${errors.mixedStories.join('; ') || 'none'}`,
    );
  }
  const entities = items.reduce((sum, item) => sum + item.entities.length, 0) / items.length;
  console.log(
    `entities per item ${entities.toFixed(2)} -> band keys per item ${(entities * STORY_LSH.bands).toFixed(1)}`,
  );
}

function sweep(split: Split): void {
  const items = loadItems(split);
  const pairs = loadPairs(split);
  console.log(`\n== threshold sweep, pairs judged alone, ${split} set`);
  for (let step = 3; step <= 10; step++) {
    const threshold = step / 20;
    console.log(`  ${threshold.toFixed(2)}  ${show(scorePairs(pairs, pairDecision(items, threshold)))}`);
  }
}

console.log(
  `story clustering: window ${STORY_WINDOW_MS / 3600_000} h, join at similarity >= ${STORY_THRESHOLD} to a member ` +
    `and >= ${ORIGIN_THRESHOLD} to the first item, ${layoutName(STORY_LSH)}`,
);
report('tune');
report('heldout');
sweep('tune');
