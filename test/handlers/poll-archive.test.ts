// The poll handler archiving each batch's items in S3 (fauxqs on 127.0.0.1) after its alerts are out, a failed archive
// write costing no alert, and `news-alerts backtest --archive s3://...` reading the objects back.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { HttpFeedSource } from '../../lambda/adapters/http-feed-source';
import { MemoryStateStore } from '../../lambda/adapters/memory-state-store';
import { S3ArchiveReader, S3ItemArchive } from '../../lambda/adapters/s3-item-archive';
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { compileMatcher } from '../../lambda/core/match';
import type { Alert, FeedConfig } from '../../lambda/core/types';
import { createPollHandler } from '../../lambda/handlers/poll';
import type { AlertSink, PublishResult } from '../../lambda/ports';
import { runCli, watchlistYaml } from '../cli/run-cli';
import { FAKE_AWS } from '../support/fake-aws';
import { type LocalSns, startFauxqs } from '../support/fauxqs';
import { FeedServer } from '../support/feed-server';
import { pollPorts } from '../support/poll-ports';
import { recordedTelemetry, rss, sqsEvent, sqsRecord } from './fixtures';

const HOUR = 3_600_000;
const TITLES = {
  fired: 'Trump fires Christopher Krebs, the official who vouched for the election',
  scholarship: 'Krebs scholarship fund hosts county election debate for school board seats',
  weather: 'Snow expected across the Midwest this weekend',
};

let local: LocalSns;
let server: FeedServer;
let dir: string;
let feeds: FeedConfig[];

beforeAll(async () => {
  const now = Date.now();
  const item = (guid: keyof typeof TITLES, ago: number) => ({
    guid,
    title: TITLES[guid],
    link: `https://news.example.test/${guid}`,
    publishedAt: now - ago * HOUR,
  });
  const xml = { 'content-type': 'application/rss+xml' };
  [local, server] = await Promise.all([
    startFauxqs(),
    FeedServer.start({
      routes: {
        '/politics.xml': { headers: xml, body: rss('Politics', [item('fired', 1), item('scholarship', 2)]) },
        '/weather.xml': { headers: xml, body: rss('Weather', [item('weather', 1)]) },
      },
    }),
  ]);
  feeds = [
    { url: server.url('/politics.xml'), name: 'Politics' },
    { url: server.url('/weather.xml'), name: 'Weather' },
  ];
  dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-archive-'));
  const yaml = watchlistYaml(feeds);
  writeFileSync(path.join(dir, 'watchlist.yaml'), yaml);
  writeFileSync(
    path.join(dir, 'exclude-scholarship.yaml'),
    yaml.replace('excludes: [Brian Krebs,', 'excludes: [Krebs scholarship, Brian Krebs,'),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all([local?.stop(), server?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

/** Publishes every alert, and notes how many archive objects the bucket held when each batch of alerts went out. */
class WatchingSink implements AlertSink {
  readonly published: Alert[] = [];
  readonly objectsAtPublish: number[] = [];

  /** `bucket`: the one to watch, if it exists. */
  constructor(private readonly bucket?: string) {}

  async publish(alerts: Alert[]): Promise<PublishResult[]> {
    if (this.bucket !== undefined) {
      const listed = await local.s3.send(new ListObjectsV2Command({ Bucket: this.bucket }));
      this.objectsAtPublish.push(listed.KeyCount ?? 0);
    }
    this.published.push(...alerts);
    return alerts.map((alert) => ({ alertId: alert.id, ok: true }));
  }
}

function pollHandler(bucket: string, exists = true) {
  const watchlist = loadWatchlist(path.join(dir, 'watchlist.yaml'));
  const sink = new WatchingSink(exists ? bucket : undefined);
  const telemetry = recordedTelemetry();
  const clock = { now: () => Date.now() };
  const handler = createPollHandler({
    ports: pollPorts({
      source: new HttpFeedSource({ addressPolicy: 'any', timeoutMs: 10_000 }),
      state: new MemoryStateStore(),
      sink,
      clock,
      archive: new S3ItemArchive(() => local.s3, { bucket, prefix: 'items' }, clock),
    }),
    options: { matcher: compileMatcher(watchlist.entities), entities: watchlist.entities, backfillHours: 24 },
    telemetry,
  });
  const batch = sqsEvent(feeds.map((feed, index) => sqsRecord(`m-${index}`, JSON.stringify({ feed }))));
  return { handler: () => handler(batch), sink, telemetry };
}

test('a batch writes one gzipped JSON Lines object of every item read, after its alerts are out', async () => {
  const bucket = await local.createBucket();
  const { handler, sink, telemetry } = pollHandler(bucket);
  expect((await handler()).batchItemFailures).toEqual([]);
  expect(sink.published.map((alert) => alert.title).sort()).toEqual([TITLES.fired, TITLES.scholarship].sort());
  // The bucket was empty whenever alerts went out: the archive waits for them, never the other way round.
  expect(sink.objectsAtPublish).not.toHaveLength(0);
  expect(new Set(sink.objectsAtPublish)).toEqual(new Set([0]));

  const listed = await local.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  expect(listed.Contents?.map((object) => object.Key)).toEqual([
    expect.stringMatching(/^items\/\d{4}\/\d\d\/\d\d\/\d{4}-\d\d-\d\dT[\d:.]+Z-[0-9a-f]{12}\.jsonl\.gz$/),
  ]);
  const archived = await new S3ArchiveReader(local.s3, { bucket, prefix: 'items' }).archivedItems(0);
  expect(archived.map((entry) => [entry.feedName, entry.item.title]).sort()).toEqual(
    [
      ['Politics', TITLES.fired],
      ['Politics', TITLES.scholarship],
      ['Weather', TITLES.weather],
    ].sort(),
  );
  expect(telemetry.metrics.total('ArchiveWritesFailed')).toBe(0);
});

test('an archive write that fails loses no alert: logged, counted, and the batch succeeds', async () => {
  const { handler, sink, telemetry } = pollHandler('no-such-bucket', false);
  expect((await handler()).batchItemFailures).toEqual([]);
  expect(sink.published.map((alert) => alert.title).sort()).toEqual([TITLES.fired, TITLES.scholarship].sort());
  expect(telemetry.metrics.total('ArchiveWritesFailed')).toBe(1);
  expect(telemetry.logs).toContainEqual(
    expect.objectContaining({ level: 'error', message: 'items read not archived; the alerts were sent' }),
  );
});

test('backtest --archive s3://bucket/items replays what the poll function archived', async () => {
  const bucket = await local.createBucket();
  await pollHandler(bucket).handler();
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL_S3: local.endpoint,
    AWS_REGION: FAKE_AWS.region,
    AWS_ACCESS_KEY_ID: FAKE_AWS.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_AWS.credentials.secretAccessKey,
  };
  const result = await runCli(
    [
      'backtest',
      '--watchlist',
      'exclude-scholarship.yaml',
      '--current',
      'watchlist.yaml',
      '--archive',
      `s3://${bucket}/items`,
      '--json',
    ],
    { cwd: dir, env },
  );
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const json = JSON.parse(result.stdout) as { added: unknown[]; dropped: { title: string }[]; unchanged: number };
  expect(json.added).toEqual([]);
  expect(json.dropped.map((alert) => alert.title)).toEqual([TITLES.scholarship]);
  expect(json.unchanged).toBe(1);
});
