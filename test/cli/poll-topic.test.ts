// `news-alerts poll --topic-arn`: the local command publishing to a real SNS topic (fauxqs on 127.0.0.1), as a user
// tuning a watchlist would before deploying: what a subscriber receives, and a refused publish retried next poll.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localCliEnv } from '../support/fake-aws';
import { type LocalSns, type QueueSubscription, startFauxqs } from '../support/fauxqs';
import { FeedServer } from '../support/feed-server';
import { runCli, watchlistYaml } from './run-cli';

const HOUR = 3_600_000;

function rss(items: { guid: string; title: string; link: string }[]): string {
  const published = new Date(Date.now() - HOUR).toUTCString();
  const entries = items.map(
    (item) =>
      `<item><title>${item.title}</title><guid isPermaLink="false">${item.guid}</guid><link>${item.link}</link>` +
      `<pubDate>${published}</pubDate></item>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>${entries.join('')}</channel></rss>`;
}

const KREBS_FIRED = {
  guid: 'bbc-54982360',
  title: 'Trump fires US election security official Christopher Krebs',
  link: 'https://www.bbc.co.uk/news/world-us-canada-54982360',
};
const BRIAN_KREBS = {
  guid: 'kos-1',
  title: 'Brian Krebs: phishing kits now target election offices',
  link: 'https://krebsonsecurity.example.test/2020/11/kits',
};

let sns: LocalSns;
let server: FeedServer;
let dir: string;
let topicArn: string;
let subscriber: QueueSubscription;
/** The child's environment: fake credentials, and SNS at fauxqs through the SDK's own endpoint variable. */
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  sns = await startFauxqs();
  // No region: the CLI takes it from the topic ARN.
  env = localCliEnv(tmpdir(), { AWS_ENDPOINT_URL_SNS: sns.endpoint }, { region: false });
}, 30_000);

afterAll(async () => {
  await sns.stop();
});

beforeEach(async () => {
  server = await FeedServer.start({
    routes: {
      '/bbc.rss': { headers: { 'content-type': 'application/rss+xml' }, body: rss([KREBS_FIRED, BRIAN_KREBS]) },
    },
  });
  dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-topic-'));
  writeFileSync(path.join(dir, 'watchlist.yaml'), watchlistYaml([{ url: server.url('/bbc.rss'), name: 'BBC US' }]));
  topicArn = await sns.createTopic();
  subscriber = await sns.subscribeQueue(topicArn);
});

afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const poll = (arn: string, ...extra: string[]) =>
  runCli(['poll', '--watchlist', 'watchlist.yaml', '--topic-arn', arn, ...extra], { cwd: dir, env });

test('publishes each new alert to the topic once: the subscriber gets it with its entities, the terminal shows it', async () => {
  const first = await poll(topicArn);
  expect(first.code).toBe(0);
  expect(first.stderr).toBe('');
  expect(first.stdout).toContain('Trump fires US election security official Christopher Krebs');
  expect(first.stdout).not.toContain('Brian Krebs');

  const received = await sns.receive(subscriber.queueUrl, 1);
  expect(received).toHaveLength(1);
  const [notification] = received;
  expect(notification?.TopicArn).toBe(topicArn);
  expect(notification?.MessageAttributes?.entity).toEqual({ Type: 'String.Array', Value: '["krebs"]' });
  // fauxqs hands an SQS subscriber the whole MessageStructure json document: the email body is the one to read.
  const bodies = JSON.parse(notification?.Message ?? '{}') as { email?: string; sms?: string };
  expect(bodies.email).toContain(KREBS_FIRED.link);
  expect(bodies.sms).toContain('Christopher Krebs');

  const second = await poll(topicArn);
  expect(second.code).toBe(0);
  expect(await sns.receive(subscriber.queueUrl, 0, { timeoutMs: 0, settleMs: 500 })).toEqual([]);
}, 60_000);

test('a topic that refuses the publish: the alert is reported as not published, exit 1, not recorded, and the next poll sends it', async () => {
  const missingTopic = topicArn.replace(/[^:]+$/, 'no-such-topic');
  const refused = await poll(missingTopic, '--json');
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(
    /not published: "Trump fires US election security official Christopher Krebs" \(.+\); the next poll retries it/,
  );
  const report = JSON.parse(refused.stdout) as { feeds: { alerts: number; failedAlerts: number }[]; alerts: unknown[] };
  expect(report.feeds[0]).toMatchObject({ alerts: 0, failedAlerts: 1 });
  expect(report.alerts).toEqual([]);

  const retried = await poll(topicArn);
  expect(retried.code).toBe(0);
  expect(retried.stderr).toBe('');
  const received = await sns.receive(subscriber.queueUrl, 1);
  expect(received.map((n) => n.MessageAttributes?.entity?.Value)).toEqual(['["krebs"]']);
}, 60_000);

test("keeps to the watchlist's SMS storm guard: past smsPerHour an alert is marked for email only", async () => {
  const joins = {
    guid: 'sentinelone-1',
    title: 'Chris Krebs joins SentinelOne as chief intelligence and public policy officer',
    link: 'https://www.example.test/krebs-sentinelone',
  };
  server.route('/bbc.rss', {
    headers: { 'content-type': 'application/rss+xml' },
    body: rss([KREBS_FIRED, joins]),
  });
  writeFileSync(
    path.join(dir, 'watchlist.yaml'),
    `${watchlistYaml([{ url: server.url('/bbc.rss'), name: 'BBC US' }])}  smsPerHour: 1\n`,
  );
  const result = await poll(topicArn);
  expect(result.code).toBe(0);
  const received = await sns.receive(subscriber.queueUrl, 2);
  expect(received.map((n) => n.MessageAttributes?.channel?.Value).sort()).toEqual(['all', 'sms-held']);
}, 60_000);

test('an argument that is not an SNS topic ARN is bad usage (exit 2), before any feed is fetched', async () => {
  const result = await poll('my-alerts-topic');
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('--topic-arn "my-alerts-topic" is not an SNS topic ARN');
  expect(server.requests).toEqual([]);
});

test('no AWS credentials: every alert is named as not published and the poll exits 1, so a cron job notices', async () => {
  const noCredentials = localCliEnv(dir, { AWS_ENDPOINT_URL_SNS: sns.endpoint }, { credentials: false, region: false });
  const result = await runCli(['poll', '--watchlist', 'watchlist.yaml', '--topic-arn', topicArn], {
    cwd: dir,
    env: noCredentials,
  });
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(
    /^news-alerts: not published: "Trump fires US election security official Christopher Krebs" \(.*credentials.*\); the next poll retries it\n$/i,
  );
  expect(result.stdout).toContain('1 alert(s) failed to publish; they will be retried on the next poll.');
  expect(await sns.receive(subscriber.queueUrl, 0, { timeoutMs: 0, settleMs: 500 })).toEqual([]);

  // Still unsent, so the next poll with credentials delivers it.
  const retried = await poll(topicArn);
  expect(retried.code).toBe(0);
  expect((await sns.receive(subscriber.queueUrl, 1)).map((n) => n.MessageAttributes?.entity?.Value)).toEqual([
    '["krebs"]',
  ]);
}, 60_000);
