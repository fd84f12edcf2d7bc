// FeedJobQueue on SQS: dispatch's side only, so the poll function, which parses jobs, loads no SQS client.
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FeedJob } from '../contract/feed-job';
import type { FeedJobQueue } from '../ports';

/** SendMessageBatch's limit on entries per call. */
const SQS_BATCH_SIZE = 10;

export class SqsFeedJobQueue implements FeedJobQueue {
  constructor(private readonly options: { client: SQSClient; queueUrl: string }) {}

  async send(jobs: FeedJob[]): Promise<void> {
    const unsent: string[] = [];
    for (let start = 0; start < jobs.length; start += SQS_BATCH_SIZE) {
      const batch = jobs.slice(start, start + SQS_BATCH_SIZE);
      // Failed entries are retried once at once: SQS reports throttled entries one by one within a batch.
      const firstTry = await this.sendBatch(batch);
      const failures = firstTry.length > 0 ? await this.sendBatch(firstTry.map((failure) => failure.job)) : [];
      unsent.push(...failures.map(({ job, reason }) => `${job.feed.url} (${reason})`));
    }
    if (unsent.length > 0) {
      throw new Error(`could not queue ${unsent.length} of ${jobs.length} feed jobs: ${unsent.join(', ')}`);
    }
  }

  /** Sends up to ten jobs in one call; returns the ones SQS did not accept. */
  private async sendBatch(batch: FeedJob[]): Promise<{ job: FeedJob; reason: string }[]> {
    const response = await this.options.client.send(
      new SendMessageBatchCommand({
        QueueUrl: this.options.queueUrl,
        Entries: batch.map((job, index) => ({ Id: String(index), MessageBody: JSON.stringify(job) })),
      }),
    );
    return (response.Failed ?? []).flatMap((entry) => {
      const job = batch[Number(entry.Id)];
      return job === undefined ? [] : [{ job, reason: entry.Code ?? entry.Message ?? 'failed' }];
    });
  }
}
