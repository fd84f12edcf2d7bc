// One Lambda function with the project's fixed defaults, and bind* helpers that set a resource's env var and grant together.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type CfnElement, type Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type FunctionUrl, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, LogLevel, NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUNDLED_WATCHLIST_CONSTANT, EnvName } from '../../lambda/contract/env';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lambda/contract/metrics';
import type { Watchlist } from '../../lambda/core/types';

export interface NewsAlertsFunctionProps {
  /** Absolute path of the handler module (exports `handler`). */
  entry: string;
  description: string;
  timeout: Duration;
  memorySize: number;
  /**
   * Compiled into the bundle as a constant: the function reads no file at run time and Lambda's 4 KB env is no limit.
   * Left out by a function that reads no watchlist (the alarm notifier).
   */
  watchlist?: Watchlist;
  /** Asynchronous invocations retried by Lambda on error (default 2). */
  retryAttempts?: number;
  /** Where Lambda leaves an asynchronous event whose retries all failed. */
  deadLetterQueue?: IQueue;
  /** X-Ray active tracing. */
  tracing?: boolean;
  /**
   * The function decodes feed bytes: iconv-lite's double-byte charset tables (GBK, Big5, Shift_JIS, EUC-KR...) ship as
   * files beside the bundle, read on the first feed in such a charset, instead of being compiled at every cold start.
   */
  charsetTables?: boolean;
  /** Reserved concurrency: a ceiling for a function the public can invoke (the verdict endpoint). */
  reservedConcurrentExecutions?: number;
}

export type TableAccess = 'read' | 'readWrite';

/** What DynamoStateStore calls: no Scan, no streams, no table management (grantReadData would add them). */
const TABLE_ACTIONS: Record<TableAccess, string[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  readWrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ],
};

/**
 * Left out of the bundle: the credential providers the SDK's default chain imports only when the environment holds no
 * credentials, which Lambda always sets. Were one ever needed, the runtime's own copy would load.
 */
const UNUSED_CREDENTIAL_PROVIDERS = [
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/nested-clients',
  '@aws-sdk/token-providers',
  '@smithy/credential-provider-imds',
];

/** How iconv-lite's data files require its double-byte tables, and where they are in the project. */
const CHARSET_TABLES_IMPORT = './tables/*';
const CHARSET_TABLES_DIR = join(dirname(require.resolve('iconv-lite/package.json')), 'encodings', 'tables');

/**
 * The file a package's `import` of its main entry resolves to: its ES module build. rss-parser require()s entities and
 * our code imports it, and esbuild would bundle the CommonJS build for one and the ES module build for the other: two
 * copies of the same decoder tables, both set up at every cold start (npm's overrides give rss-parser our version).
 */
function esModuleEntry(packageName: string): string {
  // From the main entry (the require build) up to the package's own manifest (a build may carry one of its own).
  for (let folder = dirname(require.resolve(packageName)); dirname(folder) !== folder; folder = dirname(folder)) {
    const file = join(folder, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
      name?: string;
      exports?: { '.'?: { import?: { default?: string } } };
    };
    if (manifest.name !== packageName) continue;
    const entry = manifest.exports?.['.']?.import?.default;
    if (entry === undefined) throw new Error(`${packageName} exports no ES module build`);
    return join(folder, entry);
  }
  throw new Error(`no package.json of ${packageName} above its main entry`);
}

/** Resolved once: every function's bundling shares it. */
const ENTITIES_ES_MODULE = esModuleEntry('entities');

/**
 * The esbuild options of every function, as NodejsFunction runs them (bench/lambda.ts builds its baseline from these).
 * The AWS SDK is bundled, not taken from the runtime: one minified file, tree-shaken to the commands the code sends,
 * loads in about two thirds of the time the runtime's SDK takes to resolve and compile its hundreds of modules
 * (bench/lambda.ts), and the code runs on the SDK version its tests ran.
 */
export function lambdaBundling(props: Pick<NewsAlertsFunctionProps, 'watchlist' | 'charsetTables'>): BundlingOptions {
  return {
    minify: true,
    sourceMap: true,
    // esbuild's warnings and errors, not its list of output files for every function of every synth.
    logLevel: LogLevel.WARNING,
    // Stack traces map to file and line without shipping the sources in every bundle.
    sourcesContent: false,
    target: 'node24',
    // The packages' ES module builds first, as esbuild can drop what the code never imports only from those.
    mainFields: ['module', 'main'],
    // Dynamic import() of a Node.js built-in (the SDK's HTTP handler does it on the first request) starts Node's ES
    // module loader, a cold-start cost of its own; as require() it costs nothing.
    esbuildArgs: {
      '--supported:dynamic-import': 'false',
      '--alias:entities': ENTITIES_ES_MODULE,
    },
    externalModules: [...UNUSED_CREDENTIAL_PROVIDERS, ...(props.charsetTables === true ? [CHARSET_TABLES_IMPORT] : [])],
    // Without subscribers: their addresses live in SNS alone, the functions never need them.
    define:
      props.watchlist === undefined
        ? undefined
        : { [BUNDLED_WATCHLIST_CONSTANT]: JSON.stringify(JSON.stringify({ ...props.watchlist, subscribers: [] })) },
    commandHooks:
      props.charsetTables === true
        ? {
            beforeBundling: () => [],
            beforeInstall: () => [],
            // Node copies them, so bundling needs no shell tool of the platform's (esbuild, a dev dependency, bundles
            // locally: no Docker, and the project's node_modules are at hand).
            afterBundling: (_inputDir, outputDir) => [
              `node -e "require('node:fs').cpSync(process.argv[1], process.argv[2], { recursive: true })" ${JSON.stringify(CHARSET_TABLES_DIR)} ${JSON.stringify(join(outputDir, 'tables'))}`,
            ],
          }
        : undefined,
  };
}

