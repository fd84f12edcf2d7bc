// DynamoDB requests per poll cycle, counted against dynalite: a new feed, unchanged feeds, one new matching item each.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoStateStore } from '../lambda/adapters/dynamo-state-store';
import { DynamoVerdictStore } from '../lambda/adapters/dynamo-verdicts';
import { HttpFeedSource } from '../lambda/adapters/http-feed-source';
import { systemClock } from '../lambda/adapters/system-clock';
import { loadWatchlist } from '../lambda/adapters/watchlist-file';
import type { FeedJob } from '../lambda/contract/feed-job';
import { compileMatcher } from '../lambda/core/match';
import { DEFAULT_TOPIC_LIMITS, learnTopic, learnVerdicts } from '../lambda/core/topic-profile';
import type { FeedConfig } from '../lambda/core/types';
import { createDispatchHandler } from '../lambda/handlers/dispatch';
import { createPollHandler } from '../lambda/handlers/poll';
import type { AlertSink, FeedJobQueue, StateStore } from '../lambda/ports';
import { recordedTelemetry, sqsEvent, sqsRecord } from '../test/handlers/fixtures';
import { startDynalite } from '../test/support/dynalite';
import { conditionalFeed, FeedServer } from '../test/support/feed-server';
import { pollPorts } from '../test/support/poll-ports';
import { benchFeedXml, escapeHtml, surname } from './support/news-corpus';
import { benchFlags, fmt, heading, table, target } from './support/report';

/** Feed jobs per poll invocation, as the stack's event source delivers them. */
export const POLL_BATCH_SIZE = 5;
const ITEMS_PER_FEED = 50;

/** Requests and capacity units one cycle cost, by the state store method that made them. */
export interface CycleCost {
  feeds: number;
  /** Feed jobs queued by dispatch (one SQS message each). */
  jobs: number;
  /** Poll invocations (jobs / POLL_BATCH_SIZE, rounded up). */
  invocations: number;
  alerts: number;
  /** Matching items the feeds carried for the first time this cycle (alerted, joined to a story, or backfilled). */
  newItems: number;
  requests: number;
  reads: number;
  writes: number;
  rru: number;
  wru: number;
  byMethod: Map<string, { requests: number; commands: Map<string, number> }>;
}

export interface StateCostResult {
  newFeeds: CycleCost;
  unchanged: CycleCost;
  /** Every feed changed, with a new item that matches nothing (the usual change). */
  changedNoMatch: CycleCost;
  oneNewItem: CycleCost;
  /** Unchanged feeds again, with one verdict recorded since: the poll counts it on its profile and settles it. */
  oneVerdict: CycleCost;
}

const READS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand']);

/** Counts every request the client sends, with its consumed capacity, under the store method that sent it. */
class RequestCounter {
  private readonly method = new AsyncLocalStorage<string>();
  private current = this.empty();

  constructor(client: DynamoDBClient) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = (args as { input: Record<string, unknown> }).input;
        input.ReturnConsumedCapacity = 'TOTAL';
        const result = await next(args);
        const output = result.output as { ConsumedCapacity?: unknown };
        const consumed = ([] as { CapacityUnits?: number }[]).concat(
          (output.ConsumedCapacity as { CapacityUnits?: number } | undefined) ?? [],
        );
        const units = consumed.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
        this.record(context.commandName ?? 'unknown', units);
        return result;
      },
      { step: 'initialize', name: 'benchRequestCounter' },
    );
  }

  /** The store with each method's requests attributed to it; without `hidden` methods, as a store lacking them. */
  attribute(store: StateStore, hidden: string[] = []): StateStore {
    return new Proxy(store, {
      get: (target, key, receiver) => {
        if (hidden.includes(String(key))) return undefined;
        const value = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => this.method.run(String(key), () => value.apply(target, args));
      },
    });
  }

  take(): Omit<CycleCost, 'feeds' | 'jobs' | 'invocations' | 'alerts' | 'newItems'> {
    const taken = this.current;
    this.current = this.empty();
    return taken;
  }

  private record(command: string, units: number): void {
    const cost = this.current;
    const method = this.method.getStore() ?? '(other)';
    const entry = cost.byMethod.get(method) ?? { requests: 0, commands: new Map<string, number>() };
    entry.requests += 1;
    entry.commands.set(command, (entry.commands.get(command) ?? 0) + 1);
    cost.byMethod.set(method, entry);
    cost.requests += 1;
    if (READS.has(command)) {
      cost.reads += 1;
      cost.rru += units;
    } else {
      cost.writes += 1;
      cost.wru += units;
    }
  }

  private empty() {
    return { requests: 0, reads: 0, writes: 0, rru: 0, wru: 0, byMethod: new Map() };
  }
}

