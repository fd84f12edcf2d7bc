// Infra: synthesizes the real stack from a test watchlist and context, and checks what a deploy would create.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App, CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { buildStackConfig } from '../../lib/config';
import { NewsAlertsStack } from '../../lib/news-alerts-stack';
import { projectApp } from './project-app';
import { type PolicyStatement, statementsOfRole } from './synthesized-stack';

const FIXTURES = join(__dirname, 'fixtures');
const CONTEXT = {
  watchlist: join(FIXTURES, 'watchlist.yaml'),
  email: 'ops-reader@example.com, both@example.com',
  sms: '+15555550100',
  schedule: 'rate(10 minutes)',
  opsEmail: 'oncall@example.com',
};

let app: App;
let stack: NewsAlertsStack;
let template: Template;
/** Logical ids of the resources the assertions refer to. */
let ids: Record<
  | 'table'
  | 'alerts'
  | 'digest'
  | 'ops'
  | 'queue'
  | 'dlq'
  | 'poll'
  | 'pollRole'
  | 'pollLogs'
  | 'dispatch'
  | 'dispatchRole'
  | 'notifier'
  | 'notifierRole'
  | 'notifierLogs'
  | 'notifierDlq'
  | 'signingKey'
  | 'archive',
  string
>;

// Synthesized once: bundling the functions with esbuild takes seconds.
beforeAll(() => {
  app = projectApp(CONTEXT);
  stack = new NewsAlertsStack(app, 'NewsAlerts', { config: buildStackConfig((key) => app.node.tryGetContext(key)) });
  template = Template.fromStack(stack);
  const id = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const { poller, topics, monitoring } = stack;
  ids = {
    table: id(stack.state.table),
    alerts: id(topics.alerts),
    digest: id(topics.digest),
    ops: id(stack.monitoring.opsTopic),
    queue: id(poller.queue),
    dlq: id(poller.deadLetterQueue),
    poll: id(poller.poll.fn),
    pollRole: id(poller.poll.fn.role!),
    pollLogs: id(poller.poll.logGroup),
    dispatch: id(poller.dispatch.fn),
    dispatchRole: id(poller.dispatch.fn.role!),
    notifier: id(monitoring.notifier.fn),
    notifierRole: id(monitoring.notifier.fn.role!),
    notifierLogs: id(monitoring.notifier.logGroup),
    notifierDlq: id(monitoring.notifierDeadLetterQueue),
    signingKey: id(stack.verdicts.signingKey),
    archive: id(stack.archive!.bucket),
  };
}, 180_000);

