// The synthesized Lambda bundles themselves, run in a fresh Node process with the env the stack gives them.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoStateStore } from '../../lambda/adapters/dynamo-state-store';
import { parseFeedJob } from '../../lambda/contract/feed-job';
import type { NewsAlertsFunction } from '../../lib/constructs/news-alerts-function';
import type { NewsAlertsStack } from '../../lib/news-alerts-stack';
import { ALARM_NAME, pollErrorsAlarmEvent } from '../support/alarm-event';
import { type LocalDynamo, startDynalite } from '../support/dynalite';
import { FAKE_AWS } from '../support/fake-aws';
import { type LocalSns, startFauxqs } from '../support/fauxqs';
import { type SynthesizedStack, synthesizeStack } from './synthesized-stack';

const ROOT = join(__dirname, '..', '..');
const FIXTURE_FEEDS = ['https://feeds.example.org/politics.xml', 'https://news.example.net/rss'];

// Loads a bundle as Lambda would (index.handler), invokes it once with the event and a Lambda context, prints the
// result or the error.
// fauxqs names queues sqs.<region>.localhost and the SDK sends to the queue URL's host: resolve *.localhost locally.
const INVOKE = `
const dns = require('node:dns');
const lookup = dns.lookup;
dns.lookup = (hostname, ...rest) => lookup(hostname.endsWith('.localhost') ? '127.0.0.1' : hostname, ...rest);
const [bundle, event, context] = process.argv.slice(1);
require(bundle).handler(JSON.parse(event), { ...JSON.parse(context), getRemainingTimeInMillis: () => 60000 }).then(
  (result) => console.log('RESULT ' + JSON.stringify(result ?? null)),
  (error) => { console.log('ERROR ' + JSON.stringify({ name: error.name, message: error.message })); process.exitCode = 1; },
);
`;

interface Invocation {
  result?: unknown;
  error?: { name: string; message: string };
  /** Embedded-metric-format documents the function printed. */
  metrics: { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] }; [key: string]: unknown }[];
  /** Structured log lines (Powertools Logger JSON, stdout and stderr). */
  logs: { level: string; message: string; [key: string]: unknown }[];
}

/** What the Lambda runtime hands the handler beside the event (less getRemainingTimeInMillis, added by INVOKE). */
const LAMBDA_CONTEXT = {
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  functionName: 'NewsAlerts-PollerPollFunction',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:NewsAlerts-PollerPollFunction',
  memoryLimitInMB: '512',
  logGroupName: '/aws/lambda/NewsAlerts-PollerPollFunction',
  logStreamName: '2026/11/01/[$LATEST]abcdef',
  callbackWaitsForEmptyEventLoop: true,
};

let stack: NewsAlertsStack;
let propertiesOf: SynthesizedStack['propertiesOf'];
let bundleOf: SynthesizedStack['bundleOf'];
let dynamo: LocalDynamo;
let sns: LocalSns;
let tableName: string;

beforeAll(async () => {
  ({ stack, propertiesOf, bundleOf } = synthesizeStack({ watchlist: join(__dirname, 'fixtures', 'watchlist.yaml') }));
  [dynamo, sns] = await Promise.all([startDynalite(), startFauxqs()]);
  tableName = await dynamo.createStateTable();
}, 180_000);
afterAll(async () => {
  await Promise.all([dynamo?.stop(), sns?.stop()]);
});

/** Runs a function's bundle with its synthesized environment, the resource references replaced by local ones. */
function invoke(fn: NewsAlertsFunction, event: unknown, references: Record<string, string>): Promise<Invocation> {
  const properties = propertiesOf(fn);
  const bundle = bundleOf(fn);
  const synthesized = properties.Environment.Variables as Record<string, unknown>;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    // No NODE_PATH: each bundle carries the AWS SDK it calls, so a package it failed to bundle fails here too.
    AWS_REGION: FAKE_AWS.region,
    AWS_ACCESS_KEY_ID: FAKE_AWS.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_AWS.credentials.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    // Set by the Lambda runtime; Powertools reports a cold start only on on-demand environments.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: sns.endpoint,
    AWS_ENDPOINT_URL_SNS: sns.endpoint,
  };
  for (const [name, value] of Object.entries(synthesized)) {
    env[name] = typeof value === 'string' ? value : references[name];
  }
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', INVOKE, bundle, JSON.stringify(event), JSON.stringify(LAMBDA_CONTEXT)],
      { env, timeout: 60_000 },
      (error, stdout, stderr) => {
        const lines = stdout.split('\n').filter((line) => line.trim() !== '');
        const outcome = lines.find((line) => line.startsWith('RESULT ') || line.startsWith('ERROR '));
        if (outcome === undefined) {
          reject(new Error(`bundle printed no outcome (${error?.message}): ${stdout}\n${stderr}`));
          return;
        }
        const documents = [...lines, ...stderr.split('\n')]
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line));
        const metrics = documents.filter((document) => document._aws !== undefined);
        const logs = documents.filter((document) => typeof document.level === 'string');
        const payload = JSON.parse(outcome.slice(outcome.indexOf(' ') + 1));
        resolve(outcome.startsWith('RESULT ') ? { result: payload, metrics, logs } : { error: payload, metrics, logs });
      },
    );
  });
}

