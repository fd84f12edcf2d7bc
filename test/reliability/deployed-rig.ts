// The poll handler as the stack wires it (DynamoStateStore on dynalite, SnsAlertSink on fauxqs SNS with a
// subscriber queue, HttpFeedSource on a 127.0.0.1 feed server), a settable clock, and SNS faults injected on the client.
import {
  PublishBatchCommand,
  type PublishBatchCommandOutput,
  type SNSClient,
  ThrottledException,
} from '@aws-sdk/client-sns';
import { DynamoStateStore } from '../../lambda/adapters/dynamo-state-store';
import { HttpFeedSource } from '../../lambda/adapters/http-feed-source';
import { SnsAlertSink } from '../../lambda/adapters/sns-alert-sink';
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { compileMatcher } from '../../lambda/core/match';
import type { FeedConfig } from '../../lambda/core/types';
import { createPollHandler } from '../../lambda/handlers/poll';
import type { FeedState } from '../../lambda/ports';
import { recordedTelemetry } from '../handlers/fixtures';
import { type LocalDynamo, startDynalite } from '../support/dynalite';
import { type LocalSns, type QueueSubscription, startFauxqs } from '../support/fauxqs';
import { FeedServer } from '../support/feed-server';
import { pollPorts } from '../support/poll-ports';

export const watchlist = loadWatchlist();

export class ManualClock {
  constructor(public time: number) {}
  now(): number {
    return this.time;
  }
}

/**
 * The real fauxqs SNS client, except that while `refuseNext` > 0 a PublishBatch is answered as SNS answers when it
 * throttles past the SDK's retries (the sink reports every entry of that batch as not published).
 */
export class FaultySns {
  refuseNext = 0;
  /** PublishBatch never answers (the SDK call outlives the Lambda, which is killed at its timeout). */
  hang = false;
  publishBatches = 0;
  constructor(private readonly real: SNSClient) {}
  get client(): SNSClient {
    return {
      send: async (command: unknown) => {
        if (command instanceof PublishBatchCommand) {
          this.publishBatches += 1;
          if (this.hang) return new Promise(() => {});
          if (this.refuseNext > 0) {
            this.refuseNext -= 1;
            throw new ThrottledException({
              message: 'Rate exceeded (injected)',
              $metadata: { httpStatusCode: 400, attempts: 3 },
            });
          }
        }
        return (this.real.send as (c: unknown) => Promise<PublishBatchCommandOutput>)(command as PublishBatchCommand);
      },
    } as unknown as SNSClient;
  }
}

export interface Rig {
  state: DynamoStateStore;
  clock: ManualClock;
  sns: FaultySns;
  subscriber: QueueSubscription;
  telemetry: ReturnType<typeof recordedTelemetry>;
  handler: ReturnType<typeof createPollHandler>;
  /** Another warm container of the poll function on the same table and topic, publishing through `sns`. */
  container(sns: FaultySns): ReturnType<typeof createPollHandler>;
  /** Every alert the subscriber got so far (drains its queue). */
  received(settleMs?: number): Promise<{ subject: string | null; email: string }[]>;
}

/** When a deployed-path test's story begins, and its unit. */
export const T0 = Date.UTC(2024, 10, 5, 12, 0, 0);
export const MINUTE = 60_000;

/** What a deployed-path test runs on: a feed server on 127.0.0.1, DynamoDB as dynalite and SNS as fauxqs. */
export interface LocalServices {
  server: FeedServer;
  dynamo: LocalDynamo;
  local: LocalSns;
}

/** Starts the local services before a test file's tests and stops them after; read them inside the tests. */
export function useLocalServices(): LocalServices {
  const services = {} as LocalServices;
  beforeAll(async () => {
    [services.server, services.dynamo, services.local] = await Promise.all([
      FeedServer.start(),
      startDynalite(),
      startFauxqs(),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([services.server?.close(), services.dynamo?.stop(), services.local?.stop()]);
  });
  return services;
}

export async function buildRig({ dynamo, local }: LocalServices, start = T0): Promise<Rig> {
  const tableName = await dynamo.createStateTable();
  const topicArn = await local.createTopic();
  const subscriber = await local.subscribeQueue(topicArn);
  const state = new DynamoStateStore({ client: dynamo.client, tableName });
  const clock = new ManualClock(start);
  const sns = new FaultySns(local.sns);
  const telemetry = recordedTelemetry();
  const container = (faulty: FaultySns, store = new DynamoStateStore({ client: dynamo.client, tableName })) =>
    createPollHandler({
      ports: pollPorts({
        source: new HttpFeedSource({ addressPolicy: 'any', timeoutMs: 10_000 }),
        state: store,
        sink: new SnsAlertSink({ client: faulty.client, topicArn }),
        clock,
      }),
      options: {
        matcher: compileMatcher(watchlist.entities),
        entities: watchlist.entities,
        backfillHours: watchlist.settings.backfillHours,
        smsPerHour: 5,
      },
      telemetry,
    });
  const handler = container(sns, state);
  return {
    container: (faulty) => container(faulty),
    state,
    clock,
    sns,
    subscriber,
    telemetry,
    handler,
    async received(settleMs = 800) {
      const notes = await local.receive(subscriber.queueUrl, 1_000, { timeoutMs: settleMs, settleMs: 0 });
      return notes.map((note) => ({
        subject: note.Subject,
        email: (JSON.parse(note.Message) as { email: string }).email,
      }));
    },
  };
}

export const job = (feed: FeedConfig, state?: FeedState) => JSON.stringify(state ? { feed, state } : { feed });
