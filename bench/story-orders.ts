// Story filing in other orders than publication order: lost, late events and alerts per tuning set and order.
import { storyIdFor } from '../lambda/core/story';
import {
  type ArrivalOrder,
  byPublication,
  type LabelledItem,
  loadItems,
  replayStream,
} from '../test/support/story-stream';

/** Events none of whose reports started a story, and events whose first-filed report joined another event's story. */
export function orderErrors(filed: readonly LabelledItem[], storyOf: ReadonlyMap<string, string>) {
  const starts = (item: LabelledItem) => storyOf.get(item.id) === storyIdFor(item.id);
  const alerted = new Set(filed.filter(starts).map((item) => item.event));
  const events = [...new Set(filed.map((item) => item.event))];
  const lost = events.filter((event) => !alerted.has(event));
  const eventOfStory = new Map(filed.filter(starts).map((item) => [storyOf.get(item.id)!, item.event]));
  const firstFiled = new Map<string, LabelledItem>();
  for (const item of filed) if (!firstFiled.has(item.event)) firstFiled.set(item.event, item);
  const late = [...firstFiled.values()]
    .filter((item) => eventOfStory.get(storyOf.get(item.id)!) !== item.event && alerted.has(item.event))
    .map((item) => item.event);
  return { lost, late };
}

/**
 * The orders, each as its items are filed: publication order; publication times mirrored (the events happen in
 * reverse) or drawn at random; and reports filed reversed or shuffled at their own publication times (feeds polled
 * side by side deliver out of order).
 */
export function orders(items: readonly LabelledItem[]): [string, LabelledItem[], ArrivalOrder][] {
  const byTime = byPublication(items);
  const times = items.map((item) => Date.parse(item.publishedAt));
  const [first, last] = [Math.min(...times), Math.max(...times)];
  let seed = 7;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed;
  };
  const mirrored = items.map((item) => ({
    ...item,
    publishedAt: new Date(first + last - Date.parse(item.publishedAt)).toISOString(),
  }));
  const drawn = items.map((item) => ({
    ...item,
    publishedAt: new Date(first + (random() % (last - first + 1))).toISOString(),
  }));
  seed = 7;
  const shuffled = byTime
    .map((item) => [random(), item] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, item]) => item);
  return [
    ['forward', byTime, 'published'],
    ['time-reversed', byPublication(mirrored), 'published'],
    ['time-shuffled', byPublication(drawn), 'published'],
    ['arrival-reversed', [...byTime].reverse(), 'as-given'],
    ['arrival-shuffled', shuffled, 'as-given'],
  ];
}

function main(): void {
  for (const split of ['tune', 'dense-tune', 'related-tune', 'wide-tune'] as const) {
    const out: string[] = [];
    for (const [name, items, arrival] of orders(loadItems(split))) {
      const result = replayStream(items, undefined, 'evidence', undefined, arrival);
      const { lost, late } = orderErrors(items, result.storyOf);
      out.push(
        `${name} ${lost.length}/${late.length}/${result.alerts.length}${lost.length ? ` (${lost.join(' ')})` : ''}`,
      );
    }
    console.log(`${split.padEnd(13)} lost/late/alerts: ${out.join(' | ')}`);
  }
}

if (require.main === module) main();
