// Infrastructure policy, walked generically over the synthesized stack (default options, and every option on):
// every IAM statement of every identity, trust and resource policy is specific or its wildcard has a written reason;
// only AWS services of this account may invoke a function; table, queues and topics are encrypted at rest and refuse
// plain HTTP; cdk-nag AwsSolutions finds nothing unexplained.
import path from 'node:path';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { projectStack } from '../infra/synthesized-stack';

/**
 * Wildcards in resource policies, which cdk-nag does not look at, each with the reason it is there. (Wildcards in
 * identity policies must carry an acknowledgement with a reason on their construct, which cdk-nag demands anyway.)
 * None today: the key policy they were for went with the customer-managed key (the topics use alias/aws/sns).
 */
const RESOURCE_POLICY_WILDCARDS: { type: string; action: string; resource: string; reason: string }[] = [];

/**
 * The one function anyone may invoke, and only through its function URL: the verdict endpoint, whose links are opened
 * from mail clients that cannot sign a request (docs/verdicts.md says what stands in for IAM auth).
 */
const PUBLIC_FUNCTION_URL = {
  construct: 'Verdicts/Endpoint/Function',
  reason: 'verdict links are opened from email; tokens are HMAC-signed and the role can only put verdict rows',
};

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

interface FoundStatement {
  logicalId: string;
  type: string;
  /** identity: attached to roles; trust: who may assume a role; resource: on the resource itself. */
  kind: 'identity' | 'trust' | 'resource';
  statement: Statement;
  /** For identity policies, the roles they are attached to. */
  roles: string[];
}

