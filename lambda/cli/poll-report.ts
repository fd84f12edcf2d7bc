// `poll --json`: the one JSON document a poll prints instead of the alerts and the table.
import type { Alert } from '../core/types';
import type { FeedOutcome, FeedSkip } from '../pipeline';

/** The `poll --json` document: the fields DESIGN.md promises, and a few more. */
export function pollReport(outcomes: FeedOutcome[], dryRun: boolean) {
  return {
    dryRun,
    feeds: outcomes.map((outcome) => ({
      url: outcome.url,
      name: outcome.name,
      status: outcome.status,
      items: outcome.items,
      matches: outcome.matches,
      alerts: outcome.alerts.length,
      failedAlerts: outcome.failedAlerts,
      backfilled: outcome.backfilled,
      joined: outcome.joined.length,
      ...(outcome.turnedOver && { turnedOver: true }),
      ...(outcome.error === undefined ? {} : { error: outcome.error, errorCode: outcome.errorCode ?? 'internal' }),
      ...(outcome.skip && skipJson(outcome.skip)),
    })),
    alerts: outcomes.flatMap((outcome) => outcome.alerts.map(alertJson)),
    /** Matching items recorded on a story already alerted instead of alerting, with why. */
    joined: outcomes.flatMap((outcome) => outcome.joined),
  };
}

/** Why a feed was skipped: `skipReason`, and when it will be polled again (ISO) or the failures that led here. */
function skipJson(skip: FeedSkip) {
  switch (skip.reason) {
    case 'gone':
      return {
        skipReason: skip.reason,
        nextAttemptAt: new Date(skip.until).toISOString(),
        lastError: skip.lastError ?? null,
      };
    case 'backing-off':
      return {
        skipReason: skip.reason,
        nextAttemptAt: new Date(skip.until).toISOString(),
        consecutiveFailures: skip.failures,
        lastError: skip.lastError ?? null,
      };
    case 'not-due':
      return { skipReason: skip.reason, nextAttemptAt: new Date(skip.until).toISOString() };
  }
}

function alertJson(alert: Alert) {
  return {
    id: alert.id,
    entities: alert.entities,
    entityNames: alert.entityNames,
    title: alert.title,
    link: alert.link ?? null,
    feed: alert.feed,
    feedUrl: alert.feedUrl,
    publisher: alert.publisher ?? null,
    publishedAt: alert.publishedAt === undefined ? null : new Date(alert.publishedAt).toISOString(),
    summary: alert.summary,
    evidence: alert.evidence,
    storyId: alert.storyId ?? null,
    followUp: alert.followUp
      ? { title: alert.followUp.title, firstSeenAt: new Date(alert.followUp.firstSeenAt).toISOString() }
      : null,
    partOf: alert.partOf
      ? { title: alert.partOf.title, firstSeenAt: new Date(alert.partOf.firstSeenAt).toISOString() }
      : null,
    alsoIn: alert.alsoIn ?? [],
  };
}
