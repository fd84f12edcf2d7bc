// SQS-triggered Lambda: polls the feed of each job in the batch and reports the jobs that must be retried.

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { HttpFeedSource } from '../adapters/http-feed-source';
import { inlineDocumentReader } from '../adapters/inline-document-reader';
import { S3ItemArchive } from '../adapters/s3-item-archive';
import { secretSigningKey } from '../adapters/signing-key';
import { SnsAlertSink } from '../adapters/sns-alert-sink';
import { systemClock } from '../adapters/system-clock';
import { signedVerdictLinker } from '../adapters/verdict-linker';
import { parseFeedJob } from '../contract/feed-job';
import { MetricName } from '../contract/metrics';
import { type CompiledMatcher, compileMatcher } from '../core/match';
import { TermRarity } from '../core/term-rarity';
import { DEFAULT_SMS_PER_HOUR, type FeedOutcome, feedPoller, type PollOptions, type PollPorts } from '../pipeline';
import { startTopicLearning } from '../pipeline/topic-learning';
import { pollConfigFromEnv } from './env';
import { lambdaEntryPoint, type Telemetry } from './runtime';
import { dynamoStateStore } from './state-table';

export interface PollDeps {
  ports: PollPorts;
  /** `matcher` is compiled once per container; each batch matches with the topic profiles as last learned. */
  options: Omit<PollOptions, 'matcher'> & { matcher: CompiledMatcher };
  telemetry: Telemetry;
}

export function createPollHandler(deps: PollDeps): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    try {
      // A batch holds a few feeds (the event source's batch size); polling them together bounds the wait by the slowest.
      // One poller for the batch: its feeds file their items on stories one at a time, so one event alerts once.
      const { state, clock } = deps.ports;
      const topics = await startTopicLearning(state, deps.options.entities, deps.options.matcher, clock.now());
      const poll = feedPoller(deps.ports, { ...deps.options, matcher: topics.matcher });
      const results = await Promise.all(event.Records.map((record) => pollRecord(record, poll, deps.telemetry)));
      await archiveBatch(deps);
      try {
        await poll.saveRarity(false);
      } catch (error) {
        // Best effort: the table only weighs story words, and this container still holds what it read.
        deps.telemetry.logger.warn('term table not saved', { error: (error as Error).message });
      }
      try {
        await topics.save(clock.now());
      } catch (error) {
        // A lesson lost costs nothing but the lesson: the alerts are out and recorded.
        deps.telemetry.logger.warn('topic profiles not saved', { error: (error as Error).message });
      }
      return {
        batchItemFailures: event.Records.filter((_, index) => !results[index]).map((record) => ({
          itemIdentifier: record.messageId,
        })),
      };
    } finally {
      deps.telemetry.metrics.publishStoredMetrics();
    }
  };
}

/** Last, once the batch's alerts are out: a failed write is logged and counted, and costs no alert and no retry. */
async function archiveBatch({ ports, telemetry }: PollDeps): Promise<void> {
  try {
    await ports.archive?.drain?.();
  } catch (error) {
    telemetry.logger.error('items read not archived; the alerts were sent', { error: (error as Error).message });
    telemetry.metrics.addMetric(MetricName.ArchiveWritesFailed, MetricUnit.Count, 1);
  }
}

/**
 * Polls one job's feed; false when SQS should deliver the message again. A feed's own failure (FeedError) is recorded
 * on the feed by pollFeed with its backoff, so the message succeeds; retrying belongs to the state, not to SQS.
 */
async function pollRecord(
  record: SQSRecord,
  poll: ReturnType<typeof feedPoller>,
  telemetry: Telemetry,
): Promise<boolean> {
  const { logger } = telemetry;
  let job: ReturnType<typeof parseFeedJob>;
  try {
    job = parseFeedJob(record.body);
  } catch (error) {
    logger.error('malformed feed job', { messageId: record.messageId, error: (error as Error).message });
    return false;
  }
  // On a redelivery the state dispatch read is stale (an earlier attempt may have written); read it afresh. So too for
  // a feed never polled when it was queued: another job may have run its first poll since, and a second "first poll"
  // would record silently, as backfill, the items that appeared after it.
  const stale = Number(record.attributes.ApproximateReceiveCount) > 1 || job.state?.firstPolledAt === undefined;
  const prior = stale ? undefined : job.state;
  try {
    const outcome = await poll(job.feed, prior);
    recordOutcome(outcome, telemetry);
    return outcome.failedAlerts === 0;
  } catch (error) {
    logger.error('state store or alert sink failed', {
      messageId: record.messageId,
      url: job.feed.url,
      error: (error as Error).message,
    });
    return false;
  }
}

