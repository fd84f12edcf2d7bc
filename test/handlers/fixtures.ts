// Test inputs for the handlers: SQS events shaped as Lambda delivers them, an RSS document, a metrics recorder.
import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { MetricName } from '../../lambda/contract/metrics';
import type { MetricsRecorder, Telemetry } from '../../lambda/handlers/runtime';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:news-alerts-feed-jobs';

/** One record as the SQS event source hands it to Lambda. */
export function sqsRecord(messageId: string, body: string, receiveCount = 1): SQSRecord {
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '1700000000000',
      SenderId: 'AROAEXAMPLE:dispatch',
      ApproximateFirstReceiveTimestamp: '1700000000100',
    },
    messageAttributes: {},
    md5OfBody: 'not-checked-by-the-handler',
    eventSource: 'aws:sqs',
    eventSourceARN: QUEUE_ARN,
    awsRegion: 'us-east-1',
  };
}

export function sqsEvent(records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

/** What the event source mapping does with messages received from the queue (ReceiveMessage with all attributes). */
export function sqsEventFromMessages(messages: Message[]): SQSEvent {
  return sqsEvent(
    messages.map((message) =>
      sqsRecord(message.MessageId ?? '', message.Body ?? '', Number(message.Attributes?.ApproximateReceiveCount ?? 1)),
    ),
  );
}

export interface RssItem {
  guid: string;
  title: string;
  link: string;
  description?: string;
  publishedAt: number;
}

export function rss(title: string, items: RssItem[]): string {
  const entries = items
    .map(
      (item) => `<item>
  <guid isPermaLink="false">${item.guid}</guid>
  <title>${item.title}</title>
  <link>${item.link}</link>
  <description>${item.description ?? ''}</description>
  <pubDate>${new Date(item.publishedAt).toUTCString()}</pubDate>
</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${title}</title><link>https://news.example.test/</link>
${entries}
</channel></rss>`;
}

/** Powertools Metrics as the handlers use it, keeping the totals of what was flushed. */
export class RecordedMetrics implements MetricsRecorder {
  private pending: [MetricName, number][] = [];
  readonly published = new Map<MetricName, number>();
  flushes = 0;

  addMetric(name: MetricName, _unit: unknown, value: number): void {
    this.pending.push([name, value]);
  }

  publishStoredMetrics(): void {
    for (const [name, value] of this.pending) this.published.set(name, (this.published.get(name) ?? 0) + value);
    this.pending = [];
    this.flushes += 1;
  }

  total(name: MetricName): number {
    return this.published.get(name) ?? 0;
  }
}

/** Telemetry whose log lines are kept for assertions instead of printed. */
export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

export function recordedTelemetry(): Telemetry & { metrics: RecordedMetrics; logs: LogLine[] } {
  const logs: LogLine[] = [];
  const log = (level: LogLine['level']) => (message: string, fields: Record<string, unknown>) => {
    logs.push({ level, message, fields });
  };
  return {
    metrics: new RecordedMetrics(),
    logs,
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
  };
}

/**
 * One tick of the schedule against a local queue: dispatch, then what the event source mapping does — receive the
 * jobs, invoke poll with them, delete the messages that did not fail.
 */
export async function scheduleTick(
  sqs: SQSClient,
  queueUrl: string,
  dispatch: () => Promise<unknown>,
  poll: (event: SQSEvent) => Promise<SQSBatchResponse>,
): Promise<{ messages: Message[]; failures: string[] }> {
  await dispatch();
  const messages: Message[] = [];
  for (let empty = 0; empty < 3; ) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    messages.push(...Messages);
    empty = Messages.length === 0 ? empty + 1 : 0;
  }
  const { batchItemFailures } = await poll(sqsEventFromMessages(messages));
  const failures = batchItemFailures.map((failure) => failure.itemIdentifier);
  const done = messages.filter((message) => !failures.includes(message.MessageId ?? ''));
  if (done.length > 0) {
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
      }),
    );
  }
  return { messages, failures };
}