describe('state table', () => {
  test('is on-demand with pk/sk keys, TTL on expiresAt, encryption and point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ]),
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  test('survives cdk destroy (retained), unlike everything else but the archive bucket (emptied by its lifecycle)', () => {
    const resources = template.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>;
    const retained = Object.entries(resources).filter(([, resource]) => resource.DeletionPolicy === 'Retain');
    expect(retained.map(([logicalId]) => logicalId).sort()).toEqual([ids.table, ids.archive].sort());
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('topics', () => {
  test('every topic (alerts, digest, ops) is encrypted at rest with the AWS-managed SNS key', () => {
    const underAwsManagedKey = template.findResources('AWS::SNS::Topic', {
      Properties: { KmsMasterKeyId: 'alias/aws/sns' },
    });
    const all = template.findResources('AWS::SNS::Topic');
    expect(Object.keys(underAwsManagedKey).sort()).toEqual([ids.alerts, ids.digest, ids.ops].sort());
    expect(Object.keys(all).sort()).toEqual(Object.keys(underAwsManagedKey).sort());
  });

  test('the stack has no customer-managed key to pay for, and no role is granted any KMS action', () => {
    expect(template.findResources('AWS::KMS::Key')).toEqual({});
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
    );
    // The AWS-managed key's own policy lets this account's principals use it through SNS: publishers need no grant.
    expect(statements.flatMap(actionsOf).filter((action) => action.toLowerCase().startsWith('kms:'))).toEqual([]);
  });

  test.each(['alerts', 'digest', 'ops'] as const)('the %s topic policy denies requests not made over TLS', (topic) => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: ids[topic] }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('subscriptions', () => {
  const subscriptionsOf = (topic: string) =>
    Object.values(template.findResources('AWS::SNS::Subscription', { Properties: { TopicArn: { Ref: topic } } })).map(
      (resource) => resource.Properties as { Protocol: string; Endpoint: string; FilterPolicy?: unknown },
    );

  test('-c email and -c sms subscribe to every entity (story alerts: they had the story already when a later report names another entity); SMS skips alerts the storm guard held back', () => {
    const alerts = subscriptionsOf(ids.alerts);
    expect(alerts).toContainEqual({
      Protocol: 'email',
      Endpoint: 'ops-reader@example.com',
      FilterPolicy: { kind: ['story'] },
      TopicArn: expect.anything(),
    });
    expect(alerts).toContainEqual({
      Protocol: 'sms',
      Endpoint: '+15555550100',
      FilterPolicy: { kind: ['story'], channel: ['all'] },
      TopicArn: expect.anything(),
    });
  });

  test('a watchlist subscriber who chose entities gets a filter policy on the entity attribute', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: { Ref: ids.alerts },
      Protocol: 'email',
      Endpoint: 'krebs-watcher@example.com',
      FilterPolicy: { entity: ['krebs'] },
    });
  });

  test('a watchlist phone without entities gets every alert by SMS', () => {
    const sms = subscriptionsOf(ids.alerts).find((subscription) => subscription.Endpoint === '+15555550111');
    expect(sms).toEqual({
      Protocol: 'sms',
      Endpoint: '+15555550111',
      FilterPolicy: { kind: ['story'], channel: ['all'] },
      TopicArn: expect.anything(),
    });
  });

  test('an address given in context and in the watchlist is subscribed once, to every entity', () => {
    const both = subscriptionsOf(ids.alerts).filter((subscription) => subscription.Endpoint === 'both@example.com');
    expect(both).toEqual([
      {
        Protocol: 'email',
        Endpoint: 'both@example.com',
        FilterPolicy: { kind: ['story'] },
        TopicArn: expect.anything(),
      },
    ]);
  });

  test('digest subscribers go to the digest topic, each filtering on the audience of its entity choice', () => {
    expect(subscriptionsOf(ids.digest)).toEqual([
      {
        Protocol: 'email',
        Endpoint: 'digest-reader@example.com',
        FilterPolicy: { audience: ['cisa,quill'] },
        TopicArn: expect.anything(),
      },
    ]);
    expect(subscriptionsOf(ids.alerts).map((subscription) => subscription.Endpoint)).not.toContain(
      'digest-reader@example.com',
    );
  });

  test('-c opsEmail subscribes to the ops topic', () => {
    expect(subscriptionsOf(ids.ops)).toEqual([
      { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: expect.anything() },
    ]);
  });
});

describe('poller', () => {
  test('the schedule runs dispatch at the -c schedule rate', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(10 minutes)',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [ids.dispatch, 'Arn'] },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
      }),
    });
  });

  test('the feed-jobs queue is encrypted and sends a job to the dead-letter queue after 3 receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [ids.dlq, 'Arn'] }, maxReceiveCount: 3 },
    });
    const dlq = template.toJSON().Resources[ids.dlq];
    expect(dlq.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
  });

  test('the queue visibility timeout is at least six times the poll function timeout', () => {
    const resources = template.toJSON().Resources;
    const timeout = resources[ids.poll].Properties.Timeout as number;
    const visibility = resources[ids.queue].Properties.VisibilityTimeout as number;
    expect(timeout).toBeGreaterThan(30); // above the HTTP source's 30 s deadline per fetch
    expect(visibility).toBeGreaterThanOrEqual(6 * timeout);
  });

  test.each(['queue', 'dlq'] as const)('the %s policy denies requests not made over TLS', (queue) => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: ids[queue] }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('poll reads the queue in small batches, reports item failures, and has a concurrency cap', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
      FunctionName: { Ref: ids.poll },
      BatchSize: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  test.each([
    ['poll', { ALERTS_TOPIC_ARN: 'alerts', STATE_TABLE_NAME: 'table' }],
    ['dispatch', { FEED_JOBS_QUEUE_URL: 'queue', STATE_TABLE_NAME: 'table' }],
  ] as const)('the %s function: arm64, current Node.js, log retention, Powertools and bound env', (name, bound) => {
    const expectedRefs = Object.fromEntries(
      Object.entries(bound).map(([variable, resource]) => [variable, { Ref: ids[resource] }]),
    );
    const fn = template.toJSON().Resources[ids[name]].Properties;
    expect(fn).toMatchObject({
      Architectures: ['arm64'],
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      Environment: {
        Variables: {
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: 'news-alerts',
          POWERTOOLS_METRICS_NAMESPACE: 'NewsAlerts',
          ...expectedRefs,
        },
      },
    });
    // The watchlist is in the bundle, not in Lambda's 4 KB environment.
    expect(fn.Environment.Variables).not.toHaveProperty('NEWS_ALERTS_WATCHLIST');
    const logGroup = template.toJSON().Resources[fn.LoggingConfig.LogGroup.Ref];
    expect(logGroup.Properties.RetentionInDays).toBe(30);
  });

  test('the watchlist is compiled into each bundle that reads it, without the subscribers', () => {
    const assembly = app.synth();
    const bundles = readdirSync(assembly.directory)
      .filter((entry) => entry.startsWith('asset.'))
      .map((entry) => readFileSync(join(assembly.directory, entry, 'index.js'), 'utf8'));
    expect(bundles).toHaveLength(5);
    // The alarm notifier formats alarms, not news: its bundle carries no watchlist at all.
    const [notifierBundle, ...others] = [...bundles].sort(
      (a, b) => Number(b.includes('alarmsV2')) - Number(a.includes('alarmsV2')),
    );
    expect(notifierBundle).toContain('alarmsV2');
    expect(notifierBundle).not.toContain('Zephyrine Quill');
    // The AWS SDK is bundled: what a bundle leaves to the runtime is only the credential providers Lambda never reaches.
    const leftToRuntime = (bundle = '') =>
      [...bundle.matchAll(/require\("(@(?:aws-sdk|smithy)\/[a-z0-9-]+)"\)/g)]
        .map((m) => String(m[1]))
        // signature-v4-crt is named in the S3 client's error message for multi-region access points, not required.
        .filter((name) => !/credential-provider|nested-clients|token-providers|signature-v4-crt/.test(name));
    expect(leftToRuntime(notifierBundle)).toEqual([]);
    // No import(): one would start Node's ES module loader on the first request, 15 ms of CPU (bench/lambda.ts).
    for (const bundle of bundles) expect(bundle).not.toMatch(/\bimport\(/);
    // ASCII only: one other character and Node.js 20 loads the whole bundle as a two-byte string (poll imports in
    // 122 ms instead of 153). esbuild escapes strings but not regex literals, so those are written with \u escapes.
    for (const bundle of bundles) expect(bundle.match(/[\u0080-\uffff].{0,40}/g) ?? []).toEqual([]);
    for (const bundle of others) {
      expect(bundle).toContain('Zephyrine Quill');
      expect(bundle).toContain('https://news.example.net/rss');
      expect(bundle).not.toContain('krebs-watcher@example.com');
      expect(bundle).not.toContain('+15555550111');
      expect(leftToRuntime(bundle)).toEqual([]);
    }
  });
});