/** Feed jobs kept in memory instead of sent to SQS: the poll handler gets them as SQS records. */
class QueuedJobs implements FeedJobQueue {
  jobs: FeedJob[] = [];
  async send(jobs: FeedJob[]): Promise<void> {
    this.jobs.push(...jobs);
  }
}

const countingSink: AlertSink = {
  async publish(alerts) {
    return alerts.map((alert) => ({ alertId: alert.id, ok: true as const }));
  },
};

/**
 * The feed's document with a new item on top that no feed carried before: one naming Christopher Krebs among made-up
 * words of its own (so it starts a story of its own), or one that names no one tracked.
 */
function withNewItem(xml: string, feedIndex: number, now: number, matching: boolean): string {
  const own = (n: number) => surname(20_000 + feedIndex * 8 + n);
  const name = matching ? 'Christopher Krebs' : 'the county clerk';
  const title = `${own(0)} ${own(1)} ${own(2)}: ${name} ${own(3)} ${own(4)} ${own(5)}`;
  const item = [
    '<item>',
    `<title>${escapeHtml(title)}</title>`,
    `<link>https://news.example.test/${feedIndex}/new-${matching}.html</link>`,
    `<guid isPermaLink="false">bench-${feedIndex}-new-${matching}</guid>`,
    `<pubDate>${new Date(now - 60_000).toUTCString()}</pubDate>`,
    `<description>${own(6)} ${own(7)}.</description>`,
    '</item>',
  ].join('');
  return xml.replace('<item>', `${item}\n<item>`);
}

/**
 * Three cycles through the real dispatch and poll handlers on one dynalite table; see the scenario names. Without
 * `readAhead` the store is used as if it had no prefetchItems (one read per claim), the comparison this run prints.
 */
export async function measureStateCost(feedCount: number, readAhead = true): Promise<StateCostResult> {
  const dynamo = await startDynalite();
  const server = await FeedServer.start();
  try {
    const tableName = await dynamo.createStateTable();
    const counter = new RequestCounter(dynamo.client);
    const dynamoStore = new DynamoStateStore({ client: dynamo.client, tableName });
    const store = counter.attribute(dynamoStore, readAhead ? [] : ['prefetchItems']);
    const now = Date.now();
    const options = { itemsPerFeed: ITEMS_PER_FEED, now, mentionRate: 0.1 };
    const feeds: FeedConfig[] = [];
    for (let index = 0; index < feedCount; index++) {
      server.route(`/feeds/${index}.xml`, conditionalFeed(benchFeedXml(index, options), { etag: `"v1-${index}"` }));
      feeds.push({ url: server.url(`/feeds/${index}.xml`), name: `Bench feed ${index}` });
    }
    const watchlist = loadWatchlist();
    const queue = new QueuedJobs();
    const dispatch = createDispatchHandler({
      feeds,
      state: store,
      queue,
      clock: systemClock,
      telemetry: recordedTelemetry(),
    });
    const pollTelemetry = recordedTelemetry();
    const poll = createPollHandler({
      ports: pollPorts({ source: new HttpFeedSource(), state: store, sink: countingSink, clock: systemClock }),
      options: {
        matcher: compileMatcher(watchlist.entities),
        entities: watchlist.entities,
        backfillHours: watchlist.settings.backfillHours,
      },
      telemetry: pollTelemetry,
    });

    const cycle = async (newItems: number): Promise<CycleCost> => {
      queue.jobs = [];
      const alertsBefore = pollTelemetry.metrics.total('AlertsSent');
      await dispatch();
      let invocations = 0;
      for (let start = 0; start < queue.jobs.length; start += POLL_BATCH_SIZE) {
        const batch = queue.jobs.slice(start, start + POLL_BATCH_SIZE);
        const records = batch.map((job, index) => sqsRecord(`job-${start + index}`, JSON.stringify(job)));
        const response = await poll(sqsEvent(records));
        if (response.batchItemFailures.length > 0) throw new Error('a feed job failed; the counts would be wrong');
        invocations += 1;
      }
      pollTelemetry.logs.length = 0;
      const alerts = pollTelemetry.metrics.total('AlertsSent') - alertsBefore;
      return { ...counter.take(), feeds: feedCount, jobs: queue.jobs.length, invocations, alerts, newItems };
    };

    const matchesBefore = pollTelemetry.metrics.total('Matches');
    const newFeeds = await cycle(0);
    const newFeedMatches = pollTelemetry.metrics.total('Matches') - matchesBefore;
    newFeeds.newItems = newFeedMatches;
    const unchanged = await cycle(0);
    let document = (index: number) => benchFeedXml(index, options);
    const change = (version: string, matching: boolean) => {
      const previous = document;
      document = (index) => withNewItem(previous(index), index, now, matching);
      for (let index = 0; index < feedCount; index++) {
        server.route(`/feeds/${index}.xml`, conditionalFeed(document(index), { etag: `"${version}-${index}"` }));
      }
    };
    change('v2', false);
    const changedNoMatch = await cycle(0);
    change('v3', true);
    const oneNewItem = await cycle(feedCount);
    // A reader marks one of those alerts wrong, as the verdict function records it (its requests are not the poll's).
    const documents = DynamoDBDocumentClient.from(dynamo.client);
    const { Items = [] } = await documents.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'ALERT#krebs' },
        Limit: 1,
      }),
    );
    if (Items.length === 0) throw new Error('no alert of krebs to record a verdict on');
    await new DynamoVerdictStore(documents, tableName).recordVerdict({
      entityId: 'krebs',
      alertId: String(Items[0]!.sk),
      recordedAt: now,
    });
    counter.take();
    const oneVerdict = await cycle(0);
    return { newFeeds, unchanged, changedNoMatch, oneNewItem, oneVerdict };
  } finally {
    await server.close();
    await dynamo.stop();
  }
}

