// The handlers' configuration: environment variables and the bundled watchlist, validated once into one object.
import * as z from 'zod/mini';
import { EnvName } from '../contract/env';
import type { DigestAudience } from '../core/digest';
import { lazily } from '../core/lazily';
import type { Watchlist } from '../core/types';

/**
 * The validated watchlist as JSON text, compiled into the Lambda bundle by esbuild `define` at synth time (its name is
 * BUNDLED_WATCHLIST_CONSTANT in lambda/contract/env.ts).
 */
declare const NEWS_ALERTS_BUNDLED_WATCHLIST: string | undefined;

export interface PollConfig {
  stateTableName: string;
  alertsTopicArn: string;
  watchlist: Watchlist;
  /** Where verdict links point and the secret that signs them; absent without a verdict endpoint. */
  verdicts?: { endpointUrl: string; keySecretArn: string };
  /** Where the items read are archived; absent without an archive bucket. */
  archive?: { bucket: string; prefix: string };
}

/** The verdict endpoint: records verdict rows, signs nothing, checks tokens with the key in the secret. */
export interface VerdictConfig {
  stateTableName: string;
  keySecretArn: string;
  watchlist: Watchlist;
}

export interface DispatchConfig {
  stateTableName: string;
  feedJobsQueueUrl: string;
  watchlist: Watchlist;
}

export interface DigestConfig {
  stateTableName: string;
  digestTopicArn: string;
  audiences: DigestAudience[];
  watchlist: Watchlist;
}

/** The alarm notifier needs its topic alone: it formats alarms, not news, so it carries no watchlist. */
export interface OpsNotifyConfig {
  opsTopicArn: string;
}

export class HandlerConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid handler configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'HandlerConfigError';
  }
}

// zod/mini keeps the Lambda bundles small; it has no default messages, so each check names its own. Each schema is
// built on its first use: zod builds a schema object by object when its code runs, and all of these would run in every
// function's cold start (esbuild cannot drop a call it cannot prove pure); each handler builds its own.
const nonEmpty = () => z.string({ error: 'must be set' }).check(z.trim(), z.minLength(1, 'must be set'));
const topicArn = () => nonEmpty().check(z.regex(/^arn:[\w-]+:sns:/, 'must be an SNS topic ARN'));
const secretArn = () => nonEmpty().check(z.regex(/^arn:[\w-]+:secretsmanager:/, 'must be a Secrets Manager ARN'));
const pollEnvSchema = lazily(() =>
  z.object({
    [EnvName.stateTableName]: nonEmpty(),
    [EnvName.alertsTopicArn]: topicArn(),
    [EnvName.verdictEndpointUrl]: z.optional(z.url({ protocol: /^https$/, error: 'must be an https URL' })),
    [EnvName.verdictKeySecretArn]: z.optional(secretArn()),
    [EnvName.archiveBucketName]: z.optional(nonEmpty()),
    [EnvName.archivePrefix]: z.optional(nonEmpty()),
  }),
);
const verdictEnvSchema = lazily(() =>
  z.object({ [EnvName.stateTableName]: nonEmpty(), [EnvName.verdictKeySecretArn]: secretArn() }),
);
const audiencesSchema = lazily(() =>
  z.array(
    z.object({
      key: nonEmpty(),
      entities: z.optional(z.array(z.string({ error: 'must be text' })).check(z.minLength(1, 'must not be empty'))),
    }),
    { error: 'must be a list' },
  ),
);
const digestEnvSchema = lazily(() =>
  z.object({
    [EnvName.stateTableName]: nonEmpty(),
    [EnvName.digestTopicArn]: topicArn(),
    [EnvName.digestAudiences]: nonEmpty(),
  }),
);
const opsNotifyEnvSchema = lazily(() => z.object({ [EnvName.opsTopicArn]: topicArn() }));
const dispatchEnvSchema = lazily(() =>
  z.object({
    [EnvName.stateTableName]: nonEmpty(),
    [EnvName.feedJobsQueueUrl]: z.url({ protocol: /^https?$/, error: 'must be an SQS queue URL' }),
  }),
);

/**
 * The parts of the watchlist the handlers use. The full schema (lambda/core/watchlist.ts) ran at synth time and the
 * bundle carries its output; this guard only stops a misbuilt bundle or env with a clear message, without shipping
 * the YAML parser and full zod in every function.
 */
