// Child process of the crash test: polls feeds with the Lambda's adapters (DynamoDB state on dynalite, or the local
// command's state file; SNS sink on fauxqs) and, once the first publish returns, says so on stdout and waits, before
// anything is marked sent, for the test to kill it with SIGKILL.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoStateStore } from '../../lambda/adapters/dynamo-state-store';
import { FileStateStore } from '../../lambda/adapters/file-state-store';
import { SnsAlertSink } from '../../lambda/adapters/sns-alert-sink';
import type { Alert, FeedConfig } from '../../lambda/core/types';
import { pollFeeds } from '../../lambda/pipeline';
import type { AlertSink, PublishResult } from '../../lambda/ports';
import { FAKE_AWS } from '../support/fake-aws';
import { pollPorts } from '../support/poll-ports';
import { ManualClock, PUBLISHED, pollOptions, testFeedSource } from './harness';

export interface CrashJob {
  /** The table on dynalite, as the poll Lambda keeps state, or a file, as `news-alerts poll` does. */
  state: { dynamoEndpoint: string; tableName: string } | { file: string };
  snsEndpoint: string;
  topicArn: string;
  feeds: FeedConfig[];
  now: number;
}

class StopAfterPublish implements AlertSink {
  constructor(private readonly sink: AlertSink) {}

  async publish(alerts: Alert[]): Promise<PublishResult[]> {
    const results = await this.sink.publish(alerts);
    process.stdout.write(`${PUBLISHED}${JSON.stringify(alerts.map((alert) => alert.link))}\n`);
    // The pipeline would mark these sent next; the test's SIGKILL lands here instead. The timer keeps the process
    // alive until then (and ends it, should the kill never come).
    await new Promise((resolve) => setTimeout(resolve, 120_000));
    return results;
  }
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as CrashJob;
  const ports = pollPorts({
    source: testFeedSource(),
    state:
      'file' in job.state
        ? new FileStateStore(job.state.file)
        : new DynamoStateStore({
            client: new DynamoDBClient({ ...FAKE_AWS, endpoint: job.state.dynamoEndpoint }),
            tableName: job.state.tableName,
          }),
    sink: new StopAfterPublish(
      new SnsAlertSink({ client: new SNSClient({ ...FAKE_AWS, endpoint: job.snsEndpoint }), topicArn: job.topicArn }),
    ),
    clock: new ManualClock(job.now),
  });
  // One feed at a time, so the kill finds exactly one published batch in flight.
  await pollFeeds(job.feeds, ports, { ...pollOptions(), concurrency: 1 });
  process.stdout.write('finished without being killed\n');
}

void main();
