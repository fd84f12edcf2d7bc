// The CDK App the infra tests synthesize: cdk.json's context (its feature flags) under the test's own, as `cdk synth` runs it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';

const CDK_JSON = join(__dirname, '..', '..', 'cdk.json');

/** The context cdk.json gives every `cdk synth` and `cdk deploy`: without it a test would check other defaults. */
export function projectContext(): Record<string, unknown> {
  return (JSON.parse(readFileSync(CDK_JSON, 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
}

export function projectApp(context: Record<string, unknown>): App {
  return new App({ context: { ...projectContext(), ...context } });
}
