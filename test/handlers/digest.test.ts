// The digest handler on local servers: coverage polled into DynamoDB (dynalite), digests published to SNS (fauxqs) and
// received by queues subscribed with each audience's filter policy; nothing on a day without stories.
import { DynamoStateStore } from '../../lambda/adapters/dynamo-state-store';
import { HttpFeedSource } from '../../lambda/adapters/http-feed-source';
import { SnsDigestPublisher } from '../../lambda/adapters/sns-digest-publisher';
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { AUDIENCE_ATTRIBUTE } from '../../lambda/contract/sns-attributes';
import { digestAudiences } from '../../lambda/core/digest';
import { compileMatcher } from '../../lambda/core/match';
import { type StoryRecord, startStory, storySignature } from '../../lambda/core/story';
import type { Alert } from '../../lambda/core/types';
import { createDigestHandler } from '../../lambda/handlers/digest';
import { digestConfigFromEnv, HandlerConfigError } from '../../lambda/handlers/env';
import { pollFeed } from '../../lambda/pipeline';
import { type LocalDynamo, startDynalite } from '../support/dynalite';
import { type LocalSns, type QueueSubscription, startFauxqs } from '../support/fauxqs';
import { FeedServer } from '../support/feed-server';
import { pollPorts } from '../support/poll-ports';
import { labelledRss, loadItems } from '../support/story-stream';
import { recordedTelemetry } from './fixtures';

const watchlist = loadWatchlist();
// Polled just before the 12:00 digest: a digest holds the stories recorded in its 24 hours.
const POLLED_AT = Date.parse('2020-11-18T11:55:00Z');
const coverage = loadItems('tune').filter((item) =>
  ['t-fired-reuters', 't-fired-ap', 't-fired-cyberscoop', 't-threats-gn-hill', 't-threats-ajc'].includes(item.id),
);

let feedServer: FeedServer;
let dynamo: LocalDynamo;
let sns: LocalSns;
let state: DynamoStateStore;
let alerts: Alert[];
let topicArn: string;
let queues: Record<'all' | 'krebs' | 'masterson', QueueSubscription>;

beforeAll(async () => {
  [feedServer, dynamo, sns] = await Promise.all([
    FeedServer.start({
      routes: {
        '/news.rss': {
          body: labelledRss('News', coverage, true),
        },
      },
    }),
    startDynalite(),
    startFauxqs(),
  ]);
  state = new DynamoStateStore({ client: dynamo.client, tableName: await dynamo.createStateTable() });
  alerts = [];
  const sink = {
    publish: async (batch: Alert[]) => {
      alerts.push(...batch);
      return batch.map((alert) => ({ alertId: alert.id, ok: true as const }));
    },
  };
  const outcome = await pollFeed(
    { url: feedServer.url('/news.rss'), name: 'News' },
    pollPorts({ source: new HttpFeedSource({ addressPolicy: 'any' }), state, sink, clock: { now: () => POLLED_AT } }),
    { matcher: compileMatcher(watchlist.entities), entities: watchlist.entities, backfillHours: 24 },
  );
  expect(outcome.joined.length).toBeGreaterThan(0);
  topicArn = await sns.createTopic('digest');
  // As the stack subscribes them: every digest subscription filters on its audience.
  const subscribe = (audience: string) => sns.subscribeQueue(topicArn, { [AUDIENCE_ATTRIBUTE]: [audience] });
  queues = { all: await subscribe('all'), krebs: await subscribe('krebs'), masterson: await subscribe('masterson') };
}, 60_000);

afterAll(async () => {
  await Promise.all([feedServer?.close(), dynamo?.stop(), sns?.stop()]);
});

function digestHandler() {
  const telemetry = recordedTelemetry();
  const handler = createDigestHandler({
    stories: state,
    publisher: new SnsDigestPublisher({ client: sns.sns, topicArn }),
    entities: watchlist.entities,
    audiences: digestAudiences([undefined, ['krebs'], ['masterson']]),
    clock: { now: () => Date.parse('2030-01-01T00:00:00Z') },
    telemetry,
  });
  return { handler, telemetry };
}