/** One structured log line per feed outcome (what an operator searches the logs by), and the dashboard's metrics. */
function recordOutcome(outcome: FeedOutcome, { logger, metrics }: Telemetry): void {
  const line = {
    url: outcome.url,
    feed: outcome.name,
    status: outcome.status,
    items: outcome.items,
    matches: outcome.matches,
    alerts: outcome.alerts.length,
    backfilled: outcome.backfilled,
    joinedStories: outcome.joined.length,
    failedAlerts: outcome.failedAlerts,
    error: outcome.error,
    archiveError: outcome.archiveError,
  };
  if (outcome.status === 'skipped') {
    // A redelivered job whose feed an earlier attempt already polled: nothing was fetched, so nothing is counted.
    logger.info('feed not due, skipped', line);
    return;
  }
  metrics.addMetric(MetricName.FeedsPolled, MetricUnit.Count, 1);
  metrics.addMetric(MetricName.FeedsNotModified, MetricUnit.Count, outcome.status === 'not-modified' ? 1 : 0);
  metrics.addMetric(MetricName.FeedErrors, MetricUnit.Count, outcome.status === 'error' ? 1 : 0);
  metrics.addMetric(MetricName.ItemsSeen, MetricUnit.Count, outcome.items);
  metrics.addMetric(MetricName.Matches, MetricUnit.Count, outcome.matches);
  metrics.addMetric(MetricName.AlertsSent, MetricUnit.Count, outcome.alerts.length);
  metrics.addMetric(MetricName.AlertsFailed, MetricUnit.Count, outcome.failedAlerts);
  metrics.addMetric(
    MetricName.AlertsHeldFromSms,
    MetricUnit.Count,
    outcome.alerts.filter((alert) => alert.smsHeld).length,
  );
  if (outcome.turnedOver) {
    metrics.addMetric(MetricName.FeedsTurnedOver, MetricUnit.Count, 1);
    logger.warn('feed turned over since its last read: items may have rolled off unread', line);
  }
  // Every join silenced an item: say which story took it and the event terms that carried it.
  for (const join of outcome.joined) logger.info('item joined a story, not alerted', { url: outcome.url, ...join });
  if (outcome.status === 'error' || outcome.failedAlerts > 0) logger.warn('feed polled with problems', line);
  else logger.info('feed polled', line);
}

export const handler = lambdaEntryPoint((telemetry) => {
  const config = pollConfigFromEnv(process.env);
  const { entities, settings } = config.watchlist;
  return createPollHandler({
    ports: {
      // In AWS a feed URL or redirect to a private, loopback or link-local address is refused (SSRF).
      source: new HttpFeedSource({ addressPolicy: 'public-only', userAgent: settings.userAgent }),
      // On this thread: a batch of a few feeds on less than one vCPU gains nothing from worker threads but their start.
      reader: inlineDocumentReader,
      state: dynamoStateStore(config.stateTableName),
      sink: new SnsAlertSink({
        client: new SNSClient({}),
        topicArn: config.alertsTopicArn,
        // The key is read on the first alert and kept by the container (secretSigningKey).
        verdictLinks:
          config.verdicts &&
          signedVerdictLinker({
            baseUrl: config.verdicts.endpointUrl,
            key: secretSigningKey(config.verdicts.keySecretArn),
            clock: systemClock,
          }),
      }),
      clock: systemClock,
      archive:
        config.archive &&
        new S3ItemArchive(
          // Short timeouts and one retry: the archive is written after the alerts, and must not hold the batch long.
          () => new S3Client({ maxAttempts: 2, requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 } }),
          config.archive,
          systemClock,
        ),
    },
    options: {
      matcher: compileMatcher(entities),
      entities,
      backfillHours: settings.backfillHours,
      smsPerHour: settings.smsPerHour ?? DEFAULT_SMS_PER_HOUR,
      // Kept by the warm container across batches: the news it has read weighs story words.
      rarity: new TermRarity(),
    },
    telemetry,
  });
});
