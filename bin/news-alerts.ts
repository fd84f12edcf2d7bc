#!/usr/bin/env node
// The CDK app: reads context, validates the watchlist (a bad one stops synth like `news-alerts validate`), builds the stack.
import { Annotations, App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { WatchlistError } from '../lambda/core/watchlist';
import { buildStackConfig, missingRecipients, type StackConfig, StackConfigError } from '../lib/config';
import { NewsAlertsStack } from '../lib/news-alerts-stack';

const app = new App();
let config: StackConfig;
try {
  config = buildStackConfig((key) => app.node.tryGetContext(key), { keys: Object.keys(app.node.getAllContext()) });
} catch (error) {
  if (!(error instanceof WatchlistError || error instanceof StackConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  // Exit 2, as the CLI does for a bad watchlist: nothing is synthesized or deployed (the CDK CLI then exits 1).
  process.exit(2);
}
// Environment-agnostic (no account or region, no lookups): synth needs no credentials and no network.
const stack = new NewsAlertsStack(app, 'NewsAlerts', {
  description: 'news-alerts: polls news feeds, matches tracked entities, alerts through SNS email and SMS',
  config,
});
// Shown by `cdk synth` and `cdk deploy`; they do not fail them.
for (const { id, message } of missingRecipients(config)) Annotations.of(stack).addWarningV2(id, message);
// AWS Solutions rules; a finding that is not acknowledged with a reason fails synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