test('sends each audience the stories of its entities from the 24 hours before the scheduled time', async () => {
  const { handler, telemetry } = digestHandler();
  const summary = await handler({ scheduledTime: '2020-11-18T12:00:00Z' });
  expect(summary).toEqual({
    from: '2020-11-17T12:00:00.000Z',
    to: '2020-11-18T12:00:00.000Z',
    sent: ['all', 'krebs'],
    quiet: ['masterson'],
    failed: [],
  });
  expect(telemetry.metrics.total('DigestsSent')).toBe(2);

  // One story per alert that started one ("Same story as" alerts bring a story to another entity's followers).
  const stories = alerts.filter((alert) => alert.partOf === undefined);
  const [everything, ...extra] = await sns.receive(queues.all.queueUrl, 1);
  expect(extra).toEqual([]);
  expect(everything?.Subject).toBe(
    `[news-alerts] Digest for 2020-11-17 12:00 UTC to 2020-11-18 12:00 UTC: ${stories.length} stories`,
  );
  const bodies = JSON.parse(everything!.Message) as { email: string; sms: string; default: string };
  // One story per alert the poll sent, under its entity, with every report that joined it and its link.
  for (const alert of stories) expect(bodies.email).toContain(`\n${alert.title}\n`);
  expect(bodies.email).toContain('\nChristopher Krebs\n');
  expect(bodies.email).toContain('\nBrad Raffensperger\n');
  for (const item of coverage) expect(bodies.email).toContain(`  - ${item.publisher}: ${item.link}`);
  expect(bodies.sms).toMatch(/^News alerts digest to 2020-11-18 12:00 UTC: \d stories\. Krebs: .*; Raffensperger: /);

  const [krebsOnly] = await sns.receive(queues.krebs.queueUrl, 1);
  const krebsEmail = JSON.parse(krebsOnly!.Message).email as string;
  expect(krebsEmail).toContain('\nChristopher Krebs\n');
  expect(krebsEmail).not.toContain('Raffensperger');
  expect(await sns.receive(queues.masterson.queueUrl, 0, { timeoutMs: 500, settleMs: 500 })).toEqual([]);
});

/** `count` stories of the day before `to`, each covered by a dozen outlets with Google News-length links. */
function busyDay(count: number, to: number): StoryRecord[] {
  const ids = watchlist.entities.map((entity) => entity.id);
  return Array.from({ length: count }, (_, index) => {
    const at = to - 86_400_000 + (index + 1) * Math.floor(86_000_000 / (count + 1));
    const story = startStory(
      `st-${index}`,
      storySignature({ title: 'x' }),
      [ids[index % ids.length]!],
      { publisher: 'Reuters', title: 'x', link: 'https://reuters.test/x', seenAt: at },
      at,
    );
    return {
      ...story,
      title: `Georgia election officials respond to recount dispute number ${index} as certification deadline nears`,
      sources: Array.from({ length: 12 }, (_, outlet) => ({
        publisher: `Outlet ${outlet}`,
        title: `Report ${outlet}`,
        link: `https://news.google.com/rss/articles/CBMi${'x'.repeat(120)}${index}-${outlet}?oc=5`,
        seenAt: at,
      })),
    };
  });
}

test('sends a busy day’s digest whole: seventy stories of a dozen reports each fit one SNS message', async () => {
  const day = Date.parse('2020-11-18T07:00:00Z');
  const stories = busyDay(70, day);
  const busyTopic = await sns.createTopic();
  const everyone = await sns.subscribeQueue(busyTopic, { [AUDIENCE_ATTRIBUTE]: ['all'] });
  const handler = createDigestHandler({
    stories: { storiesBetween: async () => stories },
    publisher: new SnsDigestPublisher({ client: sns.sns, topicArn: busyTopic }),
    entities: watchlist.entities,
    audiences: digestAudiences([undefined]),
    clock: { now: () => day },
    telemetry: recordedTelemetry(),
  });
  expect((await handler({ scheduledTime: new Date(day).toISOString() })).sent).toEqual(['all']);
  const [received] = await sns.receive(everyone.queueUrl, 1);
  expect(JSON.parse(received!.Message).email).toContain('recount dispute number 69');
});

