// Story filing quality on the labelled sets, before (whole-signature overlap) and after (event evidence): lost events first.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { STORY_LSH, STORY_WINDOW_MS } from '../lambda/core/story';
import { JOIN_WEIGHT, NEAR_DUPLICATE, ORIGIN_WEIGHT } from '../lambda/core/story-evidence';
import { COMMON_SHARE, RARE_SHARE, RARITY_PRIOR_DOCS } from '../lambda/core/term-rarity';
import {
  byPublication,
  clusterErrors,
  type JoinRule,
  type LabelledItem,
  loadItems,
  loadPairs,
  type PairScores,
  pairDecision,
  replayStream,
  type Split,
  scorePairs,
} from '../test/support/story-stream';

const f3 = (x: number) => x.toFixed(3);
const show = (s: PairScores) => `P ${f3(s.precision)} R ${f3(s.recall)} (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`;

const TUNING: Split[] = [
  'tune',
  'dense-tune',
  'related-tune',
  'wide-tune',
  'probe-tune',
  'probe-blind',
  'probe-blind2',
  'probe-blind3',
];
/** `--tuning`: the tuning sets only, so a change can be measured without reading the held-out results. */
const SPLITS: Split[] = process.argv.includes('--tuning')
  ? TUNING
  : [
      ...TUNING,
      'heldout',
      'dense-heldout',
      'blind2',
      'blind3',
      'probe-check',
      'probe-blind4',
      'probe-blind5',
      'probe-blind6',
      'probe-blind7',
      'probe-blind8',
      'probe-blind9',
    ];
/** Sets whose events are never named in the output: whoever reads them could tune on them. */
const BLIND: ReadonlySet<Split> = new Set<Split>([
  'probe-blind4',
  'probe-blind5',
  'probe-blind6',
  'probe-blind7',
  'probe-blind8',
  'probe-blind9',
]);

/** The event of each story's first report (its alert): what the user was told the story is about. */
function eventOfStoryStart(items: readonly LabelledItem[], storyOf: ReadonlyMap<string, string>): Map<string, string> {
  const events = new Map<string, string>();
  for (const item of byPublication(items)) {
    const story = storyOf.get(item.id)!;
    if (!events.has(story)) events.set(story, item.event);
  }
  return events;
}

/**
 * A lost event: no item of it alerted, because every one joined a story of another event. The user never hears of
 * it. (An event whose first report joined another event's story but a later report alerted is late: lateEvents.)
 */
export function lostEvents(items: readonly LabelledItem[], storyOf: ReadonlyMap<string, string>): string[] {
  const alerted = new Set(eventOfStoryStart(items, storyOf).values());
  return [...new Set(items.map((item) => item.event))].filter((event) => !alerted.has(event));
}

/** A late event: its first report joined another event's story, so the user heard of it only from a later report. */
export function lateEvents(items: readonly LabelledItem[], storyOf: ReadonlyMap<string, string>): string[] {
  const storyEvent = eventOfStoryStart(items, storyOf);
  const firstOfEvent = new Map<string, LabelledItem>();
  for (const item of byPublication(items)) if (!firstOfEvent.has(item.event)) firstOfEvent.set(item.event, item);
  const lost = new Set(lostEvents(items, storyOf));
  return [...firstOfEvent.values()]
    .filter((first) => storyEvent.get(storyOf.get(first.id)!) !== first.event && !lost.has(first.event))
    .map((first) => first.event);
}

/**
 * Extra alerts (a second alert for an event) whose "Follow-up to" line names a story of that same event: the user
 * sees at once that it is more coverage of what they were told.
 */
export function markedRepeats(
  items: readonly LabelledItem[],
  storyOf: ReadonlyMap<string, string>,
  alerts: readonly { story: { id: string }; followUp?: { id: string } }[],
): number {
  const storyEvent = eventOfStoryStart(items, storyOf);
  const alerted = new Set<string>();
  let marked = 0;
  for (const alert of alerts) {
    const event = storyEvent.get(alert.story.id)!;
    if (alerted.has(event) && alert.followUp && storyEvent.get(alert.followUp.id) === event) marked += 1;
    alerted.add(event);
  }
  return marked;
}