function methodRows(cost: CycleCost, per: number): string[][] {
  return [...cost.byMethod.entries()]
    .sort((a, b) => b[1].requests - a[1].requests)
    .map(([method, { requests, commands }]) => [
      method,
      fmt(requests),
      fmt(requests / per, 2),
      [...commands.entries()].map(([command, count]) => `${command.replace('Command', '')} ${count}`).join(', '),
    ]);
}

function report(title: string, cost: CycleCost, per: number, perLabel: string): void {
  console.log(
    `\n${title}: ${fmt(cost.requests)} requests (${fmt(cost.reads)} reads, ${fmt(cost.writes)} writes), ` +
      `${fmt(cost.rru, 1)} RRU, ${fmt(cost.wru, 1)} WRU; ${fmt(cost.jobs)} jobs, ${fmt(cost.invocations)} poll ` +
      `invocations, ${fmt(cost.alerts)} alerts`,
  );
  table(['store method', 'requests', perLabel, 'DynamoDB calls'], methodRows(cost, per));
}

async function main(): Promise<void> {
  const { quick } = benchFlags();
  const feedCount = quick ? 10 : 40;
  heading(
    `state cost: ${feedCount} feeds x ${ITEMS_PER_FEED} items (10% mention a tracked entity), real dispatch and poll ` +
      `handlers, DynamoStateStore on dynalite; requests counted by client middleware`,
  );
  const { newFeeds, unchanged, changedNoMatch, oneNewItem, oneVerdict } = await measureStateCost(feedCount);
  report('(c) first poll of new feeds', newFeeds, feedCount, 'per feed');
  report('(a) unchanged feeds (all 304)', unchanged, feedCount, 'per feed');
  report('changed feeds, new item matching no one', changedNoMatch, feedCount, 'per feed');
  report('(b) one new matching item per feed', oneNewItem, oneNewItem.newItems, 'per new item');
  report('(d) unchanged feeds, one verdict recorded since', oneVerdict, 1, 'per verdict');
  const verdictQueue = oneVerdict.byMethod.get('pendingVerdicts')?.commands.get('QueryCommand') ?? 0;
  const verdictWork = ['pendingVerdicts', 'saveTopic', 'settleVerdicts'].reduce(
    (sum, method) => sum + (oneVerdict.byMethod.get(method)?.requests ?? 0),
    0,
  );
  target(
    '<= 1 request per poll invocation to find verdicts; <= 4 requests per verdict counted',
    verdictQueue === oneVerdict.invocations && verdictWork - verdictQueue + 1 <= 4,
    `${fmt(verdictQueue)} Query for ${fmt(oneVerdict.invocations)} invocations (an empty one reads no item); the ` +
      `verdict cost ${fmt(verdictWork - verdictQueue + 1)} requests: its Query, 1 BatchGetItem of its ` +
      `alert's words, 1 PutItem of the profile, 1 BatchWriteItem settling it; each alert adds 1 write unit a ` +
      `matched entity (its ALERT# row, in the BatchWriteItem that marks it sent)`,
  );

  const unchangedWrites = unchanged.writes / feedCount;
  const unchangedReads = unchanged.reads / feedCount;
  target(
    '<= 1 read and 0 writes per unchanged feed',
    unchangedReads <= 1 && unchanged.writes === 0,
    `${fmt(unchangedReads, 3)} reads and ${fmt(unchangedWrites, 3)} writes per feed ` +
      `(${fmt(unchanged.reads)} reads in all: dispatch's listFeeds)`,
  );
  // What the item dedupe adds: its writes (claim, sent or recorded rows) and whatever read it needs beyond the story
  // lookup's. The read-ahead reads an item's rows together with its story's band rows, so it replaces the story
  // lookup's own read; the same run without it (each claim and each story lookup reads for itself) shows how many.
  const requestsOf = (result: typeof oneNewItem, methods: string[]) =>
    methods.reduce((sum, method) => sum + (result.byMethod.get(method)?.requests ?? 0), 0);
  const itemWrites = ['claimItem', 'markSent', 'recordSilently', 'releaseClaim'];
  const { newItems } = oneNewItem;
  const withoutReadAhead = (await measureStateCost(feedCount, false)).oneNewItem;
  const readAhead = requestsOf(oneNewItem, ['prefetchItems', 'isItemDone']);
  const storyReadsReplaced =
    requestsOf(withoutReadAhead, ['findStoryRefs']) - requestsOf(oneNewItem, ['findStoryRefs']);
  const dedupe = requestsOf(oneNewItem, itemWrites) + Math.max(0, readAhead - storyReadsReplaced);
  const dedupeWithoutReadAhead = requestsOf(withoutReadAhead, [...itemWrites, 'prefetchItems', 'isItemDone']);
  console.log(
    `\nsame run without the read-ahead (each claim and each story lookup reads for itself): (b) costs ` +
      `${fmt(dedupeWithoutReadAhead / newItems, 2)} dedupe requests per new item, ${fmt(withoutReadAhead.requests / newItems, 2)} in all ` +
      `(${fmt(oneNewItem.requests / newItems, 2)} with it)`,
  );
  target(
    '<= 2 requests per new item',
    dedupe / newItems <= 2,
    `${fmt(dedupe / newItems, 2)} dedupe requests per new item (${fmt(dedupe)} for ${fmt(newItems)}: a conditional ` +
      `claim and a sent or recorded write; the item's rows are read in the one BatchGetItem that also reads its ` +
      `story's band rows, ${fmt(readAhead)} reads that replaced ${fmt(storyReadsReplaced)} story lookups); the whole ` +
      `cycle ${fmt(oneNewItem.requests / newItems, 2)} per new item with story rows and feed state`,
  );
}