test('sends the other audiences their digest when one publish fails, then fails the run naming it', async () => {
  const sent: string[] = [];
  const telemetry = recordedTelemetry();
  const handler = createDigestHandler({
    stories: state,
    publisher: {
      publish: async (_digest, audience) => {
        if (audience === 'all') throw new Error('Throttling: Rate exceeded');
        sent.push(audience);
        return 'message-id';
      },
    },
    entities: watchlist.entities,
    audiences: digestAudiences([undefined, ['krebs']]),
    clock: { now: () => 0 },
    telemetry,
  });
  await expect(handler({ scheduledTime: '2020-11-18T12:00:00Z' })).rejects.toThrow(
    'digest not sent to all: Throttling: Rate exceeded',
  );
  expect(sent).toEqual(['krebs']);
});

test('sends nothing at all on a day without stories', async () => {
  const { handler, telemetry } = digestHandler();
  const summary = await handler({ scheduledTime: '2020-12-25T07:00:00Z' });
  expect(summary.sent).toEqual([]);
  expect(summary.quiet).toEqual(['all', 'krebs', 'masterson']);
  expect(telemetry.metrics.total('DigestsSent')).toBe(0);
  for (const queue of Object.values(queues)) {
    expect(await sns.receive(queue.queueUrl, 0, { timeoutMs: 300, settleMs: 300 })).toEqual([]);
  }
});

test('covers the day before the invocation when the event carries no scheduled time', async () => {
  const telemetry = recordedTelemetry();
  const handler = createDigestHandler({
    stories: state,
    publisher: { publish: async () => 'never' },
    entities: watchlist.entities,
    audiences: [{ key: 'all' }],
    clock: { now: () => Date.parse('2020-11-18T06:00:00Z') },
    telemetry,
  });
  expect(await handler({})).toMatchObject({ from: '2020-11-17T06:00:00.000Z', to: '2020-11-18T06:00:00.000Z' });
});

describe('digest config from the environment', () => {
  const env = {
    STATE_TABLE_NAME: 'table',
    DIGEST_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:NewsAlerts-Digest',
    NEWS_ALERTS_WATCHLIST: JSON.stringify(watchlist),
  };
  const problemsOf = (read: () => unknown) => {
    try {
      read();
    } catch (error) {
      if (error instanceof HandlerConfigError) return error.problems;
      throw error;
    }
    throw new Error('expected a HandlerConfigError');
  };

  test('reads the audiences the stack subscribed', () => {
    const audiences = [{ key: 'all' }, { key: 'cisa,krebs', entities: ['cisa', 'krebs'] }];
    const config = digestConfigFromEnv({ ...env, DIGEST_AUDIENCES: JSON.stringify(audiences) });
    expect(config).toMatchObject({ stateTableName: 'table', digestTopicArn: env.DIGEST_TOPIC_ARN, audiences });
  });

  test('names a missing, non-JSON or misshapen audience list', () => {
    expect(problemsOf(() => digestConfigFromEnv(env))).toEqual(['env.DIGEST_AUDIENCES: must be set']);
    expect(problemsOf(() => digestConfigFromEnv({ ...env, DIGEST_AUDIENCES: '[' }))[0]).toMatch(
      /^env.DIGEST_AUDIENCES: not JSON/,
    );
    expect(problemsOf(() => digestConfigFromEnv({ ...env, DIGEST_AUDIENCES: '[{"entities":[]}]' }))).toEqual([
      'env.DIGEST_AUDIENCES.0.key: must be set',
      'env.DIGEST_AUDIENCES.0.entities: must not be empty',
    ]);
  });
});