// Each AWS SDK client a function carries costs it milliseconds of every cold start (bench/lambda.ts). The SDK is
// bundled: each client names its package in its user agent.
test('each bundle carries only the AWS SDK clients its function calls', () => {
  const sdkClients = (fn: NewsAlertsFunction) =>
    [...new Set(readFileSync(bundleOf(fn), 'utf8').match(/@aws-sdk\/(?:client-[a-z0-9-]+|lib-dynamodb)/g))].sort();
  const dynamo = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'];
  expect(sdkClients(stack.poller.dispatch)).toEqual([...dynamo, '@aws-sdk/client-sqs'].sort());
  // Secrets Manager: the key that signs the verdict links of its emails, read once per container; S3: the archive.
  expect(sdkClients(stack.poller.poll)).toEqual(
    [...dynamo, '@aws-sdk/client-sns', '@aws-sdk/client-secrets-manager', '@aws-sdk/client-s3'].sort(),
  );
  expect(sdkClients(stack.verdicts.endpoint)).toEqual([...dynamo, '@aws-sdk/client-secrets-manager'].sort());
  expect(sdkClients(stack.digest.digest)).toEqual([...dynamo, '@aws-sdk/client-sns'].sort());
  expect(sdkClients(stack.monitoring.notifier)).toEqual(['@aws-sdk/client-sns']);
});

// rss-parser require()s entities where our code imports it: bundled naively, that is two builds of one decoder, both
// set up at every cold start.
test('the poll bundle carries one copy of the HTML entity decoder, shared by rss-parser and our own text cleanup', () => {
  const generated = readFileSync(
    join(ROOT, 'node_modules', 'entities', 'dist', 'esm', 'generated', 'decode-data-html.js'),
    'utf8',
  );
  const decodeTree = /decodeBase64\("([A-Za-z0-9+/]{40})/.exec(generated)?.[1];
  expect(decodeTree).toBeDefined();
  const pollBundle = readFileSync(bundleOf(stack.poller.poll), 'utf8');
  expect(pollBundle.split(String(decodeTree)).length - 1).toBe(1);
  // rss-parser's own entities 2.x (its encode tables) is not there either.
  expect(pollBundle).not.toContain('CounterClockwiseContourIntegral');
});

test('the poll bundle reads its double-byte charset tables from files shipped beside it', () => {
  const pollBundle = readFileSync(bundleOf(stack.poller.poll), 'utf8');
  const required = [...pollBundle.matchAll(/require\("\.\/tables\/([a-z0-9-]+\.json)"\)/g)].map((m) => m[1]);
  // GBK, Big5, Shift_JIS, EUC-JP, EUC-KR and GB18030 among them: a feed in any of them decodes.
  expect(required).toEqual(
    expect.arrayContaining(['cp936.json', 'cp949.json', 'cp950.json', 'eucjp.json', 'shiftjis.json']),
  );
  const tablesDir = join(dirname(bundleOf(stack.poller.poll)), 'tables');
  for (const table of new Set(required)) {
    const shipped = readFileSync(join(tablesDir, String(table)), 'utf8');
    expect(shipped).toEqual(
      readFileSync(join(ROOT, 'node_modules', 'iconv-lite', 'encodings', 'tables', String(table)), 'utf8'),
    );
  }
  // Compiled in, they were half the bundle; functions that decode no feed carry none.
  expect(pollBundle).not.toContain('"8140"');
  for (const fn of [stack.poller.dispatch, stack.digest.digest, stack.monitoring.notifier]) {
    expect(existsSync(join(dirname(bundleOf(fn)), 'tables'))).toBe(false);
  }
});

test('the dispatch bundle queues the feeds of the watchlist compiled into it, and emits its metrics as EMF', async () => {
  const { QueueUrl } = await sns.sqs.send(new CreateQueueCommand({ QueueName: 'bundle-feed-jobs' }));
  const invocation = await invoke(
    stack.poller.dispatch,
    {},
    { STATE_TABLE_NAME: tableName, FEED_JOBS_QUEUE_URL: QueueUrl! },
  );
  expect(invocation.error).toBeUndefined();
  expect(invocation.result).toEqual({ feeds: 2, queued: 2, failingOverADay: 0 });

  const { Messages = [] } = await sns.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  expect(Messages.map((message) => parseFeedJob(message.Body ?? '').feed.url).sort()).toEqual(FIXTURE_FEEDS);

  // The namespace and dimension the alarms and dashboard read (lib/constructs/monitoring.ts).
  const [document] = invocation.metrics;
  expect(document?._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'NewsAlerts', Dimensions: [['service']] });
  expect(document).toMatchObject({ service: 'news-alerts', FeedsDispatched: 2, FeedsFailingOverADay: 0 });
  expect(invocation.logs).toContainEqual(
    expect.objectContaining({ message: 'feed jobs queued', function_request_id: LAMBDA_CONTEXT.awsRequestId }),
  );
}, 90_000);

