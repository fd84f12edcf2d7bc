// Runs fauxqs (an SNS/SQS/S3 emulator, ESM-only so jest cannot import it) as a child process on 127.0.0.1 for tests.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { FAKE_AWS } from './fake-aws';

const REPO_ROOT = path.resolve(__dirname, '../..');

// Child: build the fauxqs app (its public buildApp), listen on loopback only with a port the OS picks, report the port,
// and exit when the test process goes away (its stdin closes).
const LAUNCHER = `
const { buildApp } = await import('fauxqs');
const app = buildApp({ logger: false });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(JSON.stringify({ port: Number(new URL(address).port) }) + '\\n');
process.stdin.on('close', () => app.close().finally(() => process.exit(0)));
process.stdin.resume();
`;

/** What an SQS subscriber of the topic receives: the SNS notification envelope, parsed. */
export interface SnsNotification {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Subject: string | null;
  Message: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

export interface QueueSubscription {
  queueUrl: string;
  queueArn: string;
  subscriptionArn: string;
}

export interface LocalSns {
  endpoint: string;
  /** Clients for the local endpoint; destroyed by stop(). */
  sns: SNSClient;
  sqs: SQSClient;
  /** S3 on the same endpoint, buckets addressed by path (no per-bucket host names on 127.0.0.1). */
  s3: S3Client;
  createTopic(name?: string): Promise<string>;
  createBucket(name?: string): Promise<string>;
  /** A new SQS queue subscribed to the topic, optionally with a filter policy on message attributes. */
  subscribeQueue(topicArn: string, filterPolicy?: Record<string, unknown>): Promise<QueueSubscription>;
  /**
   * Receives (and deletes) messages until `count` have arrived or `timeoutMs` passed, then keeps listening for
   * `settleMs` to catch any extra message; returns them all in arrival order.
   */
  receive(
    queueUrl: string,
    count: number,
    options?: { timeoutMs?: number; settleMs?: number },
  ): Promise<SnsNotification[]>;
  stop(): Promise<void>;
}

let nameCounter = 0;

export async function startFauxqs(): Promise<LocalSns> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', LAUNCHER], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const port = await readPort(child);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilHealthy(endpoint);
  const sns = new SNSClient({ ...FAKE_AWS, endpoint });
  const sqs = new SQSClient({ ...FAKE_AWS, endpoint });
  const s3 = new S3Client({ ...FAKE_AWS, endpoint, forcePathStyle: true });

  return {
    endpoint,
    sns,
    sqs,
    s3,
    async createBucket(name) {
      const bucket = name ?? `bucket-${++nameCounter}`;
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      return bucket;
    },
    async createTopic(name) {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name ?? `alerts-${++nameCounter}` }));
      if (!TopicArn) throw new Error('fauxqs returned no TopicArn');
      return TopicArn;
    },
    async subscribeQueue(topicArn, filterPolicy) {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `subscriber-${++nameCounter}` }));
      if (!QueueUrl) throw new Error('fauxqs returned no QueueUrl');
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      const queueArn = Attributes?.QueueArn;
      if (!queueArn) throw new Error('fauxqs returned no QueueArn');
      const { SubscriptionArn } = await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: queueArn,
          Attributes: filterPolicy ? { FilterPolicy: JSON.stringify(filterPolicy) } : undefined,
        }),
      );
      if (!SubscriptionArn) throw new Error('fauxqs returned no SubscriptionArn');
      return { queueUrl: QueueUrl, queueArn, subscriptionArn: SubscriptionArn };
    },
    async receive(queueUrl, count, options = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 10_000);
      const notifications: SnsNotification[] = [];
      let settleUntil: number | undefined;
      while (Date.now() < (settleUntil ?? deadline)) {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        if (Messages && Messages.length > 0) {
          for (const message of Messages) notifications.push(JSON.parse(message.Body ?? 'null') as SnsNotification);
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: Messages.map((message, i) => ({ Id: `m${i}`, ReceiptHandle: message.ReceiptHandle })),
            }),
          );
        } else {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        if (notifications.length >= count && settleUntil === undefined) {
          settleUntil = Date.now() + (options.settleMs ?? 200);
        }
      }
      return notifications;
    },
    async stop() {
      sns.destroy();
      sqs.destroy();
      s3.destroy();
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The first stdout line of the launcher carries the port; fail with its stderr if it dies or stays silent. */
function readPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => fail(new Error(`fauxqs did not start within 20 s: ${stderr}`)), 20_000);
    function fail(error: Error): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', (code) => fail(new Error(`fauxqs exited with code ${code}: ${stderr}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n')[0];
      if (!stdout.includes('\n') || line === undefined) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve((JSON.parse(line) as { port: number }).port);
    });
  });
}

async function waitUntilHealthy(endpoint: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const response = await fetch(`${endpoint}/health`);
      if (response.ok) return;
    } catch {
      // Not accepting connections yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`fauxqs at ${endpoint} never answered /health`);
}
