// Scheduled Lambda: builds the digest of the 24 hours before its scheduled time for each audience and publishes it.

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SNSClient } from '@aws-sdk/client-sns';
import { SnsDigestPublisher } from '../adapters/sns-digest-publisher';
import { systemClock } from '../adapters/system-clock';
import { MetricName } from '../contract/metrics';
import { buildDigest, type DigestAudience } from '../core/digest';
import type { Entity } from '../core/types';
import type { Clock, StoryStore } from '../ports';
import { digestConfigFromEnv } from './env';
import { lambdaEntryPoint, type Telemetry } from './runtime';
import { dynamoStateStore } from './state-table';

/** What the schedule sends: its scheduled time (EventBridge Scheduler's <aws.scheduler.scheduled-time>). */
export interface DigestEvent {
  scheduledTime?: string;
}

export interface DigestDeps {
  stories: Pick<StoryStore, 'storiesBetween'>;
  publisher: Pick<SnsDigestPublisher, 'publish'>;
  entities: Entity[];
  audiences: DigestAudience[];
  clock: Clock;
  telemetry: Telemetry;
}

export interface DigestSummary {
  from: string;
  to: string;
  /** Audiences sent a digest, and those left without one (no story of their entities in the period). */
  sent: string[];
  quiet: string[];
  /** Audiences whose digest could not be sent (the run then fails, after trying every audience). */
  failed: string[];
}

const DAY_MS = 86_400_000;

/**
 * The digest covers the 24 hours before the scheduled time (not the invocation time, which a retry delays), so daily
 * runs cover every story exactly once whatever hour the schedule picks. An audience with no story gets nothing.
 */
export function createDigestHandler(deps: DigestDeps): (event: DigestEvent) => Promise<DigestSummary> {
  const { logger, metrics } = deps.telemetry;
  return async (event) => {
    const scheduled = event.scheduledTime === undefined ? Number.NaN : Date.parse(event.scheduledTime);
    const to = Number.isNaN(scheduled) ? deps.clock.now() : scheduled;
    const period = { from: to - DAY_MS, to };
    const summary: DigestSummary = { from: iso(period.from), to: iso(period.to), sent: [], quiet: [], failed: [] };
    const errors: string[] = [];
    try {
      for (const audience of deps.audiences) {
        const chosen = audience.entities;
        const entities = chosen ? deps.entities.filter((entity) => chosen.includes(entity.id)) : deps.entities;
        const ids = entities.map((entity) => entity.id);
        const digest = buildDigest(await deps.stories.storiesBetween(ids, period.from, period.to), entities, period);
        if (digest === undefined) {
          summary.quiet.push(audience.key);
          continue;
        }
        // One audience's failed publish must not cost the others their digest.
        try {
          const messageId = await deps.publisher.publish(digest, audience.key);
          metrics.addMetric(MetricName.DigestsSent, MetricUnit.Count, 1);
          logger.info('digest sent', { audience: audience.key, stories: digest.storyCount, messageId });
          summary.sent.push(audience.key);
        } catch (error) {
          logger.error('digest not sent', { audience: audience.key, error: (error as Error).message });
          summary.failed.push(audience.key);
          errors.push(`${audience.key}: ${(error as Error).message}`);
        }
      }
    } finally {
      metrics.publishStoredMetrics();
    }
    logger.info('digest run', { ...summary });
    // Failing the run raises the function's error alarm, and the scheduler's retry tries again.
    if (errors.length > 0) throw new Error(`digest not sent to ${errors.join('; ')}`);
    return summary;
  };
}

function iso(time: number): string {
  return new Date(time).toISOString();
}

export const handler = lambdaEntryPoint((telemetry) => {
  const config = digestConfigFromEnv(process.env);
  return createDigestHandler({
    stories: dynamoStateStore(config.stateTableName),
    publisher: new SnsDigestPublisher({ client: new SNSClient({}), topicArn: config.digestTopicArn }),
    entities: config.watchlist.entities,
    audiences: config.audiences,
    clock: systemClock,
    telemetry,
  });
});