const bundledWatchlistSchema = lazily(() => {
  const text = z.string({ error: 'must be text' });
  return z.looseObject({
    entities: z
      .array(z.looseObject({ id: text, name: text }), { error: 'must be a list' })
      .check(z.minLength(1, 'must not be empty')),
    feeds: z.array(z.looseObject({ url: text, name: text }), { error: 'must be a list' }),
    settings: z.looseObject({ backfillHours: z.number({ error: 'must be a number' }) }, { error: 'must be an object' }),
  });
});

export function pollConfigFromEnv(env: NodeJS.ProcessEnv): PollConfig {
  const vars = checked(pollEnvSchema(), env, 'env');
  const endpointUrl = vars[EnvName.verdictEndpointUrl];
  const keySecretArn = vars[EnvName.verdictKeySecretArn];
  if ((endpointUrl === undefined) !== (keySecretArn === undefined)) {
    throw new HandlerConfigError([
      `env: ${EnvName.verdictEndpointUrl} and ${EnvName.verdictKeySecretArn} must be set together, or neither`,
    ]);
  }
  const bucket = vars[EnvName.archiveBucketName];
  const prefix = vars[EnvName.archivePrefix];
  if ((bucket === undefined) !== (prefix === undefined)) {
    throw new HandlerConfigError([
      `env: ${EnvName.archiveBucketName} and ${EnvName.archivePrefix} must be set together, or neither`,
    ]);
  }
  return {
    stateTableName: vars[EnvName.stateTableName],
    alertsTopicArn: vars[EnvName.alertsTopicArn],
    watchlist: watchlistFrom(env),
    ...(endpointUrl !== undefined && keySecretArn !== undefined && { verdicts: { endpointUrl, keySecretArn } }),
    ...(bucket !== undefined && prefix !== undefined && { archive: { bucket, prefix } }),
  };
}

export function verdictConfigFromEnv(env: NodeJS.ProcessEnv): VerdictConfig {
  const vars = checked(verdictEnvSchema(), env, 'env');
  return {
    stateTableName: vars[EnvName.stateTableName],
    keySecretArn: vars[EnvName.verdictKeySecretArn],
    watchlist: watchlistFrom(env),
  };
}

export function dispatchConfigFromEnv(env: NodeJS.ProcessEnv): DispatchConfig {
  const vars = checked(dispatchEnvSchema(), env, 'env');
  return {
    stateTableName: vars[EnvName.stateTableName],
    feedJobsQueueUrl: vars[EnvName.feedJobsQueueUrl],
    watchlist: watchlistFrom(env),
  };
}

export function digestConfigFromEnv(env: NodeJS.ProcessEnv): DigestConfig {
  const vars = checked(digestEnvSchema(), env, 'env');
  let audiences: unknown;
  try {
    audiences = JSON.parse(vars[EnvName.digestAudiences]);
  } catch (error) {
    throw new HandlerConfigError([`env.${EnvName.digestAudiences}: not JSON (${(error as Error).message})`]);
  }
  return {
    stateTableName: vars[EnvName.stateTableName],
    digestTopicArn: vars[EnvName.digestTopicArn],
    audiences: checked(audiencesSchema(), audiences, `env.${EnvName.digestAudiences}`),
    watchlist: watchlistFrom(env),
  };
}

export function opsNotifyConfigFromEnv(env: NodeJS.ProcessEnv): OpsNotifyConfig {
  return { opsTopicArn: checked(opsNotifyEnvSchema(), env, 'env')[EnvName.opsTopicArn] };
}

function checked<Schema extends z.ZodMiniType>(schema: Schema, value: unknown, source: string): z.infer<Schema> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new HandlerConfigError(
      parsed.error.issues.map((issue) => `${[source, ...issue.path].join('.')}: ${issue.message}`),
    );
  }
  return parsed.data;
}

function watchlistFrom(env: NodeJS.ProcessEnv): Watchlist {
  const source =
    typeof NEWS_ALERTS_BUNDLED_WATCHLIST === 'string' ? NEWS_ALERTS_BUNDLED_WATCHLIST : env[EnvName.watchlist];
  if (source === undefined || source.trim() === '') {
    throw new HandlerConfigError([`${EnvName.watchlist}: no watchlist bundled and none in the environment`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    throw new HandlerConfigError([`${EnvName.watchlist}: not JSON (${(error as Error).message})`]);
  }
  checked(bundledWatchlistSchema(), value, EnvName.watchlist);
  return value as Watchlist;
}
