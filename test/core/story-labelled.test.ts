// The labelled story sets: lost events and extra alerts within the documented bounds, whatever the arrival order.
import { lostEvents, markedRepeats } from '../../bench/story-eval';
import { orderErrors, orders } from '../../bench/story-orders';
import { NewsWriter } from '../../bench/support/news-corpus';
import { STORY_LSH, signatureTerms } from '../../lambda/core/story';
import { clusterErrors, defaultStoryContext, loadItems, loadPairs, replayStream } from '../support/story-stream';

describe('the labelled sets', () => {
  // Figures from bench/story-eval.ts. The held-out sets chose no parameter. A bound that goes up is a trade
  // docs/stories.md explains (an alert more for an event no longer late); lost stays 0.
  it.each([
    ['tune', 0, 32],
    ['dense-tune', 0, 22],
    ['heldout', 0, 30],
    ['dense-heldout', 0, 25],
    ['blind2', 0, 31],
    ['blind3', 0, 39],
    ['related-tune', 0, 26],
    ['wide-tune', 0, 35],
    // A reviewer's probe: new developments in their story's own words ("firewall software" after "VPN software").
    ['probe-tune', 0, 9],
    ['probe-check', 0, 7],
    // Three probes by writers who had read nothing of the project; the one lost event of each was read (now tuning).
    ['probe-blind', 0, 64],
    ['probe-blind2', 0, 85],
    ['probe-blind3', 0, 109],
    // A fourth, read once after every rule above (counts only).
    ['probe-blind4', 0, 187],
    // A fifth, committed before the rules after it and read as counts only.
    ['probe-blind5', 0, 172],
    // A sixth, a third of it title-only Google News copies, committed before it was read (counts only).
    ['probe-blind6', 0, 161],
    // A seventh, committed before it was read and read once as counts only.
    ['probe-blind7', 0, 160],
    // An eighth, committed before it was read and read once as counts only.
    ['probe-blind8', 0, 158],
    // A ninth, committed before it was read and read once as counts only.
    ['probe-blind9', 0, 156],
  ] as const)('%s set: at most %d lost events and %d extra alerts', (split, lost, extra) => {
    const items = loadItems(split);
    const { storyOf, alerts } = replayStream(items);
    const lostNow = lostEvents(items, storyOf);
    expect(lostNow.length).toBeLessThanOrEqual(lost);
    const { events } = clusterErrors(items, storyOf);
    expect(events).toBeGreaterThanOrEqual(12);
    expect(alerts.length).toBeGreaterThanOrEqual(events - lostNow.length);
    expect(alerts.length).toBeLessThanOrEqual(events + extra);
  });

  it.each([
    ['tune', 0],
    ['dense-tune', 1],
    ['related-tune', 3],
    ['wide-tune', 4],
  ] as const)('%s set: every extra alert but %d says "Follow-up to" a story of its own event', (split, unmarked) => {
    const items = loadItems(split);
    const { storyOf, alerts } = replayStream(items);
    const alerted = new Set([...storyOf.values()]).size;
    const { events } = clusterErrors(items, storyOf);
    const extra = alerted - (events - lostEvents(items, storyOf).length);
    expect(extra).toBeGreaterThan(0);
    expect(extra - markedRepeats(items, storyOf, alerts)).toBeLessThanOrEqual(unmarked);
  });

  it.each(['tune', 'dense-tune', 'related-tune', 'wide-tune'] as const)(
    '%s set: no event lost whatever order the reports arrive in (times reversed or shuffled, filed out of order)',
    (split) => {
      for (const [order, items, arrival] of orders(loadItems(split))) {
        const { storyOf } = replayStream(items, STORY_LSH, 'evidence', defaultStoryContext(), arrival);
        expect({ order, lost: orderErrors(items, storyOf).lost }).toEqual({ order, lost: [] });
      }
    },
  );

  it.each(['tune', 'dense-tune', 'related-tune', 'wide-tune'] as const)(
    '%s set: no event lost after 5,000 generated unrelated items were read, which makes event words rarer',
    (split) => {
      const items = loadItems(split);
      const context = defaultStoryContext();
      const writer = new NewsWriter(3);
      for (let i = 0; i < 5_000; i++) {
        const background = { title: writer.sentence(8).slice(0, -1), summary: writer.paragraph(1) };
        context.rarity.observe(signatureTerms(background));
      }
      expect(lostEvents(items, replayStream(items, STORY_LSH, 'evidence', context).storyOf)).toEqual([]);
    },
  );

  it('labels pairs consistently with the events of their items', () => {
    for (const split of [
      'tune',
      'heldout',
      'dense-tune',
      'dense-heldout',
      'related-tune',
      'wide-tune',
      'blind2',
      'blind3',
      'probe-tune',
      'probe-check',
      'probe-blind',
      'probe-blind2',
      'probe-blind3',
      'probe-blind4',
      'probe-blind5',
      'probe-blind6',
      'probe-blind7',
      'probe-blind8',
      'probe-blind9',
    ] as const) {
      const byId = new Map(loadItems(split).map((item) => [item.id, item]));
      const pairs = loadPairs(split);
      expect(pairs.length).toBeGreaterThan(40);
      for (const pair of pairs) {
        expect({ pair, same: byId.get(pair.a)?.event === byId.get(pair.b)?.event }).toEqual({ pair, same: pair.same });
      }
    }
  });
});
