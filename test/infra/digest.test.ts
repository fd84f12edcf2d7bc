// Infra for stories: the daily digest schedule and function, its least-privilege grants, and the digest setting.
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildStackConfig, StackConfigError } from '../../lib/config';
import { NewsAlertsStack } from '../../lib/news-alerts-stack';
import { projectApp } from './project-app';

const CONTEXT = {
  watchlist: join(__dirname, 'fixtures', 'watchlist.yaml'),
  email: 'reader@example.com',
  sms: '+15555550100',
};

function synth(context: Record<string, string> = {}) {
  const app = projectApp({ ...CONTEXT, ...context });
  const stack = new NewsAlertsStack(app, 'NewsAlerts', {
    config: buildStackConfig((key) => app.node.tryGetContext(key)),
  });
  const id = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as CfnElement);
  return { stack, template: Template.fromStack(stack), id };
}

let stack: NewsAlertsStack;
let template: Template;
let ids: Record<'digest' | 'digestRole' | 'digestTopic' | 'table', string>;

// Synthesized once: bundling the functions with esbuild takes seconds.
beforeAll(() => {
  const built = synth();
  ({ stack, template } = built);
  ids = {
    digest: built.id(stack.digest.digest.fn),
    digestRole: built.id(stack.digest.digest.fn.role!),
    digestTopic: built.id(stack.topics.digest),
    table: built.id(stack.state.table),
  };
}, 180_000);

describe('digest schedule', () => {
  test('runs the digest function daily at 07:00 UTC, handing it the scheduled time', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 7 * * ? *)',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [ids.digest, 'Arn'] },
        Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 3 }),
      }),
    });
  });

  test('-c digestSchedule picks another time; a malformed one stops synth with its name', () => {
    synth({ digestSchedule: 'cron(30 18 * * ? *)' }).template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 18 * * ? *)',
    });
    expect(() => synth({ digestSchedule: 'daily at 7' })).toThrow(StackConfigError);
    expect(() => synth({ digestSchedule: 'daily at 7' })).toThrow(/digestSchedule: "daily at 7" must be rate/);
  });

  test('the function knows its table, its topic and the audiences the digest topic’s subscriptions filter on', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      Environment: {
        Variables: Match.objectLike({
          STATE_TABLE_NAME: { Ref: ids.table },
          DIGEST_TOPIC_ARN: { Ref: ids.digestTopic },
          DIGEST_AUDIENCES: JSON.stringify([{ key: 'all' }, { key: 'cisa,quill', entities: ['cisa', 'quill'] }]),
        }),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: { Ref: ids.digestTopic },
      Endpoint: 'digest-reader@example.com',
      FilterPolicy: { audience: ['cisa,quill'] },
    });
  });

  test('a failing digest function alarms to the ops notifier', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: ids.digest } }],
      AlarmActions: [
        { 'Fn::GetAtt': [stack.getLogicalId(stack.monitoring.notifier.fn.node.defaultChild as CfnElement), 'Arn'] },
      ],
    });
  });
});

describe('digest least privilege', () => {
  const statements = () =>
    Object.values(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: ids.digestRole }] } }),
    ).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );

  test('reads the table (Query and BatchGetItem are what storiesBetween calls) and publishes to the digest topic only', () => {
    const byAction = (prefix: string) =>
      statements().filter((statement) => [statement.Action].flat().some((action) => action.startsWith(prefix)));
    expect(
      byAction('dynamodb:')
        .flatMap((s) => [s.Action].flat())
        .sort(),
    ).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query']);
    expect(byAction('sns:')).toEqual([
      expect.objectContaining({ Action: 'sns:Publish', Resource: { Ref: ids.digestTopic } }),
    ]);
    // The digest topic is under the AWS-managed key: publishing needs no KMS grant.
    expect(byAction('kms:')).toEqual([]);
    const allowedPrefixes = ['dynamodb:', 'sns:', 'logs:'];
    for (const action of statements().flatMap((s) => [s.Action].flat())) {
      expect(allowedPrefixes.some((prefix) => action.startsWith(prefix))).toBe(true);
    }
  });
});
