// Scheduled Lambda: reads every feed's state in one query and queues one poll job per feed that is due.

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsFeedJobQueue } from '../adapters/sqs-feed-job-queue';
import { systemClock } from '../adapters/system-clock';
import type { FeedJob } from '../contract/feed-job';
import { MetricName } from '../contract/metrics';
import { isDue } from '../core/feed-schedule';
import type { FeedConfig } from '../core/types';
import type { Clock, FeedJobQueue, FeedState, StateStore } from '../ports';
import { dispatchConfigFromEnv } from './env';
import { lambdaEntryPoint, type Telemetry } from './runtime';
import { dynamoStateStore } from './state-table';

export interface DispatchDeps {
  feeds: FeedConfig[];
  state: StateStore;
  queue: FeedJobQueue;
  clock: Clock;
  telemetry: Telemetry;
}

export interface DispatchSummary {
  feeds: number;
  queued: number;
  failingOverADay: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function createDispatchHandler(deps: DispatchDeps): () => Promise<DispatchSummary> {
  const { logger, metrics } = deps.telemetry;
  return async () => {
    const now = deps.clock.now();
    const states = new Map((await deps.state.listFeeds()).map((state) => [state.url, state]));
    const jobs: FeedJob[] = deps.feeds
      .filter((feed) => isDue(feed, states.get(feed.url), now))
      .map((feed) => ({ feed, state: states.get(feed.url) }));
    // Counted here rather than in poll: dispatch sees every feed each cycle, including those waiting out a backoff.
    const failing = deps.feeds.filter((feed) => failingOverADay(states.get(feed.url), now));
    metrics.addMetric(MetricName.FeedsFailingOverADay, MetricUnit.Count, failing.length);
    try {
      await deps.queue.send(jobs);
      metrics.addMetric(MetricName.FeedsDispatched, MetricUnit.Count, jobs.length);
    } finally {
      metrics.publishStoredMetrics();
    }
    if (failing.length > 0) {
      logger.warn('feeds failing for more than a day', {
        feeds: failing.map((feed) => ({ url: feed.url, lastError: states.get(feed.url)?.lastError })),
      });
    }
    const summary = { feeds: deps.feeds.length, queued: jobs.length, failingOverADay: failing.length };
    logger.info('feed jobs queued', { ...summary });
    return summary;
  };
}

/** A feed whose current run of failures started over a day ago (a 304 keeps lastSuccessAt still, so that won't do). */
function failingOverADay(state: FeedState | undefined, now: number): boolean {
  if (state === undefined || state.consecutiveFailures === 0) return false;
  return now - (state.failingSince ?? state.lastAttemptAt ?? now) > DAY_MS;
}

export const handler = lambdaEntryPoint((telemetry) => {
  const config = dispatchConfigFromEnv(process.env);
  return createDispatchHandler({
    feeds: config.watchlist.feeds,
    state: dynamoStateStore(config.stateTableName),
    queue: new SqsFeedJobQueue({ client: new SQSClient({}), queueUrl: config.feedJobsQueueUrl }),
    clock: systemClock,
    telemetry,
  });
});
