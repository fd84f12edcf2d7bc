// Infra of the archive of items read, synthesized from the real stack: an encrypted, TLS-only, private bucket whose
// objects expire after 30 days, a poll role that may only put objects under the archive prefix, an alarm on failed
// writes, cdk-nag clean.
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { NewsAlertsStack } from '../../lib/news-alerts-stack';
import { projectStack, statementsOfRole } from './synthesized-stack';

let stack: NewsAlertsStack;
let template: Template;
let resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
const id = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);

beforeAll(() => {
  stack = projectStack({ 'aws:cdk:bundling-stacks': [] });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
}, 120_000);

const statementsOf = (roleId: string) => statementsOfRole(template, roleId);
const notifierArn = () => ({ 'Fn::GetAtt': [id(stack.monitoring.notifier.fn), 'Arn'] });
const alarmCount = (of: Template) => Object.keys(of.findResources('AWS::CloudWatch::Alarm')).length;

test('one bucket: encrypted at rest, all public access blocked, objects owned by the account, expiring after 30 days', () => {
  template.resourceCountIs('AWS::S3::Bucket', 1);
  template.hasResourceProperties('AWS::S3::Bucket', {
    BucketEncryption: {
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    },
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    },
    OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    LifecycleConfiguration: {
      Rules: [
        Match.objectLike({
          Status: 'Enabled',
          ExpirationInDays: 30,
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        }),
      ],
    },
  });
  // Kept by `cdk destroy` (it cannot delete a bucket with objects); its lifecycle empties it.
  template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
});

test('its policy refuses every request without TLS, and below TLS 1.2', () => {
  template.hasResourceProperties('AWS::S3::BucketPolicy', {
    Bucket: { Ref: id(stack.archive!.bucket) },
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
        Match.objectLike({
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:*',
          Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
        }),
      ]),
    },
  });
});

test('the poll role may only put objects under items/: no read, list or delete, no other bucket', () => {
  const s3Statements = statementsOf(id(stack.poller.poll.fn.role!)).filter((statement) =>
    JSON.stringify(statement.Action).includes('s3:'),
  );
  expect(s3Statements).toEqual([
    {
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(stack.archive!.bucket), 'Arn'] }, '/items/*']] },
    },
  ]);
  // No other policy in the stack names the bucket: every IAM policy but the poll role's (the stack has several).
  const pollRole = id(stack.poller.poll.fn.role!);
  const others = Object.values(template.findResources('AWS::IAM::Policy')).filter(
    (policy) => !JSON.stringify(policy.Properties.Roles).includes(pollRole),
  );
  expect(others.length).toBeGreaterThanOrEqual(4);
  for (const policy of others) expect(JSON.stringify(policy)).not.toContain(id(stack.archive!.bucket));
});

test('the poll function is told the bucket and the prefix, and the stack outputs where backtest reads', () => {
  const poll = resources[id(stack.poller.poll.fn)]!.Properties;
  expect((poll.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
    ARCHIVE_BUCKET_NAME: { Ref: id(stack.archive!.bucket) },
    ARCHIVE_PREFIX: 'items',
  });
  template.hasOutput('ItemArchiveLocation', {
    Value: { 'Fn::Join': ['', ['s3://', { Ref: id(stack.archive!.bucket) }, '/items']] },
  });
});

test('cdk-nag AwsSolutions finds nothing on the archive; no access logs is acknowledged with its reason', () => {
  const report = new AwsSolutionsChecks().validateScope(stack.archive!);
  expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  const acknowledged = stack.archive!.bucket.node.metadata.filter(
    (entry) => entry.type === 'aws:cdk:acknowledged-rules',
  );
  expect(acknowledged.map((entry) => Object.keys(entry.data as object))).toEqual([['Annotation::AwsSolutions-S1']]);
});

test('a failed archive write alarms to the ops notifier, on the metric the poll function emits', () => {
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    AlarmName: 'NewsAlerts-ArchiveWritesFailed',
    Namespace: 'NewsAlerts',
    MetricName: 'ArchiveWritesFailed',
    Dimensions: [{ Name: 'service', Value: 'news-alerts' }],
    Statistic: 'Sum',
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    // Emitted only on a failure: no datapoint means every write went through.
    TreatMissingData: 'notBreaching',
    AlarmActions: [notifierArn()],
    OKActions: [notifierArn()],
  });
  // ...and the dashboard plots it beside the items read, which are what it archives.
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  expect(JSON.stringify(dashboards[0])).toContain('Archive writes failed');
});

test('-c archive=false leaves the bucket out: no bucket, no S3 grant, no archive env, output or alarm', () => {
  const without = projectStack({ 'aws:cdk:bundling-stacks': [], archive: 'false' });
  const bare = Template.fromStack(without);
  expect(without.archive).toBeUndefined();
  bare.resourceCountIs('AWS::S3::Bucket', 0);
  expect(JSON.stringify(bare.toJSON())).not.toMatch(/s3:PutObject|ARCHIVE_BUCKET_NAME/);
  expect(Object.keys(bare.findOutputs('ItemArchiveLocation'))).toEqual([]);
  expect(bare.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'ArchiveWritesFailed' } })).toEqual(
    {},
  );
  // The stack's other alarms are all still there.
  expect(alarmCount(bare)).toBe(alarmCount(template) - 1);
  expect(JSON.stringify(bare.findResources('AWS::CloudWatch::Dashboard'))).not.toContain('Archive writes failed');
});
