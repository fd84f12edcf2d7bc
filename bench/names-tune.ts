// Tuning view of the names benchmark: cross-validated figures and errors on the tuning halves only, never the held-out.
// `npx tsx bench/names-tune.ts [threshold=0.5 share=0.7 smoothing=0.25 ...]`
import { loadWatchlist } from '../lambda/adapters/watchlist-file';
import { DEFAULT_TOPIC_SETTINGS, type TopicSettings } from '../lambda/core/topic-model';
import type { Scores } from '../test/support/headline-sets';
import { crossValidated, FOLDS } from './support/names-cv';

const settings: TopicSettings = { ...DEFAULT_TOPIC_SETTINGS };
for (const arg of process.argv.slice(2)) {
  const [key, value] = arg.split('=');
  if (!key || !(key in settings) || value === undefined) throw new Error(`unknown setting ${arg}`);
  (settings as unknown as Record<string, number>)[key] = Number(value);
}
const f3 = (x: number) => x.toFixed(3);
const show = (s: Scores) => `P ${f3(s.precision)}  R ${f3(s.recall)}  (fn ${s.fn}, fp ${s.fp})`;
const cv = crossValidated(loadWatchlist().entities, settings);
console.log(JSON.stringify(settings));
for (const [set, scores] of Object.entries(cv)) {
  console.log(`\n== ${set} headlines, tuning half, ${FOLDS}-fold cross-validated: ${show(scores)}`);
  for (const { headline, missing } of scores.lost) console.log(`  LOST  ${missing.join(',')}: ${headline.title}`);
  for (const { headline, wrong } of scores.extra) console.log(`  EXTRA ${wrong.join(',')}: ${headline.title}`);
}
