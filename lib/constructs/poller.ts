// The polling pipeline: a schedule runs dispatch, which queues one job per due feed for the poll function to work off.
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Watchlist } from '../../lambda/core/types';
import { NewsAlertsFunction } from './news-alerts-function';
import { scheduledInvoke } from './scheduled-invoke';

export interface PollerProps {
  table: ITable;
  alertsTopic: ITopic;
  watchlist: Watchlist;
  /** EventBridge Scheduler expression, already validated (lib/config.ts). */
  schedule: string;
  tracing: boolean;
}

const HANDLERS_DIR = join(__dirname, '..', '..', 'lambda', 'handlers');

/** A job fetches one feed (30 s total deadline in the HTTP source) and publishes its alerts; a batch runs in parallel. */
const POLL_TIMEOUT = Duration.seconds(60);
/** Feed jobs per poll invocation. */
const POLL_BATCH_SIZE = 5;
/** Poll invocations the queue may run at once: bounds the load on the table, SNS and the feeds' servers. */
const POLL_MAX_CONCURRENCY = 5;

export class Poller extends Construct {
  readonly dispatch: NewsAlertsFunction;
  readonly poll: NewsAlertsFunction;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: PollerProps) {
    super(scope, id);

    this.deadLetterQueue = new Queue(this, 'FeedJobsDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'FeedJobs', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's advice for Lambda consumers: at least six times the function timeout, so retries of a throttled batch
      // do not reappear while still in flight.
      visibilityTimeout: Duration.seconds(6 * POLL_TIMEOUT.toSeconds()),
      // Every cycle queues the feeds that are due again, so an old job is only stale.
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 3 },
    });

    this.poll = new NewsAlertsFunction(this, 'Poll', {
      entry: join(HANDLERS_DIR, 'poll.ts'),
      description: 'Polls the feeds of a batch of feed jobs and publishes their alerts',
      charsetTables: true,
      timeout: POLL_TIMEOUT,
      // Headroom for parsing a feed up to the 10 MB byte cap.
      memorySize: 512,
      watchlist: props.watchlist,
      tracing: props.tracing,
    });
    this.poll.bindStateTable(props.table, 'readWrite');
    this.poll.bindAlertTopic(props.alertsTopic);
    this.poll.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: POLL_BATCH_SIZE,
        reportBatchItemFailures: true,
        maxConcurrency: POLL_MAX_CONCURRENCY,
      }),
    );

    this.dispatch = new NewsAlertsFunction(this, 'Dispatch', {
      entry: join(HANDLERS_DIR, 'dispatch.ts'),
      description: 'Queues one poll job per feed that is due',
      timeout: Duration.seconds(60),
      memorySize: 256,
      watchlist: props.watchlist,
      // The next tick of the schedule redoes a failed dispatch; Lambda's own retries would only queue duplicates.
      retryAttempts: 0,
      tracing: props.tracing,
    });
    this.dispatch.bindStateTable(props.table, 'read');
    this.dispatch.bindFeedJobsQueue(this.queue);

    scheduledInvoke(this, this.dispatch, {
      name: 'dispatch',
      description: 'news-alerts: run dispatch, which queues the feeds that are due',
      expression: props.schedule,
      // An invocation that cannot be delivered soon is superseded by the next tick.
      retryAttempts: 2,
      maxEventAge: Duration.minutes(5),
    });
  }
}