/** Logical ids a CloudFormation value refers to (Ref, Fn::GetAtt), anywhere inside it. */
function referencedIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (value === null || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  if (typeof record.Ref === 'string') return record.Ref.startsWith('AWS::') ? [] : [record.Ref];
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return [String(getAtt[0])];
  return Object.values(record).flatMap(referencedIds);
}

type Statement = PolicyStatement;
const statementsOf = (roleId: string) => statementsOfRole(template, roleId);

const actionsOf = (statement: Statement) => [statement.Action].flat();
const resourcesOf = (statement: Statement) => [statement.Resource].flat();

describe('least privilege', () => {
  test('no role policy has a wildcard resource', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) expect(resourcesOf(statement)).not.toContain('*');
  });

  test('poll may use its table, its topic, its queue, its log group, the verdict signing key and the archive, nothing else', () => {
    const statements = statementsOf(ids.pollRole);
    const allowed = [ids.table, ids.alerts, ids.queue, ids.pollLogs, ids.signingKey, ids.archive];
    const secretStatements = statements.filter((statement) =>
      actionsOf(statement).some((a) => a.startsWith('secretsmanager:')),
    );
    expect(secretStatements).toEqual([
      expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: { Ref: ids.signingKey } }),
    ]);
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      const referenced = resourcesOf(statement).flatMap(referencedIds);
      expect(referenced.length).toBeGreaterThan(0);
      expect(allowed).toEqual(expect.arrayContaining(referenced));
    }
    const publish = statements.filter((statement) => actionsOf(statement).includes('sns:Publish'));
    expect(publish.map(resourcesOf)).toEqual([[{ Ref: ids.alerts }]]);
    const tableStatements = statements.filter((statement) =>
      actionsOf(statement).some((a) => a.startsWith('dynamodb:')),
    );
    expect(tableStatements.flatMap(resourcesOf).flatMap(referencedIds)).toEqual(expect.arrayContaining([ids.table]));
    expect(new Set(tableStatements.flatMap(resourcesOf).flatMap(referencedIds))).toEqual(new Set([ids.table]));
    expect(tableStatements.flatMap(actionsOf).sort()).toEqual(
      [
        'dynamodb:BatchGetItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ].sort(),
    );
  });

  test('dispatch may read the table and send to the feed-jobs queue, nothing else', () => {
    const statements = statementsOf(ids.dispatchRole);
    const sqs = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('sqs:')));
    expect(sqs).toEqual([
      expect.objectContaining({ Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [ids.queue, 'Arn'] } }),
    ]);
    const actions = statements.flatMap(actionsOf);
    expect(actions.filter((action) => action.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:Query',
    ]);
    expect(actions.filter((action) => action.startsWith('sns:') || action.startsWith('kms:'))).toEqual([]);
    const allowed = [
      ids.table,
      ids.queue,
      stack.getLogicalId(stack.poller.dispatch.logGroup.node.defaultChild as CfnElement),
    ];
    expect(allowed).toEqual(expect.arrayContaining(statements.flatMap(resourcesOf).flatMap(referencedIds)));
  });

  test('every AWS call the adapters make is granted: a deploy would not fail on AccessDenied', () => {
    const commandsIn = (file: string) =>
      [...readFileSync(join(__dirname, '..', '..', 'lambda', file), 'utf8').matchAll(/new (\w+)Command\(/g)].map(
        (match) => match[1]!,
      );
    // lib-dynamodb commands are named after the operations, without the "Item" some actions carry.
    const dynamoAction = (command: string) =>
      ['Get', 'Put', 'Delete', 'Update', 'BatchGet', 'BatchWrite'].includes(command)
        ? `dynamodb:${command}Item`
        : `dynamodb:${command}`;
    const granted = (roleId: string) => new Set(statementsOf(roleId).flatMap(actionsOf));
    const pollGrants = granted(ids.pollRole);
    for (const command of commandsIn('adapters/dynamo-state-store.ts'))
      expect(pollGrants).toContain(dynamoAction(command));
    // SNS authorizes Publish and PublishBatch with sns:Publish; SQS authorizes SendMessageBatch with sqs:SendMessage.
    expect(commandsIn('adapters/sns-alert-sink.ts').filter((command) => !command.startsWith('Publish'))).toEqual([]);
    expect(pollGrants).toContain('sns:Publish');
    expect(commandsIn('adapters/sqs-feed-job-queue.ts')).toEqual(['SendMessageBatch']);
    expect(granted(ids.dispatchRole)).toContain('sqs:SendMessage');
    // Dispatch reads feed state only through listFeeds, one Query.
    expect(granted(ids.dispatchRole)).toContain('dynamodb:Query');
    expect(commandsIn('handlers/ops-notify.ts')).toEqual(['Publish']);
    expect(granted(ids.notifierRole)).toContain('sns:Publish');
  });

  test('the alarm notifier may publish to the ops topic and nothing else, beside its dead letters and its logs', () => {
    const statements = statementsOf(ids.notifierRole).map(({ Effect, Action, Resource }) => ({
      Effect,
      Action: [Action].flat().sort(),
      Resource,
    }));
    expect(statements).toHaveLength(3);
    expect(statements).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Action: ['sns:Publish'], Resource: { Ref: ids.ops } },
        // Lambda sends an event whose retries all failed to the dead-letter queue with the function's role.
        { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': [ids.notifierDlq, 'Arn'] } },
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [ids.notifierLogs, 'Arn'] },
        },
      ]),
    );
  });

  test('functions have their own roles, with no AWS managed policy', () => {
    for (const roleId of [ids.pollRole, ids.dispatchRole, ids.notifierRole]) {
      expect(template.toJSON().Resources[roleId].Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('monitoring', () => {
  const notifierArn = () => ({ 'Fn::GetAtt': [ids.notifier, 'Arn'] });
  const toOps = () => ({ AlarmActions: [notifierArn()], OKActions: [notifierArn()] });
  const alarms = () => Object.entries(template.findResources('AWS::CloudWatch::Alarm'));
  /** A message waiting in the queue alarms to the ops notifier. */
  const expectQueueDepthAlarm = (queueId: string) =>
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      ...toOps(),
    });

  test('every alarm, when it fires and when it clears, invokes the notifier and nothing else', () => {
    expect(alarms().length).toBe(11);
    for (const [, alarm] of alarms()) {
      expect(alarm.Properties).toMatchObject(toOps());
      expect(alarm.Properties.InsufficientDataActions).toBeUndefined();
    }
  });

  test('CloudWatch alarms may invoke the notifier only from this account, each alarm by its own ARN', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'))
      .map((permission) => permission.Properties)
      // The verdict endpoint's function URL is the one public invoker (its own tests, verdicts.test.ts).
      .filter((permission) => JSON.stringify(permission.FunctionName) === JSON.stringify(notifierArn()));
    expect(permissions.map((permission) => permission.SourceArn).sort()).toEqual(
      alarms()
        .map(([alarmId]) => ({ 'Fn::GetAtt': [alarmId, 'Arn'] }))
        .sort(),
    );
    for (const permission of permissions) {
      expect(permission).toEqual({
        Action: 'lambda:InvokeFunction',
        FunctionName: notifierArn(),
        Principal: 'lambda.alarms.cloudwatch.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
        SourceArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
      });
    }
  });

  test('the notifier knows the ops topic, carries no watchlist, and keeps what it failed to send in a dead-letter queue', () => {
    const fn = template.toJSON().Resources[ids.notifier].Properties;
    expect(fn).toMatchObject({
      Architectures: ['arm64'],
      Runtime: 'nodejs24.x',
      Environment: { Variables: { OPS_TOPIC_ARN: { Ref: ids.ops } } },
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [ids.notifierDlq, 'Arn'] } },
    });
    // An asynchronous invocation (an alarm action) is retried twice by Lambda before it goes to the queue.
    expect(
      template.findResources('AWS::Lambda::EventInvokeConfig', { Properties: { FunctionName: { Ref: ids.notifier } } }),
    ).toEqual({});
    expect(template.toJSON().Resources[ids.notifierDlq].Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  test('the notifier does not alarm on its own errors (it would notify through itself in a loop): its dead letters alarm', () => {
    const watched = alarms().map(([, alarm]) => alarm.Properties);
    for (const alarm of watched) {
      expect(alarm.Dimensions).not.toContainEqual({ Name: 'FunctionName', Value: { Ref: ids.notifier } });
    }
    expectQueueDepthAlarm(ids.notifierDlq);
  });

  test('dead-letter queue depth above zero alarms to the ops notifier', () => {
    expectQueueDepthAlarm(ids.dlq);
  });

  test('alarms are named after the stack and what they watch, as the ops email subject shows them', () => {
    const names = alarms().map(([, alarm]) => alarm.Properties.AlarmName);
    expect(names).toEqual(expect.arrayContaining(['NewsAlerts-PollErrors', 'NewsAlerts-DeadLetters']));
    expect(names.every((name) => /^NewsAlerts-[A-Za-z]+$/.test(name))).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });

  test.each([
    ['poll', 'Errors'],
    ['poll', 'Throttles'],
    ['dispatch', 'Errors'],
    ['dispatch', 'Throttles'],
  ] as const)('%s %s alarm to the ops notifier', (fn, metric) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: metric,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: ids[fn] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      ...toOps(),
    });
  });

  test('feeds failing for more than a day alarm on the metric the handlers emit', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'NewsAlerts',
      MetricName: 'FeedsFailingOverADay',
      Dimensions: [{ Name: 'service', Value: 'news-alerts' }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      ...toOps(),
    });
  });

  test('alerts SNS refused alarm on the metric the poll emits: their jobs seldom fail often enough for the DLQ', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'NewsAlerts-AlertsFailed',
      Namespace: 'NewsAlerts',
      MetricName: 'AlertsFailed',
      Dimensions: [{ Name: 'service', Value: 'news-alerts' }],
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      ...toOps(),
    });
  });

  test('the dashboard plots feeds polled, items, matches, alerts, feed errors and the 304 ratio', () => {
    const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0];
    const body = JSON.parse(joinedText(dashboard?.Properties.DashboardBody)) as {
      widgets: { properties: { title: string; metrics: unknown[][] } }[];
    };
    const plotted = body.widgets.flatMap((widget) => widget.properties.metrics);
    for (const name of ['FeedsPolled', 'ItemsSeen', 'Matches', 'AlertsSent', 'FeedErrors']) {
      expect(plotted).toContainEqual(['NewsAlerts', name, 'service', 'news-alerts', expect.any(Object)]);
    }
    expect(plotted).toContainEqual([expect.objectContaining({ expression: '100 * notModified / polled' })]);
    // The notifier's own failures are on the dashboard, since no alarm reports them through it.
    expect(plotted).toContainEqual([
      'AWS/Lambda',
      'Errors',
      'FunctionName',
      expect.anything(),
      expect.objectContaining({ label: 'Ops notifier errors' }),
    ]);
    expect(plotted).toContainEqual([
      'NewsAlerts',
      'FeedsNotModified',
      'service',
      'news-alerts',
      expect.objectContaining({ id: 'notModified', visible: false }),
    ]);
  });
});

