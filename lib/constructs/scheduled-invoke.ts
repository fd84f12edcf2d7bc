// An EventBridge Scheduler schedule that invokes one function, through a role that may invoke that function alone.
import { type CfnElement, type Duration, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression, type ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import type { NewsAlertsFunction } from './news-alerts-function';

export interface ScheduledInvokeOptions {
  /** The function's short name ("dispatch"), for the role's description. */
  name: string;
  /** Says what the schedule runs, for the console. */
  description: string;
  /** EventBridge Scheduler expression, already validated (lib/config.ts). */
  expression: string;
  /** The event the function receives; none when absent. */
  input?: ScheduleTargetInput;
  /** Attempts to deliver an invocation, and for how long, before it is dropped. */
  retryAttempts: number;
  maxEventAge: Duration;
}

/** Adds `ScheduleRole` and `Schedule` to `scope`: the schedule invokes `target` with the options given. */
export function scheduledInvoke(
  scope: Construct,
  target: NewsAlertsFunction,
  options: ScheduledInvokeOptions,
): Schedule {
  // Own role rather than the stack-wide one the target would create, so its one finding is acknowledged right here.
  const account = Stack.of(scope).account;
  const role = new Role(scope, 'ScheduleRole', {
    assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': account } },
    }),
    description: `news-alerts: lets EventBridge Scheduler invoke the ${options.name} function`,
  });
  const functionId = Stack.of(scope).getLogicalId(target.fn.node.defaultChild as CfnElement);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
    reason: 'grantInvoke covers the function and its versions/aliases (ARN:*); no other function',
  });
  return new Schedule(scope, 'Schedule', {
    description: options.description,
    schedule: ScheduleExpression.expression(options.expression),
    target: new LambdaInvoke(target.fn, {
      role,
      input: options.input,
      retryAttempts: options.retryAttempts,
      maxEventAge: options.maxEventAge,
    }),
  });
}
