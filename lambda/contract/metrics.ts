// Names of the metrics the handlers emit and the alarms and dashboard read: one list, so the two cannot drift apart.

/** CloudWatch namespace of every custom metric (Powertools `POWERTOOLS_METRICS_NAMESPACE`). */
export const METRICS_NAMESPACE = 'NewsAlerts';

/** Powertools service name; Powertools Metrics adds it to every metric as the `service` dimension. */
export const SERVICE_NAME = 'news-alerts';

export const MetricName = {
  /** Poll handler, per feed job: one per feed polled. */
  FeedsPolled: 'FeedsPolled',
  /** Poll handler: feeds answered with 304 Not Modified. */
  FeedsNotModified: 'FeedsNotModified',
  /** Poll handler: feeds whose fetch or parse failed (recorded on the feed, retried with backoff). */
  FeedErrors: 'FeedErrors',
  /** Poll handler: items read from the feeds. */
  ItemsSeen: 'ItemsSeen',
  /** Poll handler: items that matched a tracked entity. */
  Matches: 'Matches',
  /** Poll handler: alerts published to the alerts topic. */
  AlertsSent: 'AlertsSent',
  /** Poll handler: alerts that failed to publish (the claim is released; the job is retried). */
  AlertsFailed: 'AlertsFailed',
  /** Poll handler: alerts sent to email only because the hour's SMS budget was spent (SMS storm guard). */
  AlertsHeldFromSms: 'AlertsHeldFromSms',
  /**
   * Poll handler: batches whose items could not be archived in S3 (the alerts were sent). Emitted only on a failure,
   * so it is billed only in a month with one.
   */
  ArchiveWritesFailed: 'ArchiveWritesFailed',
  /**
   * Poll handler: feeds read that held nothing their last read did, so items may have rolled off unread. Emitted only
   * when one did.
   */
  FeedsTurnedOver: 'FeedsTurnedOver',
  /** Digest handler: digests published (one per audience with stories). */
  DigestsSent: 'DigestsSent',
  /** Dispatch handler: feed jobs queued this cycle. */
  FeedsDispatched: 'FeedsDispatched',
  /** Dispatch handler: feeds of the watchlist still failing more than a day after their last success. */
  FeedsFailingOverADay: 'FeedsFailingOverADay',
} as const;

export type MetricName = (typeof MetricName)[keyof typeof MetricName];