function evaluate(split: Split, rule: JoinRule) {
  const items = loadItems(split);
  const { storyOf, alerts } = replayStream(items, STORY_LSH, rule);
  const errors = clusterErrors(items, storyOf);
  const pairs = loadPairs(split);
  return {
    items: items.length,
    events: errors.events,
    alerts: alerts.length,
    lost: lostEvents(items, storyOf),
    marked: markedRepeats(items, storyOf, alerts),
    late: lateEvents(items, storyOf),
    merged: errors.mixedStories,
    split: errors.splitEvents,
    stream: scorePairs(pairs, (p) => storyOf.get(p.a) === storyOf.get(p.b)),
  };
}

function main(): void {
  console.log(
    `story filing: window ${STORY_WINDOW_MS / 3600_000} h, LSH ${STORY_LSH.bands}x${STORY_LSH.rows}; joins on ` +
      `near-duplicate event terms (Jaccard >= ${NEAR_DUPLICATE}), the same act or a reaction to it adding nothing ` +
      `rare, or shared event-term weight >= ${JOIN_WEIGHT} ` +
      `(>= ${ORIGIN_WEIGHT} with the first item); weight 1 at <= ${RARE_SHARE * 100}% of documents, 0 at >= ` +
      `${COMMON_SHARE * 100}%, ${RARITY_PRIOR_DOCS} prior documents`,
  );
  const totals = {
    events: 0,
    before: { alerts: 0, lost: 0, late: 0 },
    after: { alerts: 0, lost: 0, late: 0, marked: 0 },
  };
  for (const split of SPLITS) {
    if (!existsSync(join(__dirname, '..', 'test', 'fixtures', 'stories', `${split}-items.jsonl`))) continue;
    const before = evaluate(split, 'baseline');
    const after = evaluate(split, 'evidence');
    const alone = scorePairs(loadPairs(split), pairDecision(loadItems(split)));
    totals.events += after.events;
    totals.before.alerts += before.alerts;
    totals.before.lost += before.lost.length;
    totals.before.late += before.late.length;
    totals.after.late += after.late.length;
    totals.after.alerts += after.alerts;
    totals.after.lost += after.lost.length;
    totals.after.marked += after.marked;
    console.log(`\n== ${split}: ${after.items} items, ${after.events} events`);
    for (const [name, r] of [
      ['before', before],
      ['after ', after],
    ] as const) {
      const named = (events: readonly string[]) =>
        events.length && !BLIND.has(split) ? ` (${events.join(', ')})` : '';
      console.log(
        `${name}  lost ${r.lost.length}${named(r.lost)}; ` +
          `late ${r.late.length}${named(r.late)}; alerts ${r.alerts} ` +
          `(${r.alerts - r.events + r.lost.length} extra, ${r.marked} marked as a follow-up of their own event); ` +
          `stream pairs ${show(r.stream)}`,
      );
      if (!BLIND.has(split)) {
        console.log(`        merged: ${r.merged.join('; ') || 'none'}; split: ${r.split.join(', ') || 'none'}`);
      }
    }
    console.log(`after, pairs judged alone: ${show(alone)}`);
  }
  const pct = (alerts: number, lost: number) =>
    `${(((alerts - totals.events + lost) / totals.events) * 100).toFixed(1)}%`;
  console.log(
    `\n${SPLITS.length === TUNING.length ? 'tuning sets' : 'all sets'}, ${totals.events} events: before lost ${totals.before.lost}, late ${totals.before.late}, alerts ${totals.before.alerts} ` +
      `(extra ${pct(totals.before.alerts, totals.before.lost)}); after lost ${totals.after.lost}, late ${totals.after.late}, alerts ` +
      `${totals.after.alerts} (extra ${pct(totals.after.alerts, totals.after.lost)}, ` +
      `${totals.after.marked} of them marked as a follow-up of their own event)`,
  );
}

if (require.main === module) main();
