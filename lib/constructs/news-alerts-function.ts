// One Lambda function with the project's fixed defaults, and bind* helpers that set a resource's env var and grant together.
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Watchlist } from '../../lambda/core/types';
import { BUNDLED_WATCHLIST_CONSTANT, EnvName } from '../../lambda/handlers/env';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lambda/handlers/metrics';

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
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        // Stack traces map to file and line without shipping the sources in every bundle.
        sourcesContent: false,
        target: 'node24',
        // The Node.js runtime provides AWS SDK v3.
        externalModules: ['@aws-sdk/*'],
        // Without subscribers: their addresses live in SNS alone, the functions never need them.
        define:
          props.watchlist === undefined
            ? undefined
            : { [BUNDLED_WATCHLIST_CONSTANT]: JSON.stringify(JSON.stringify({ ...props.watchlist, subscribers: [] })) },
      },
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

  /** Queue URL in the env and sqs:SendMessage (SendMessageBatch too) on that queue alone. */
  bindFeedJobsQueue(queue: IQueue): void {
    this.fn.addEnvironment(EnvName.feedJobsQueueUrl, queue.queueUrl);
    // Not grantSendMessages: GetQueueUrl/GetQueueAttributes are not needed, and SQS-managed encryption needs no key grant.
    queue.grant(this.fn, 'sqs:SendMessage');
  }
}