interface Synthesized {
  stack: Stack;
  resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

const FIXTURE_WATCHLIST = path.resolve(__dirname, '../infra/fixtures/watchlist.yaml');
const VARIANTS: Record<string, Record<string, string>> = {
  'default options': {},
  'every option': {
    watchlist: FIXTURE_WATCHLIST,
    email: 'reader@example.com',
    sms: '+15555550100',
    opsEmail: 'oncall@example.com',
    tracing: 'true',
  },
};

function synthesize(context: Record<string, string>): Synthesized {
  // cdk.json's feature flags, as `cdk deploy` uses them; bundling skipped: the policies do not depend on the
  // functions' code, and esbuild would cost seconds.
  const stack = projectStack({ ...context, 'aws:cdk:bundling-stacks': [] });
  return { stack, resources: Template.fromStack(stack).toJSON().Resources };
}

const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function statementsOf(resources: Synthesized['resources']): FoundStatement[] {
  const found: FoundStatement[] = [];
  const add = (
    logicalId: string,
    type: string,
    kind: FoundStatement['kind'],
    document: unknown,
    roles: string[] = [],
  ) => {
    for (const statement of asList((document as { Statement?: Statement[] } | undefined)?.Statement)) {
      found.push({ logicalId, type, kind, statement, roles });
    }
  };
  for (const [logicalId, { Type: type, Properties: properties = {} }] of Object.entries(resources)) {
    const roles = asList(properties.Roles as { Ref: string }[] | undefined).map((role) => role.Ref);
    if (type === 'AWS::IAM::Policy' || type === 'AWS::IAM::ManagedPolicy') {
      add(logicalId, type, 'identity', properties.PolicyDocument, roles);
    } else if (type === 'AWS::IAM::Role') {
      add(logicalId, type, 'trust', properties.AssumeRolePolicyDocument);
      for (const inline of asList(properties.Policies as { PolicyDocument: unknown }[] | undefined)) {
        add(logicalId, type, 'identity', inline.PolicyDocument, [logicalId]);
      }
    } else if (type === 'AWS::KMS::Key') {
      add(logicalId, type, 'resource', properties.KeyPolicy);
    } else if (type === 'AWS::Lambda::Permission') {
      // One statement of the function's resource policy, as Lambda writes it from these properties.
      add(logicalId, type, 'resource', { Statement: [lambdaPermissionStatement(properties)] });
    } else if (/^AWS::(SNS::TopicPolicy|SQS::QueuePolicy|S3::BucketPolicy|Logs::ResourcePolicy)$/.test(type)) {
      add(logicalId, type, 'resource', properties.PolicyDocument);
    }
  }
  return found;
}

function lambdaPermissionStatement(properties: Record<string, unknown>): Statement {
  const principal = String(properties.Principal);
  const condition: Record<string, Record<string, unknown>> = {};
  if (properties.SourceAccount !== undefined)
    condition.StringEquals = { 'AWS:SourceAccount': properties.SourceAccount };
  if (properties.SourceArn !== undefined) condition.ArnLike = { 'AWS:SourceArn': properties.SourceArn };
  if (properties.FunctionUrlAuthType !== undefined) {
    condition.StringEquals = {
      ...condition.StringEquals,
      'lambda:FunctionUrlAuthType': properties.FunctionUrlAuthType,
    };
  }
  if (properties.InvokedViaFunctionUrl !== undefined) {
    condition.Bool = { 'lambda:InvokedViaFunctionUrl': String(properties.InvokedViaFunctionUrl) };
  }
  return {
    Effect: 'Allow',
    Action: String(properties.Action),
    Resource: properties.FunctionName,
    Principal: principal.endsWith('.amazonaws.com')
      ? { Service: principal }
      : principal === '*'
        ? '*'
        : { AWS: principal },
    Condition: Object.keys(condition).length > 0 ? condition : undefined,
  };
}

/** A resource as cdk-nag names it in a finding: `<Id.Attr>` for GetAtt, `<Id>` for Ref, joins concatenated. */
function rendered(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const value = resource as { Ref?: string; 'Fn::GetAtt'?: string[]; 'Fn::Join'?: [string, unknown[]] };
  if (value.Ref !== undefined) return `<${value.Ref}>`;
  if (value['Fn::GetAtt']) return `<${value['Fn::GetAtt'].join('.')}>`;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(rendered).join(value['Fn::Join'][0]);
  return JSON.stringify(resource);
}

/** cdk-nag acknowledgements with their reasons, by the logical id of the resource they sit on. */
function acknowledgements(stack: Stack): Map<string, Record<string, string>> {
  const byId = new Map<string, Record<string, string>>();
  for (const construct of stack.node.findAll()) {
    const data = construct.node.metadata
      .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
      .reduce<Record<string, string>>((all, entry) => Object.assign(all, entry.data), {});
    if (Object.keys(data).length === 0) continue;
    const element = (construct.node.defaultChild ?? construct) as CfnElement;
    byId.set(stack.getLogicalId(element), data);
  }
  return byId;
}

describe.each(Object.entries(VARIANTS))('the stack synthesized with %s', (_variant, context) => {
  let synthesized: Synthesized;
  let statements: FoundStatement[];

  beforeAll(() => {
    synthesized = synthesize(context);
    statements = statementsOf(synthesized.resources);
  }, 120_000);

  const ofType = (type: string) =>
    Object.entries(synthesized.resources).filter(([, resource]) => resource.Type === type);

  it('has identity, trust and resource policies to check', () => {
    for (const kind of ['identity', 'trust', 'resource']) {
      expect(statements.filter((found) => found.kind === kind).length).toBeGreaterThan(0);
    }
  });

  it('every Allow names its actions and resources; each wildcard left has a written reason', () => {
    const reasons = acknowledgements(synthesized.stack);
    const unexplained: string[] = [];
    for (const { logicalId, type, kind, statement, roles } of statements) {
      if (statement.Effect !== 'Allow' || kind === 'trust') continue;
      const wildcards = [
        ...asList(statement.Action)
          .filter((action) => action.includes('*'))
          .map((action) => ({ finding: `Action::${action}`, action, resource: undefined })),
        ...asList(statement.Resource)
          .map(rendered)
          .filter((resource) => resource.includes('*'))
          .map((resource) => ({ finding: `Resource::${resource}`, action: undefined, resource })),
      ];
      for (const wildcard of wildcards) {
        const reason =
          kind === 'identity'
            ? roles
                .map((role) => reasons.get(role)?.[`Annotation::AwsSolutions-IAM5[${wildcard.finding}]`])
                .find(Boolean)
            : RESOURCE_POLICY_WILDCARDS.find(
                (known) =>
                  known.type === type &&
                  asList(statement.Action).includes(known.action) &&
                  asList(statement.Resource).map(rendered).includes(known.resource),
              )?.reason;
        if (!reason || reason.length < 30) unexplained.push(`${logicalId} (${type}): ${wildcard.finding}`);
      }
    }
    expect(unexplained).toEqual([]);
  });

  /** The logical id of the one function open to anyone through its URL. */
  const publicFunction = () =>
    synthesized.stack.getLogicalId(
      PUBLIC_FUNCTION_URL.construct
        .split('/')
        .reduce<IConstruct>((parent, id) => parent.node.findChild(id), synthesized.stack).node
        .defaultChild as CfnElement,
    );
  /** Anyone may invoke the verdict endpoint through its URL, and in no other way. */
  const isPublicFunctionUrl = (statement: Statement) =>
    JSON.stringify(statement.Resource) === JSON.stringify({ 'Fn::GetAtt': [publicFunction(), 'Arn'] }) &&
    ((statement.Action === 'lambda:InvokeFunctionUrl' &&
      JSON.stringify(statement.Condition) === '{"StringEquals":{"lambda:FunctionUrlAuthType":"NONE"}}') ||
      (statement.Action === 'lambda:InvokeFunction' &&
        JSON.stringify(statement.Condition) === '{"Bool":{"lambda:InvokedViaFunctionUrl":"true"}}'));

  it('no Allow uses NotAction, NotResource or NotPrincipal, grants to anyone, or leaves out its resources', () => {
    expect(PUBLIC_FUNCTION_URL.reason.length).toBeGreaterThan(30);
    const findings = statements.flatMap(({ logicalId, kind, statement }) => {
      if (statement.Effect !== 'Allow') return [];
      const problems: string[] = [];
      if (statement.NotAction || statement.NotResource || statement.NotPrincipal) problems.push('Not* element');
      const principals = JSON.stringify(statement.Principal ?? null);
      const anyone = principals === '"*"' || principals.includes('{"AWS":"*"}');
      if (anyone && !isPublicFunctionUrl(statement)) problems.push('any principal');
      if (kind === 'identity' && asList(statement.Resource).length === 0) problems.push('no Resource');
      return problems.map((problem) => `${logicalId}: ${problem}`);
    });
    expect(findings).toEqual([]);
  });

  it('every role can be assumed by one AWS service only, with sts:AssumeRole', () => {
    const trust = statements.filter((found) => found.kind === 'trust');
    expect(trust.length).toBe(ofType('AWS::IAM::Role').length);
    for (const { statement } of trust) {
      expect(statement).toMatchObject({ Effect: 'Allow', Action: 'sts:AssumeRole' });
      expect(Object.keys(statement.Principal as object)).toEqual(['Service']);
      expect((statement.Principal as { Service: unknown }).Service).toMatch(/^[a-z-]+\.amazonaws\.com$/);
    }
  });

  it('only AWS services acting for this account may invoke a function, each from one named source (but the verdict URL)', () => {
    const all = statements.filter((found) => found.type === 'AWS::Lambda::Permission');
    // The verdict endpoint's URL: the one public invoker, checked above; exactly its two statements.
    expect(all.filter(({ statement }) => isPublicFunctionUrl(statement))).toHaveLength(2);
    const invokers = all.filter(({ statement }) => !isPublicFunctionUrl(statement));
    // CloudWatch alarms invoke the ops notifier: one permission per alarm.
    expect(invokers.length).toBe(ofType('AWS::CloudWatch::Alarm').length);
    for (const { statement } of invokers) {
      expect(statement).toMatchObject({ Effect: 'Allow', Action: 'lambda:InvokeFunction' });
      expect(Object.keys(statement.Principal as object)).toEqual(['Service']);
      expect(statement.Condition).toEqual({
        StringEquals: { 'AWS:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: { 'AWS:SourceArn': { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
      });
    }
  });

  it('encrypts at rest: the table, every queue (the dead-letter queues too) and every topic', () => {
    const tables = ofType('AWS::DynamoDB::Table');
    expect(tables.length).toBeGreaterThan(0);
    for (const [, table] of tables) expect(table.Properties?.SSESpecification).toMatchObject({ SSEEnabled: true });
    const queues = ofType('AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThanOrEqual(2);
    for (const [, queue] of queues) {
      expect(queue.Properties?.SqsManagedSseEnabled === true || queue.Properties?.KmsMasterKeyId !== undefined).toBe(
        true,
      );
    }
    const topics = ofType('AWS::SNS::Topic');
    expect(topics.length).toBeGreaterThan(0);
    // SNS's AWS-managed key: AWS rotates it every year, and its policy admits this account's principals via SNS only.
    for (const [, topic] of topics) expect(topic.Properties?.KmsMasterKeyId).toBe('alias/aws/sns');
  });

  it('refuses plain HTTP: every topic and every queue has a policy denying requests without TLS', () => {
    const deniesInsecure = (statement: Statement) =>
      statement.Effect === 'Deny' && JSON.stringify(statement.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}';
    const covered = new Set<string>();
    for (const [, policy] of [...ofType('AWS::SNS::TopicPolicy'), ...ofType('AWS::SQS::QueuePolicy')]) {
      const properties = policy.Properties as {
        Topics?: { Ref: string }[];
        Queues?: { Ref: string }[];
        PolicyDocument: { Statement: Statement[] };
      };
      if (!properties.PolicyDocument.Statement.some(deniesInsecure)) continue;
      for (const target of [...(properties.Topics ?? []), ...(properties.Queues ?? [])]) covered.add(target.Ref);
    }
    const targets = [...ofType('AWS::SNS::Topic'), ...ofType('AWS::SQS::Queue')].map(([id]) => id);
    expect(targets.filter((id) => !covered.has(id))).toEqual([]);
  });

  it('cdk-nag AwsSolutions finds nothing that is not acknowledged, and every acknowledgement says why', () => {
    const report = new AwsSolutionsChecks().validateScope(synthesized.stack);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
    for (const rules of acknowledgements(synthesized.stack).values()) {
      for (const reason of Object.values(rules)) expect(reason.length).toBeGreaterThanOrEqual(30);
    }
  });
});