test('the poll bundle refuses a loopback feed (SSRF guard), records it on the feed, fails only the malformed job, and logs the outcome with the request context', async () => {
  const loopbackFeed = { url: 'http://127.0.0.1:9/feed.xml', name: 'Loopback' };
  const record = (messageId: string, body: string) => ({
    messageId,
    receiptHandle: messageId,
    body,
    attributes: { ApproximateReceiveCount: '1' },
    messageAttributes: {},
    eventSource: 'aws:sqs',
  });
  const invocation = await invoke(
    stack.poller.poll,
    { Records: [record('m-loopback', JSON.stringify({ feed: loopbackFeed })), record('m-garbage', 'not json')] },
    {
      STATE_TABLE_NAME: tableName,
      ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:unused',
      // No item is read (the one feed is refused), so nothing is archived and no request leaves for S3.
      ARCHIVE_BUCKET_NAME: 'unused-archive-bucket',
    },
  );
  expect(invocation.error).toBeUndefined();
  expect(invocation.result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-garbage' }] });
  const state = await new DynamoStateStore({ client: dynamo.client, tableName }).getFeed(loopbackFeed.url);
  expect(state).toMatchObject({ consecutiveFailures: 1, lastError: expect.stringMatching(/^blocked-address/) });
  expect(invocation.metrics[0]).toMatchObject({ FeedsPolled: 1, FeedErrors: 1 });

  // Every line names the invocation it belongs to; the feed's outcome is one line with its figures and error.
  const invocationContext = {
    function_request_id: LAMBDA_CONTEXT.awsRequestId,
    function_name: LAMBDA_CONTEXT.functionName,
    function_arn: LAMBDA_CONTEXT.invokedFunctionArn,
    cold_start: true,
  };
  expect(invocation.logs.length).toBeGreaterThanOrEqual(2);
  for (const line of invocation.logs) expect(line).toMatchObject(invocationContext);
  expect(invocation.logs).toContainEqual(
    expect.objectContaining({
      message: 'feed polled with problems',
      url: loopbackFeed.url,
      status: 'error',
      items: 0,
      matches: 0,
      alerts: 0,
      error: expect.stringMatching(/^blocked-address/),
    }),
  );
}, 90_000);

test('a bundle started without its table reports a configuration error naming the variable', async () => {
  const invocation = await invoke(stack.poller.dispatch, {}, { FEED_JOBS_QUEUE_URL: 'https://sqs.example/q' });
  expect(invocation.error).toEqual({
    name: 'HandlerConfigError',
    message: expect.stringContaining('env.STATE_TABLE_NAME: must be set'),
  });
  // Nothing about the watchlist: it is in the bundle.
  expect(invocation.error?.message).not.toContain('NEWS_ALERTS_WATCHLIST');
}, 60_000);

test('the ops notifier bundle emails an alarm to the topic in its OPS_TOPIC_ARN, and fails when SNS refuses it', async () => {
  const opsTopicArn = await sns.createTopic('bundle-ops');
  const subscriber = await sns.subscribeQueue(opsTopicArn);
  const invocation = await invoke(stack.monitoring.notifier, pollErrorsAlarmEvent(), { OPS_TOPIC_ARN: opsTopicArn });
  expect(invocation.error).toBeUndefined();
  const [email, ...extra] = await sns.receive(subscriber.queueUrl, 1);
  expect(extra).toEqual([]);
  expect(email?.Subject).toBe(`ALARM: ${ALARM_NAME}`);
  expect(email?.Message).toContain('\nState: OK -> ALARM\n');
  expect(invocation.result).toEqual({ alarm: ALARM_NAME, state: 'ALARM', messageId: email?.MessageId });
  expect(invocation.logs).toContainEqual(
    expect.objectContaining({
      message: 'ops notified',
      alarm: ALARM_NAME,
      function_request_id: LAMBDA_CONTEXT.awsRequestId,
    }),
  );

  // The invocation fails, so Lambda retries it and then leaves it in the dead-letter queue.
  const refused = await invoke(stack.monitoring.notifier, pollErrorsAlarmEvent(), {
    OPS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:deleted-ops-topic',
  });
  expect(refused.error).toEqual({ name: 'NotFoundException', message: 'Topic does not exist' });
}, 90_000);