if (require.main === module) {
  reportTopicCost();
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

/** The largest a learned topic profile grows: every side full, every seen slot used, as the table stores it. */
export function fullTopicProfileBytes(): { json: number; row: number } {
  const words = Array.from({ length: 2 * DEFAULT_TOPIC_LIMITS.termsPerSide + 50 }, (_, i) => `electionterm${i}`);
  const examples = Array.from({ length: DEFAULT_TOPIC_LIMITS.seenItems + 20 }, (_, i) => ({
    key: `https://news.example.test/story/${i}`,
    side: i % 2 === 0 ? ('about' as const) : ('other' as const),
    terms: words.slice((i * 7) % 300, ((i * 7) % 300) + 40),
  }));
  const learned = learnTopic(undefined, 'christopher-krebs', examples, Date.UTC(2025, 0, 1));
  const verdicts = Array.from({ length: DEFAULT_TOPIC_LIMITS.verdictsKept + 20 }, (_, i) => ({
    alertId: createHash('sha256').update(`alert ${i}`).digest('hex').slice(0, 24),
    terms: words.slice((i * 7) % 300, ((i * 7) % 300) + 40),
  }));
  const profile = learnVerdicts(learned, 'christopher-krebs', verdicts, Date.UTC(2025, 0, 1));
  const json = Buffer.byteLength(JSON.stringify(profile));
  // pk, sk, updatedAt, expiresAt and their names beside the profile text: DynamoDB bills names and values.
  return { json, row: json + 'pkTOPICskchristopher-krebsupdatedAtexpiresAtprofile'.length + 3 * 8 };
}

function reportTopicCost(): void {
  const { json, row } = fullTopicProfileBytes();
  heading('topic profiles (docs/matching.md): one row per entity with ambiguous terms');
  console.log(
    `a full profile (${DEFAULT_TOPIC_LIMITS.termsPerSide} terms a side, ${DEFAULT_TOPIC_LIMITS.seenItems} items ` +
      `remembered, ${DEFAULT_TOPIC_LIMITS.refusedTerms} refused terms and ${DEFAULT_TOPIC_LIMITS.verdictsKept} ` +
      `verdicts counted, docs/verdicts.md): ${fmt(json)} bytes of JSON, a ${fmt(row)}-byte row: ${Math.ceil(row / 1024)} write units a save, ` +
      `${fmt(Math.ceil(row / 4096) / 2, 1)} read units a load (eventually consistent); a poll batch loads all ` +
      `profiles in 1 Query and saves each profile its items taught in 1 PutItem`,
  );
  target('topic profile state <= 16 KB per entity', row <= 16_384, `${fmt(row)} bytes per entity at its bound`);
}
