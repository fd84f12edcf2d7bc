// The project's stack synthesized as `cdk synth` builds it, with the bundle each function deploys.
import { join } from 'node:path';
import { type CfnElement, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildStackConfig } from '../../lib/config';
import type { NewsAlertsFunction } from '../../lib/constructs/news-alerts-function';
import { NewsAlertsStack } from '../../lib/news-alerts-stack';
import { projectApp } from './project-app';

/** The parts of an AWS::Lambda::Function's properties the tests and benchmarks read. */
export interface FunctionProperties {
  Code: { S3Key: string };
  Environment: { Variables: Record<string, unknown> };
}

export interface SynthesizedStack {
  stack: NewsAlertsStack;
  template: Template;
  /** The functions by their handler module's name (lambda/handlers/<name>.ts). */
  functions: Record<'poll' | 'dispatch' | 'digest' | 'ops-notify', NewsAlertsFunction>;
  /** A function's synthesized CloudFormation properties. */
  propertiesOf(fn: NewsAlertsFunction): FunctionProperties;
  /** A function's bundle: index.js in its asset directory. */
  bundleOf(fn: NewsAlertsFunction): string;
}

/** The project's stack in an app of its own, configured from cdk.json's context and the given context, as bin/ does. */
export function projectStack(context: Record<string, unknown> = {}): NewsAlertsStack {
  const app = projectApp(context);
  const config = buildStackConfig((key) => app.node.tryGetContext(key), {
    keys: Object.keys(app.node.getAllContext()),
  });
  return new NewsAlertsStack(app, 'NewsAlerts', { config });
}

/** Synthesizes the stack, bundles included, from cdk.json's context and the given context (a watchlist path, say). */
export function synthesizeStack(context: Record<string, unknown> = {}): SynthesizedStack {
  const stack = projectStack(context);
  const template = Template.fromStack(stack);
  const assemblyDir = Stage.of(stack)!.synth().directory;
  const propertiesOf = (fn: NewsAlertsFunction) =>
    template.toJSON().Resources[stack.getLogicalId(fn.fn.node.defaultChild as CfnElement)].Properties;
  return {
    stack,
    template,
    functions: {
      poll: stack.poller.poll,
      dispatch: stack.poller.dispatch,
      digest: stack.digest.digest,
      'ops-notify': stack.monitoring.notifier,
    },
    propertiesOf,
    bundleOf: (fn) =>
      join(assemblyDir, `asset.${String(propertiesOf(fn).Code.S3Key).replace(/\.zip$/, '')}`, 'index.js'),
  };
}

/** One statement of an IAM policy in the template (the fields the tests read). */
export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** The statements of the IAM policies attached to the role with this logical id. */
export function statementsOfRole(template: Template, roleId: string): PolicyStatement[] {
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
  return Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatement[]);
}
