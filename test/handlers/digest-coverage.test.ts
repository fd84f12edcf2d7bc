// What the daily digest covers, polled through the real pipeline into each store: a story polled just after the cut-off
// is in the next digest, and a story that later coverage ties to another entity is in that entity's digest.
import { DynamoStateStore } from '../../lambda/adapters/dynamo-state-store';
import { HttpFeedSource } from '../../lambda/adapters/http-feed-source';
import { MemoryStateStore } from '../../lambda/adapters/memory-state-store';
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { type Digest, digestAudiences } from '../../lambda/core/digest';
import { compileMatcher } from '../../lambda/core/match';
import type { Alert, FeedConfig } from '../../lambda/core/types';
import { createDigestHandler } from '../../lambda/handlers/digest';
import { pollFeeds } from '../../lambda/pipeline';
import type { AlertSink, StateStore } from '../../lambda/ports';
import { type LocalDynamo, startDynalite } from '../support/dynalite';
import { FeedServer } from '../support/feed-server';
import { pollPorts } from '../support/poll-ports';
import { type LabelledItem, labelledRss, loadItems } from '../support/story-stream';
import { recordedTelemetry } from './fixtures';

const watchlist = loadWatchlist();
const options = { matcher: compileMatcher(watchlist.entities), entities: watchlist.entities, backfillHours: 24 };

let server: FeedServer;
let dynamo: LocalDynamo;
beforeAll(async () => {
  [server, dynamo] = await Promise.all([FeedServer.start(), startDynalite()]);
});
afterAll(async () => {
  await Promise.all([server.close(), dynamo.stop()]);
});

class CollectingSink implements AlertSink {
  readonly published: Alert[] = [];
  async publish(alerts: Alert[]) {
    this.published.push(...alerts);
    return alerts.map((alert) => ({ alertId: alert.id, ok: true as const }));
  }
}

let routes = 0;
function serve(name: string, items: readonly LabelledItem[]): FeedConfig {
  const path = `/coverage-${++routes}.rss`;
  server.route(path, { body: labelledRss(name, items) });
  return { url: server.url(path), name };
}

/** Polls `feeds` at `at` into `state`. */
async function poll(state: StateStore, feeds: FeedConfig[], at: string, sink = new CollectingSink()) {
  const ports = pollPorts({
    source: new HttpFeedSource({ addressPolicy: 'any' }),
    state,
    sink,
    clock: { now: () => Date.parse(at) },
  });
  await pollFeeds(feeds, ports, options);
  return sink;
}

/** The digests the handler builds at each scheduled time, per audience. */
async function digestsAt(state: StateStore, audiences: (string[] | undefined)[], ...times: string[]) {
  const built: { audience: string; digest: Digest }[] = [];
  const handler = createDigestHandler({
    stories: state,
    publisher: {
      publish: async (digest, audience) => {
        built.push({ audience, digest });
        return 'message-id';
      },
    },
    entities: watchlist.entities,
    audiences: digestAudiences(audiences),
    clock: { now: () => 0 },
    telemetry: recordedTelemetry(),
  });
  for (const scheduledTime of times) await handler({ scheduledTime });
  return built;
}

const titlesIn = (built: { digest: Digest }[]) =>
  built.flatMap(({ digest }) => digest.groups.flatMap((group) => group.stories.map((story) => story.title)));

describe.each([
  ['memory', async (): Promise<StateStore> => new MemoryStateStore()],
  [
    'DynamoDB (dynalite)',
    async (): Promise<StateStore> =>
      new DynamoStateStore({ client: dynamo.client, tableName: await dynamo.createStateTable() }),
  ],
])('the digest over the %s store', (_label, open) => {
  it('lists a story published just before the cut-off and polled just after it in the next digest, once', async () => {
    const state = await open();
    const report = (publishedAt: string): LabelledItem => ({
      id: 'r',
      event: 'r',
      entities: ['raffensperger'],
      publisher: 'Wire',
      link: 'https://wire.test/recount',
      publishedAt,
      title: 'Brad Raffensperger orders full hand recount of Georgia presidential ballots',
      summary: '',
    });
    const snow = {
      ...report('2020-11-18T05:00:00Z'),
      id: 's',
      link: 'https://wire.test/snow',
      title: 'Snow in Atlanta',
    };
    const feed = serve('Wire', [snow]);
    await poll(state, [feed], '2020-11-18T05:30:00Z');
    server.route(new URL(feed.url).pathname, { body: labelledRss('Wire', [report('2020-11-18T06:50:00Z'), snow]) });
    const sink = await poll(state, [feed], '2020-11-18T07:05:00Z');
    expect(sink.published.map((alert) => alert.title)).toEqual([report('').title]);

    const built = await digestsAt(state, [undefined], '2020-11-18T07:00:00Z', '2020-11-19T07:00:00Z');
    expect(titlesIn(built)).toEqual([report('').title]);
  });

  it('lists a story in the digest of an entity that only later coverage names', async () => {
    const state = await open();
    const fired = loadItems('tune').filter((item) => item.event === 'krebs-fired');
    const feeds = [...new Set(fired.map((item) => item.publisher))].map((publisher) =>
      serve(
        publisher,
        fired.filter((item) => item.publisher === publisher),
      ),
    );
    const sink = await poll(state, feeds, '2020-11-18T15:00:00Z');
    // CISA's instant followers were told in a "Same story as" alert; its digest followers must see the story too.
    const sameStory = sink.published.filter((alert) => alert.partOf && alert.entities.includes('cisa'));
    expect(sameStory).toHaveLength(1);
    const built = await digestsAt(state, [['cisa']], '2020-11-18T16:00:00Z');
    const cisaStories = built.flatMap(({ digest }) => digest.groups.flatMap((group) => group.stories));
    expect(cisaStories.map((story) => story.id)).toContain(sameStory[0]?.storyId);
  });
});