/** The text of an Fn::Join (as a dashboard body is), with each token replaced by a placeholder. */
function joinedText(value: unknown): string {
  const join = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return join[1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(join[0]);
}

describe('cdk-nag AwsSolutions', () => {
  test('reports no finding that is not acknowledged', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    const findings = report.violations.map(
      (violation) =>
        `${violation.ruleName} on ${violation.violatingResources.map((resource) => resource.resourceLogicalId).join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  test('the only acknowledged findings are the schedulers invoking function versions, the unrotated verdict key and the archive (no access logs, its prefix), with reasons', () => {
    const acknowledgements = stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>));
    expect(acknowledgements.map(([id]) => id).sort()).toEqual(
      [
        `Annotation::AwsSolutions-IAM5[Resource::<${ids.dispatch}.Arn>:*]`,
        `Annotation::AwsSolutions-IAM5[Resource::<${stack.getLogicalId(stack.digest.digest.fn.node.defaultChild as CfnElement)}.Arn>:*]`,
        'Annotation::AwsSolutions-SMG4',
        'Annotation::AwsSolutions-S1',
        `Annotation::AwsSolutions-IAM5[Resource::<${ids.archive}.Arn>/items/*]`,
      ].sort(),
    );
    for (const [, reason] of acknowledgements) expect(reason.length).toBeGreaterThan(30);
  });
});

describe('with -c tracing=true', () => {
  test('both functions trace actively, and the X-Ray wildcard is the one finding acknowledged on their roles', () => {
    const tracingApp = projectApp({ ...CONTEXT, tracing: 'true' });
    const traced = new NewsAlertsStack(tracingApp, 'NewsAlerts', {
      config: buildStackConfig((key) => tracingApp.node.tryGetContext(key)),
    });
    const tracedTemplate = Template.fromStack(traced);
    for (const fn of [traced.poller.poll.fn, traced.poller.dispatch.fn]) {
      const properties =
        tracedTemplate.toJSON().Resources[traced.getLogicalId(fn.node.defaultChild as CfnElement)].Properties;
      expect(properties.TracingConfig).toEqual({ Mode: 'Active' });
    }
    tracedTemplate.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' }),
        ]),
      },
    });
    expect(new AwsSolutionsChecks().validateScope(traced).violations).toEqual([]);
  }, 120_000);
});