/** The newest Node.js runtime aws-cdk-lib offers; the bundling target below follows it. */
const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

export class NewsAlertsFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: NewsAlertsFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      // Logs go with the stack on `cdk destroy`; only the state table is kept.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Own role without AWSLambdaBasicExecutionRole: log writes are granted on this function's log group alone.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (news-alerts)`,
    });
    this.logGroup.grantWrite(role);
    if (props.tracing === true) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments and PutTelemetryRecords accept no resource narrower than "*"',
      });
    }
    this.fn = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      role,
      logGroup: this.logGroup,
      retryAttempts: props.retryAttempts,
      deadLetterQueue: props.deadLetterQueue,
      tracing: props.tracing === true ? Tracing.ACTIVE : Tracing.DISABLED,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
      bundling: lambdaBundling(props),
    });
  }

  /** Table name in the env and read (dispatch) or read/write (poll) item access to that table alone. */
  bindStateTable(table: ITable, access: TableAccess): void {
    this.fn.addEnvironment(EnvName.stateTableName, table.tableName);
    // The table uses the AWS-managed key, which needs no grant of its own.
    table.grant(this.fn, ...TABLE_ACTIONS[access]);
  }

  /** Topic ARN in the env and sns:Publish on that topic alone. */
  bindAlertTopic(topic: ITopic): void {
    this.fn.addEnvironment(EnvName.alertsTopicArn, topic.topicArn);
    this.grantPublish(topic);
  }

  /** The digest topic's ARN in the env and publishing to it, as bindAlertTopic does for alerts. */
  bindDigestTopic(topic: ITopic): void {
    this.fn.addEnvironment(EnvName.digestTopicArn, topic.topicArn);
    this.grantPublish(topic);
  }

  /** The ops topic's ARN in the env and publishing to it, for the alarm notifier. */
  bindOpsTopic(topic: ITopic): void {
    this.fn.addEnvironment(EnvName.opsTopicArn, topic.topicArn);
    this.grantPublish(topic);
  }

  private grantPublish(topic: ITopic): void {
    // No KMS grant: the topics use the AWS-managed key alias/aws/sns, whose own key policy lets this account's
    // principals use it through SNS. (topic.grantPublish would also grant KMS actions on key/* were a key set.)
    Grant.addToPrincipal({ grantee: this.fn, actions: ['sns:Publish'], resourceArns: [topic.topicArn] });
  }

  /**
   * The table name in the env and dynamodb:PutItem of verdict rows alone: the dynamodb:LeadingKeys condition lets the
   * role write no row whose partition key does not start with the prefix (lambda/adapters/dynamo-verdicts.ts).
   */
  bindVerdictRows(table: ITable, partitionKeyPrefix: string): void {
    this.fn.addEnvironment(EnvName.stateTableName, table.tableName);
    Grant.addToPrincipal({
      grantee: this.fn,
      actions: ['dynamodb:PutItem'],
      resourceArns: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${partitionKeyPrefix}*`] } },
    });
  }

  /** The signing key's secret ARN in the env (never its value) and secretsmanager:GetSecretValue on it alone. */
  bindSigningKey(secret: ISecret): void {
    this.fn.addEnvironment(EnvName.verdictKeySecretArn, secret.secretArn);
    // Not secret.grantRead, which adds DescribeSecret: the function reads the value and nothing else.
    Grant.addToPrincipal({
      grantee: this.fn,
      actions: ['secretsmanager:GetSecretValue'],
      resourceArns: [secret.secretArn],
    });
  }

  /** Where the alert emails' verdict links point, and the key that signs them. */
  bindVerdictLinks(endpoint: FunctionUrl, secret: ISecret): void {
    this.fn.addEnvironment(EnvName.verdictEndpointUrl, endpoint.url);
    this.bindSigningKey(secret);
  }

  /**
   * The archive bucket and prefix in the env, and s3:PutObject under that prefix alone: no read, list or delete (the
   * bucket uses SSE-S3, which needs no key grant).
   */
  bindItemArchive(bucket: IBucket, prefix: string): void {
    this.fn.addEnvironment(EnvName.archiveBucketName, bucket.bucketName);
    this.fn.addEnvironment(EnvName.archivePrefix, prefix);
    Grant.addToPrincipal({
      grantee: this.fn,
      actions: ['s3:PutObject'],
      resourceArns: [bucket.arnForObjects(`${prefix}/*`)],
    });
    const bucketId = Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnElement);
    Validations.of(this.fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}/*]`,
      reason:
        'Object keys are named per batch at run time (time and a random id), so the grant covers the prefix: ' +
        'PutObject alone, under that prefix of that bucket alone',
    });
  }

  /** Queue URL in the env and sqs:SendMessage (SendMessageBatch too) on that queue alone. */
  bindFeedJobsQueue(queue: IQueue): void {
    this.fn.addEnvironment(EnvName.feedJobsQueueUrl, queue.queueUrl);
    // Not grantSendMessages: GetQueueUrl/GetQueueAttributes are not needed, and SQS-managed encryption needs no key grant.
    queue.grant(this.fn, 'sqs:SendMessage');
  }
}
