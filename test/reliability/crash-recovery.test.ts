// The process killed between publish and mark: a child polls with the Lambda's adapters (dynalite, fauxqs), or with the
// local command's state file, and is SIGKILLed right after SNS accepted a batch and before the batch is marked sent.
// Recovery polls then deliver every matched item; only the killed batch is delivered twice, once more; no item stays
// claimed.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoStateStore } from '../../lambda/adapters/dynamo-state-store';
import { FileStateStore } from '../../lambda/adapters/file-state-store';
import { SnsAlertSink } from '../../lambda/adapters/sns-alert-sink';
import type { FeedConfig } from '../../lambda/core/types';
import { DEFAULT_LEASE_MS, pollFeeds } from '../../lambda/pipeline';
import type { StateStore } from '../../lambda/ports';
import { type LocalDynamo, startDynalite } from '../support/dynalite';
import { type LocalSns, startFauxqs } from '../support/fauxqs';
import { conditionalFeed, FeedServer } from '../support/feed-server';
import { runTsChild } from '../support/node-child';
import { pollPorts } from '../support/poll-ports';
import type { CrashJob } from './crash-child';
import { countOf, ManualClock, MINUTE, newsFeed, PUBLISHED, pollOptions, T0, testFeedSource } from './harness';

let dynamo: LocalDynamo;
let sns: LocalSns;
let server: FeedServer;

beforeAll(async () => {
  [dynamo, sns, server] = await Promise.all([startDynalite(), startFauxqs(), FeedServer.start()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([dynamo?.stop(), sns?.stop(), server?.close()]);
});

/** The link in each delivered notification (fauxqs hands a subscriber the whole `MessageStructure: json` document). */
function deliveredLinks(notifications: { Message: string }[]): string[] {
  return notifications.map((notification) => {
    const email = (JSON.parse(notification.Message) as { default: string }).default;
    return /^Link: (\S+)$/m.exec(email)?.[1] ?? '(no link)';
  });
}

/**
 * Routes a feed whose first batch the child publishes before it is killed and one it never reaches, starts the child
 * on them with `state`, and kills it as soon as that batch is published. Returns what a recovery needs.
 */
async function killAfterFirstPublish(name: string, state: CrashJob['state']) {
  const topicArn = await sns.createTopic();
  const { queueUrl } = await sns.subscribeQueue(topicArn);
  const killed = newsFeed(`${name}killed`, 4, 1);
  const spared = newsFeed(`${name}spared`, 3, 1);
  server.route(`/${name}-killed`, conditionalFeed(killed.body, { etag: `"${name}-killed-v1"` }));
  server.route(`/${name}-spared`, conditionalFeed(spared.body, { etag: `"${name}-spared-v1"` }));
  const feeds: FeedConfig[] = [
    { url: server.url(`/${name}-killed`), name: 'Killed mid-poll' },
    { url: server.url(`/${name}-spared`), name: 'Not reached before the kill' },
  ];
  const job: CrashJob = { state, snsEndpoint: sns.endpoint, topicArn, feeds, now: T0 };
  let publishedBeforeKill: string[] = [];
  const child = await runTsChild(path.join(__dirname, 'crash-child.ts'), {
    args: [JSON.stringify(job)],
    onLine: (line, process) => {
      if (!line.startsWith(PUBLISHED)) return;
      publishedBeforeKill = JSON.parse(line.slice(PUBLISHED.length)) as string[];
      process.kill('SIGKILL');
    },
  });
  expect(child.signal).toBe('SIGKILL');
  expect(publishedBeforeKill.sort()).toEqual([...killed.alertLinks].sort());
  return { topicArn, queueUrl, killed, spared, feeds };
}

/**
 * Polls again as a new process would, with `state` over what the killed one left: within the lease the killed batch is
 * left to its claim and the other feed alerts; after it, the killed batch goes out once more; then nothing. Every
 * matched item is delivered, the killed batch twice.
 */
async function expectRecovery(crash: Awaited<ReturnType<typeof killAfterFirstPublish>>, state: StateStore) {
  const { topicArn, queueUrl, killed, spared, feeds } = crash;
  const clock = new ManualClock();
  const ports = pollPorts({
    source: testFeedSource(),
    state,
    sink: new SnsAlertSink({ client: sns.sns, topicArn }),
    clock,
  });
  const recover = async (time: number) => {
    clock.time = time;
    return pollFeeds(feeds, ports, pollOptions());
  };
  const [killedFeed, sparedFeed] = await recover(T0 + MINUTE);
  expect(killedFeed).toMatchObject({ status: 'ok', alerts: [] });
  expect(sparedFeed?.alerts).toHaveLength(spared.alertLinks.length);
  const [retried] = await recover(T0 + DEFAULT_LEASE_MS + MINUTE);
  expect(retried?.alerts.map((alert) => alert.link).sort()).toEqual([...killed.alertLinks].sort());
  const last = await recover(T0 + DEFAULT_LEASE_MS + 2 * MINUTE);
  expect(last.map((outcome) => outcome.alerts.length)).toEqual([0, 0]);

  const expected = killed.alertLinks.length * 2 + spared.alertLinks.length;
  const delivered = deliveredLinks(await sns.receive(queueUrl, expected, { timeoutMs: 20_000, settleMs: 1_500 }));
  expect(Object.fromEntries(countOf(delivered))).toEqual(
    Object.fromEntries([...killed.alertLinks.map((link) => [link, 2]), ...spared.alertLinks.map((link) => [link, 1])]),
  );
}

it('every matched item is delivered, the killed batch at most once more, and no item stays claimed', async () => {
  const tableName = await dynamo.createStateTable();
  const crash = await killAfterFirstPublish('table', { dynamoEndpoint: dynamo.endpoint, tableName });

  const rows = async () => (await dynamo.client.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
  const itemStatuses = async () =>
    (await rows()).filter((row) => row.sk?.S === 'ITEM').map((row) => row.status?.S ?? '?');
  // Killed between publish and mark: the batch's items are still claimed, nothing is marked sent.
  expect(await itemStatuses()).toEqual(crash.killed.alertLinks.map(() => 'claimed'));

  await expectRecovery(crash, new DynamoStateStore({ client: dynamo.client, tableName }));
  const statuses = await itemStatuses();
  expect(statuses).toHaveLength(crash.killed.alertLinks.length + crash.spared.alertLinks.length);
  expect(new Set(statuses)).toEqual(new Set(['sent']));
}, 120_000);

it('with the local state file too: the killed batch goes out once more after its lease, the rest once', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-crash-'));
  try {
    const file = path.join(dir, 'state.json');
    const crash = await killAfterFirstPublish('file', { file });
    // A new process reads the file the killed one left: its claims were saved before it published.
    await expectRecovery(crash, new FileStateStore(file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
