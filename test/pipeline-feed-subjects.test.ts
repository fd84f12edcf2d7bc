// Through the real poll (pollFeeds over a feed server on 127.0.0.1, the shipped topic profiles): a title-only item of a
// feed that searched for a full name alerts for that person, though the same headline from another feed does not.
import { HttpFeedSource } from '../lambda/adapters/http-feed-source';
import { MemoryStateStore } from '../lambda/adapters/memory-state-store';
import { loadWatchlist } from '../lambda/adapters/watchlist-file';
import { compileMatcher } from '../lambda/core/match';
import type { FeedConfig } from '../lambda/core/types';
import { pollFeeds } from '../lambda/pipeline';
import { startTopicLearning } from '../lambda/pipeline/topic-learning';
import { CapturingSink } from './reliability/harness';
import { FeedServer } from './support/feed-server';
import { pollPorts } from './support/poll-ports';
import { type LabelledItem, labelledRss } from './support/story-stream';

const { entities } = loadWatchlist();
const AT = Date.parse('2026-03-02T12:00:00Z');
let server: FeedServer;
beforeAll(async () => {
  server = await FeedServer.start();
});
afterAll(async () => {
  await server.close();
});

const item = (id: string, title: string, link: string): LabelledItem => ({
  id,
  event: id,
  entities: ['krebs'],
  publisher: 'Des Moines Register',
  link,
  publishedAt: new Date(AT - 3_600_000).toISOString(),
  title,
  summary: '',
});

function serve(path: string, name: string, items: LabelledItem[], about?: string[]): FeedConfig {
  server.route(path, { headers: { 'content-type': 'application/rss+xml' }, body: labelledRss(name, items) });
  return { url: server.url(path), name, ...(about && { about }) };
}

test('alerts the bare surname of the feed searched for his full name, and only there', async () => {
  const title = 'Krebs cheers on son at high school wrestling final';
  const feeds = [
    serve(
      '/gn-krebs.rss',
      'Google News - Chris Krebs',
      [item('gn-1', title, 'https://news.google.com/rss/articles/k1')],
      ['krebs'],
    ),
    serve('/sports.rss', 'Prep Sports', [item('sp-1', title, 'https://sports.example/krebs-wrestling')]),
  ];
  const state = new MemoryStateStore();
  const sink = new CapturingSink();
  const clock = { now: () => AT };
  const learning = await startTopicLearning(state, entities, compileMatcher(entities), AT);
  const outcomes = await pollFeeds(
    feeds,
    pollPorts({ source: new HttpFeedSource({ addressPolicy: 'any' }), state, sink, clock }),
    { matcher: learning.matcher, entities, backfillHours: 24 },
  );
  expect(outcomes.map((outcome) => outcome.status)).toEqual(['ok', 'ok']);
  expect(sink.published.map((alert) => [alert.link, alert.entities])).toEqual([
    ['https://news.google.com/rss/articles/k1', ['krebs']],
  ]);
  // What the search settled teaches his profile, as an alias would.
  expect(await learning.save(AT)).toMatchObject({ entities: 1, examples: 1 });
});
