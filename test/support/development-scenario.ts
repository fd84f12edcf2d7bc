// Polls a scenario of headlines over hours through the shipped path (pollFeeds over a FeedServer on 127.0.0.1), one
// poll after each item, so a new development arrives in a later poll than the story it must not be joined to.
import { join } from 'node:path';
import { NewsWriter } from '../../bench/support/news-corpus';
import { HttpFeedSource } from '../../lambda/adapters/http-feed-source';
import { MemoryStateStore } from '../../lambda/adapters/memory-state-store';
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { compileMatcher } from '../../lambda/core/match';
import { TopicModel } from '../../lambda/core/topic-model';
import type { Alert, FeedConfig } from '../../lambda/core/types';
import { type FeedOutcome, pollFeeds, type StoryJoin } from '../../lambda/pipeline';
import { TOPIC_SEED } from '../../lambda/pipeline/topic-learning';
import { CapturingSink } from '../reliability/harness';
import { FeedServer } from './feed-server';
import { pollPorts } from './poll-ports';
import { newsRss } from './story-stream';

/** The default entities and ten a user added (test/fixtures/user-entities): an election official's beat at large. */
const entities = [
  ...loadWatchlist().entities,
  ...loadWatchlist(join(__dirname, '..', 'fixtures', 'user-entities', 'watchlist.yaml')).entities,
];

export interface FeedItem {
  title: string;
  summary?: string;
  /** Hours after the scenario's start. */
  hour: number;
  /** Feed (outlet) name; default "Outlet". For Google News copies use a name starting with "Google News". */
  feed?: string;
  /** Publisher shown in a Google News <source>. */
  publisher?: string;
  link?: string;
}

let counter = 0;
const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60);

export interface ScenarioResult {
  /** Titles of the alerts that started a story (not "Same story as" alerts), in order. */
  alerted: string[];
  alerts: Alert[];
  /** Every join, with its reason and shared terms (what `poll --explain` prints). */
  joined: StoryJoin[];
  /** "title -> story title (reason: terms)" for each join: a readable failure message. */
  joins: string[];
}

/**
 * Polls `items` as they appear: one poll right after each item's hour (every feed serves every item published so far),
 * and one more an hour after the last. `background` items (an unrelated feed) are served from the first poll on: the
 * news the poller reads besides its entities' coverage, which its term table counts.
 */
export async function runScenario(
  items: readonly FeedItem[],
  options: { start?: string; background?: readonly { title: string; summary?: string }[] } = {},
): Promise<ScenarioResult> {
  const start = Date.parse(options.start ?? '2024-03-04T08:00:00Z');
  const server = await FeedServer.start();
  try {
    const dated = items.map((item) => {
      const at = start + item.hour * 3_600_000;
      return {
        ...item,
        at,
        link: item.link ?? `https://${slug(item.feed ?? 'outlet')}.test/${++counter}/${slug(item.title)}`,
      };
    });
    const feedNames = [...new Set(dated.map((item) => item.feed ?? 'Outlet'))];
    const feeds: FeedConfig[] = feedNames.map((name) => ({ url: server.url(`/${slug(name)}-${++counter}.rss`), name }));
    if (options.background) {
      const path = `/background-${++counter}.rss`;
      const bg = options.background.map((item, index) => ({
        ...item,
        hour: 0,
        at: start - 3_600_000 - index * 1000,
        link: `https://background.test/${counter}/${index}`,
      }));
      server.route(path, {
        headers: { 'content-type': 'application/rss+xml' },
        body: newsRss(
          'Background news',
          bg.map((item) => ({ ...item, guid: item.link })),
        ),
      });
      feeds.push({ url: server.url(path), name: 'Background news' });
    }
    const clock = { time: start, now: () => clock.time };
    const state = new MemoryStateStore();
    const sink = new CapturingSink();
    const ports = pollPorts({ source: new HttpFeedSource({ addressPolicy: 'any' }), state, sink, clock });
    const matcher = compileMatcher(entities, {
      topics: TopicModel.build(entities, { seed: TOPIC_SEED, now: start }),
    });
    const pollTimes = [...new Set(dated.map((item) => item.at + 10 * 60_000))].sort((a, b) => a - b);
    const outcomes: FeedOutcome[] = [];
    for (const time of pollTimes) {
      clock.time = time;
      for (const [index, name] of feedNames.entries()) {
        const served = dated.filter((item) => (item.feed ?? 'Outlet') === name && item.at <= time);
        server.route(new URL(feeds[index]!.url).pathname, {
          headers: { 'content-type': 'application/rss+xml' },
          body: newsRss(
            name,
            served.map((item) => ({ ...item, guid: item.link })),
          ),
        });
      }
      outcomes.push(...(await pollFeeds(feeds, ports, { matcher, entities: entities, backfillHours: 24 })));
    }
    for (const outcome of outcomes) {
      if (outcome.status === 'error') throw new Error(`feed ${outcome.name}: ${JSON.stringify(outcome)}`);
    }
    const alerts = sink.published;
    const joined = outcomes.flatMap((outcome) => outcome.joined);
    return {
      alerts,
      alerted: alerts.filter((alert) => alert.partOf === undefined).map((alert) => alert.title),
      joined,
      joins: joined.map(
        (j) =>
          `${j.title} -> ${j.storyTitle} (${j.reason} ${j.weight}: ${j.sharedTerms.map((t) => `${t.term} ${t.weight}`).join(', ')})`,
      ),
    };
  } finally {
    await server.close();
  }
}

/**
 * Ordinary news the poller reads besides its entities' coverage (the bench's generator), so the term table is not only
 * the scenario's own items: rare words are rarer, beat words like "lawsuit" or "governor" commoner.
 */
export function backgroundNews(count = 1_000, seed = 11): { title: string; summary: string }[] {
  const writer = new NewsWriter(seed);
  return Array.from({ length: count }, () => ({
    title: writer.sentence(8).slice(0, -1),
    summary: writer.paragraph(1),
  }));
}
