// Handler configuration from the environment: every problem named at once, the watchlist taken as synth left it.
import { readFileSync } from 'node:fs';
import { DEFAULT_WATCHLIST_PATH } from '../../lambda/adapters/watchlist-file';
import { parseWatchlist } from '../../lambda/core/watchlist';
import {
  dispatchConfigFromEnv,
  HandlerConfigError,
  pollConfigFromEnv,
  verdictConfigFromEnv,
} from '../../lambda/handlers/env';

const watchlist = parseWatchlist(readFileSync(DEFAULT_WATCHLIST_PATH, 'utf8'), DEFAULT_WATCHLIST_PATH);
const WATCHLIST_JSON = JSON.stringify(watchlist);

function problemsOf(read: () => unknown): string[] {
  try {
    read();
  } catch (error) {
    if (error instanceof HandlerConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a HandlerConfigError');
}

test('poll config: table, topic and the watchlist', () => {
  const config = pollConfigFromEnv({
    STATE_TABLE_NAME: 'NewsAlerts-StateTable-1ABC',
    ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:NewsAlerts-Alerts',
    NEWS_ALERTS_WATCHLIST: WATCHLIST_JSON,
  });
  expect(config).toEqual({
    stateTableName: 'NewsAlerts-StateTable-1ABC',
    alertsTopicArn: 'arn:aws:sns:us-east-1:123456789012:NewsAlerts-Alerts',
    watchlist,
  });
});

test('dispatch config: table, queue URL and the watchlist', () => {
  const config = dispatchConfigFromEnv({
    STATE_TABLE_NAME: 'table',
    FEED_JOBS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/NewsAlerts-FeedJobs',
    NEWS_ALERTS_WATCHLIST: WATCHLIST_JSON,
  });
  expect(config.feedJobsQueueUrl).toBe('https://sqs.us-east-1.amazonaws.com/123456789012/NewsAlerts-FeedJobs');
  expect(config.watchlist.feeds).toEqual(watchlist.feeds);
});

test('every missing or malformed variable is named in one error', () => {
  expect(problemsOf(() => pollConfigFromEnv({ STATE_TABLE_NAME: '  ', ALERTS_TOPIC_ARN: 'my-topic' }))).toEqual([
    'env.STATE_TABLE_NAME: must be set',
    'env.ALERTS_TOPIC_ARN: must be an SNS topic ARN',
  ]);
  expect(problemsOf(() => dispatchConfigFromEnv({ NEWS_ALERTS_WATCHLIST: WATCHLIST_JSON }))).toEqual([
    'env.STATE_TABLE_NAME: must be set',
    'env.FEED_JOBS_QUEUE_URL: must be an SQS queue URL',
  ]);
});

test('a missing, non-JSON or misshapen watchlist is a configuration error, not a crash later', () => {
  const env = { STATE_TABLE_NAME: 't', ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:1:t' };
  expect(problemsOf(() => pollConfigFromEnv(env))).toEqual([
    'NEWS_ALERTS_WATCHLIST: no watchlist bundled and none in the environment',
  ]);
  expect(problemsOf(() => pollConfigFromEnv({ ...env, NEWS_ALERTS_WATCHLIST: 'entities: []' }))[0]).toMatch(
    /^NEWS_ALERTS_WATCHLIST: not JSON/,
  );
  expect(
    problemsOf(() =>
      pollConfigFromEnv({ ...env, NEWS_ALERTS_WATCHLIST: JSON.stringify({ entities: [], feeds: [], settings: {} }) }),
    ),
  ).toEqual([
    'NEWS_ALERTS_WATCHLIST.entities: must not be empty',
    'NEWS_ALERTS_WATCHLIST.settings.backfillHours: must be a number',
  ]);
});

/** The poll function's required variables. */
const POLL_ENV = {
  STATE_TABLE_NAME: 'table',
  ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:NewsAlerts-Alerts',
  NEWS_ALERTS_WATCHLIST: WATCHLIST_JSON,
};

describe('archive configuration', () => {
  test('the poll function archives where both variables say, or nowhere; one alone is refused', () => {
    const config = pollConfigFromEnv({ ...POLL_ENV, ARCHIVE_BUCKET_NAME: 'archive-bucket', ARCHIVE_PREFIX: 'items' });
    expect(config.archive).toEqual({ bucket: 'archive-bucket', prefix: 'items' });
    expect(pollConfigFromEnv(POLL_ENV).archive).toBeUndefined();
    expect(problemsOf(() => pollConfigFromEnv({ ...POLL_ENV, ARCHIVE_PREFIX: 'items' }))).toEqual([
      'env: ARCHIVE_BUCKET_NAME and ARCHIVE_PREFIX must be set together, or neither',
    ]);
  });
});

describe('verdict links configuration', () => {
  const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:VerdictsSigningKey-AbCdEf';
  const URL = 'https://abc123.lambda-url.us-east-1.on.aws/';

  test('the poll function signs links when it has the endpoint URL and the key secret', () => {
    const config = pollConfigFromEnv({ ...POLL_ENV, VERDICT_ENDPOINT_URL: URL, VERDICT_KEY_SECRET_ARN: SECRET });
    expect(config.verdicts).toEqual({ endpointUrl: URL, keySecretArn: SECRET });
    expect(pollConfigFromEnv(POLL_ENV).verdicts).toBeUndefined();
  });

  test('one without the other, a plain-HTTP URL or a secret that is not an ARN is named', () => {
    expect(problemsOf(() => pollConfigFromEnv({ ...POLL_ENV, VERDICT_ENDPOINT_URL: URL }))).toEqual([
      'env: VERDICT_ENDPOINT_URL and VERDICT_KEY_SECRET_ARN must be set together, or neither',
    ]);
    expect(
      problemsOf(() =>
        pollConfigFromEnv({ ...POLL_ENV, VERDICT_ENDPOINT_URL: 'http://x.test/', VERDICT_KEY_SECRET_ARN: 'key' }),
      ),
    ).toEqual([
      'env.VERDICT_ENDPOINT_URL: must be an https URL',
      'env.VERDICT_KEY_SECRET_ARN: must be a Secrets Manager ARN',
    ]);
  });

  test('the verdict function needs its table and the key secret', () => {
    expect(problemsOf(() => verdictConfigFromEnv({ NEWS_ALERTS_WATCHLIST: WATCHLIST_JSON }))).toEqual([
      'env.STATE_TABLE_NAME: must be set',
      'env.VERDICT_KEY_SECRET_ARN: must be set',
    ]);
    const config = verdictConfigFromEnv({
      STATE_TABLE_NAME: 'table',
      VERDICT_KEY_SECRET_ARN: SECRET,
      NEWS_ALERTS_WATCHLIST: WATCHLIST_JSON,
    });
    expect(config).toEqual({ stateTableName: 'table', keySecretArn: SECRET, watchlist });
  });
});
