// Environment variable names the CDK constructs set and the handlers read: one list, so the two cannot drift apart.

/** Environment variable names, shared with the CDK construct that sets them. */
export const EnvName = {
  stateTableName: 'STATE_TABLE_NAME',
  alertsTopicArn: 'ALERTS_TOPIC_ARN',
  feedJobsQueueUrl: 'FEED_JOBS_QUEUE_URL',
  digestTopicArn: 'DIGEST_TOPIC_ARN',
  /** JSON list of the digest audiences ({key, entities?}) the digest topic's subscriptions filter on. */
  digestAudiences: 'DIGEST_AUDIENCES',
  /** The ops topic the alarm notifier publishes to. */
  opsTopicArn: 'OPS_TOPIC_ARN',
  /** The verdict endpoint's base URL (a Lambda function URL); absent when the stack has none: emails carry no links. */
  verdictEndpointUrl: 'VERDICT_ENDPOINT_URL',
  /** The Secrets Manager secret holding the key that signs verdict links (its ARN, never its value). */
  verdictKeySecretArn: 'VERDICT_KEY_SECRET_ARN',
  /** The bucket the poll function archives the items it reads in (gzipped JSON Lines); absent: no archive. */
  archiveBucketName: 'ARCHIVE_BUCKET_NAME',
  /** The key prefix under which it may write them (its role may put objects there alone). */
  archivePrefix: 'ARCHIVE_PREFIX',
  /** Watchlist as JSON, read only when the bundle carries none (tests, local runs of a handler). */
  watchlist: 'NEWS_ALERTS_WATCHLIST',
} as const;

/**
 * Name of the constant esbuild `define`s in each Lambda bundle: the validated watchlist as JSON text, compiled in at
 * synth time so a function reads no file at run time and the watchlist is not limited by Lambda's 4 KB of environment.
 */
export const BUNDLED_WATCHLIST_CONSTANT = 'NEWS_ALERTS_BUNDLED_WATCHLIST';
