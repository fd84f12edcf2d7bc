// Operations: alarms (dead letters, function errors and throttles, feeds failing a day, archive writes failing)
// emailed to an ops topic by a notifier function, and a dashboard.
import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { LambdaAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, MetricName, SERVICE_NAME } from '../../lambda/contract/metrics';
import { newTopic } from './alert-topics';
import type { ItemArchive } from './item-archive';
import { NewsAlertsFunction } from './news-alerts-function';
import type { Poller } from './poller';

export interface MonitoringProps {
  poller: Poller;
  /** The daily digest function. */
  digest: NewsAlertsFunction;
  /** Subscribed to the ops topic (`-c opsEmail=`). */
  opsEmails: string[];
  /** The archive of items read; absent with `-c archive=false`, and then nothing alarms on its writes. */
  archive?: ItemArchive;
  tracing: boolean;
}

const PERIOD = Duration.minutes(5);
const HANDLERS_DIR = join(__dirname, '..', '..', 'lambda', 'handlers');

export class Monitoring extends Construct {
  readonly opsTopic: Topic;
  /**
   * Every alarm's action: emails the state change to the ops topic. Alarms cannot publish to a topic encrypted with
   * the AWS-managed SNS key themselves, and a customer-managed key they could use costs $1 a month.
   */
  readonly notifier: NewsAlertsFunction;
  /** Alarm events the notifier failed to publish, after Lambda's two retries. */
  readonly notifierDeadLetterQueue: Queue;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { poller } = props;
    this.opsTopic = newTopic(this, 'Ops', 'news-alerts ops');
    for (const email of props.opsEmails) this.opsTopic.addSubscription(new EmailSubscription(email));

    this.notifierDeadLetterQueue = new Queue(this, 'OpsNotifierDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.notifier = new NewsAlertsFunction(this, 'OpsNotifier', {
      entry: join(HANDLERS_DIR, 'ops-notify.ts'),
      description: 'Emails CloudWatch alarm state changes to the ops topic',
      // One Publish; the rest is the SDK's own retries on a throttled or failing call.
      timeout: Duration.seconds(30),
      memorySize: 128,
      // Lambda's default two retries of an asynchronous invocation, then the dead-letter queue.
      deadLetterQueue: this.notifierDeadLetterQueue,
      tracing: props.tracing,
    });
    this.notifier.bindOpsTopic(this.opsTopic);
    // Adds one invoke permission per alarm, for lambda.alarms.cloudwatch.amazonaws.com, this account and that alarm;
    // ids unique per alarm whatever the app's feature flags (without the LambdaAction flag they would all collide).
    const notifyOps = new LambdaAction(this.notifier.fn, { useUniquePermissionId: true });
    const alarmOnAnyOf = (alarmId: string, metric: IMetric, description: string) => {
      const alarm = new Alarm(this, alarmId, {
        // The name is the subject of the ops email ("ALARM: NewsAlerts-PollErrors"), not a generated id.
        alarmName: `${Stack.of(this).stackName}-${alarmId}`,
        metric,
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        // No data means nothing went wrong (no errors are reported as no datapoints).
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      alarm.addAlarmAction(notifyOps);
      alarm.addOkAction(notifyOps);
    };

    alarmOnAnyOf(
      'DeadLetters',
      poller.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: Stats.MAXIMUM }),
      'Feed jobs failed three times and wait in the dead-letter queue (malformed job, or the table or SNS failing)',
    );
    const functions: [string, NewsAlertsFunction][] = [
      ['Dispatch', poller.dispatch],
      ['Poll', poller.poll],
      ['Digest', props.digest],
    ];
    for (const [name, { fn }] of functions) {
      alarmOnAnyOf(`${name}Errors`, fn.metricErrors({ period: PERIOD }), `The ${name.toLowerCase()} function failed`);
      alarmOnAnyOf(
        `${name}Throttles`,
        fn.metricThrottles({ period: PERIOD }),
        `The ${name.toLowerCase()} function was throttled`,
      );
    }
    alarmOnAnyOf(
      'FeedsFailingOverADay',
      customMetric(MetricName.FeedsFailingOverADay, undefined, Stats.MAXIMUM, Duration.hours(1)),
      'A watchlist feed has failed for more than a day: see the dispatch log for its URL and last error',
    );
    // A refused alert is retried by its feed's next poll, and its job seldom fails often enough to reach the dead-letter
    // queue, so only this alarm tells that SNS keeps refusing.
    alarmOnAnyOf(
      'AlertsFailed',
      customMetric(MetricName.AlertsFailed),
      'SNS refused alerts (each is retried by the next poll of its feed); one that stays in alarm means SNS keeps ' +
        'refusing them (topic policy, KMS key, throttling): see the poll log',
    );
    if (props.archive) {
      // A failed write costs no alert and no retry (the handler logs and counts it), so only this alarm tells anyone.
      alarmOnAnyOf(
        'ArchiveWritesFailed',
        customMetric(MetricName.ArchiveWritesFailed),
        'Items read could not be written to the S3 item archive (the alerts were sent): see the poll log for why; ' +
          'backtest --archive will miss those items',
      );
    }
    // The notifier's own failures alarm on its dead-letter queue, not on its errors: an errors alarm notified through
    // a broken notifier would fail again and flip between ALARM and OK for as long as it stays broken. Dead letters
    // stay (14 days), so this alarm changes state once: the notifier sends it if it works again, and otherwise the
    // alarm stands in the console and the dashboard plots the notifier's errors.
    const notifierDeadLetters = this.notifierDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: PERIOD,
      statistic: Stats.MAXIMUM,
    });
    alarmOnAnyOf(
      'OpsNotifierDeadLetters',
      notifierDeadLetters,
      'Alarm notifications failed three times and wait in the notifier dead-letter queue: see the other alarms in ' +
        'the CloudWatch console, and the notifier log for why the ops topic refused them',
    );

    const polled = customMetric(MetricName.FeedsPolled, 'Feeds polled');
    const notModified = customMetric(MetricName.FeedsNotModified, '304 Not Modified');
    this.dashboard = new Dashboard(this, 'Dashboard', {
      widgets: [
        [
          graph('Feeds', [
            polled,
            customMetric(MetricName.FeedErrors, 'Feed errors'),
            customMetric(MetricName.FeedsTurnedOver, 'Turned over (items may be missed)'),
          ]),
          graph('Items', [
            customMetric(MetricName.ItemsSeen, 'Items seen'),
            customMetric(MetricName.Matches, 'Matches'),
            ...(props.archive ? [customMetric(MetricName.ArchiveWritesFailed, 'Archive writes failed')] : []),
          ]),
          graph('Alerts', [
            customMetric(MetricName.AlertsSent, 'Alerts sent'),
            customMetric(MetricName.AlertsFailed, 'Alerts failed'),
            customMetric(MetricName.AlertsHeldFromSms, 'Held from SMS (storm guard)'),
            customMetric(MetricName.DigestsSent, 'Digests sent'),
          ]),
        ],
        [
          graph('304 ratio (%)', [
            new MathExpression({
              expression: '100 * notModified / polled',
              usingMetrics: { notModified, polled },
              label: '304 responses / feeds polled (%)',
              period: PERIOD,
            }),
          ]),
          graph('Failing feeds', [
            customMetric(MetricName.FeedsFailingOverADay, 'Feeds failing > 1 day', Stats.MAXIMUM),
            customMetric(MetricName.FeedsDispatched, 'Feed jobs queued'),
          ]),
          graph('Dead letters and function errors', [
            poller.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
              period: PERIOD,
              statistic: Stats.MAXIMUM,
            }),
            ...functions.map(([name, { fn }]) => fn.metricErrors({ period: PERIOD, label: `${name} errors` })),
            this.notifier.fn.metricErrors({ period: PERIOD, label: 'Ops notifier errors' }),
            notifierDeadLetters.with({ label: 'Ops notifier dead letters' }),
          ]),
        ],
      ],
    });
  }
}

/** A metric the handlers emit with Powertools Metrics (which adds the `service` dimension); alarms take no label. */
function customMetric(metricName: MetricName, label?: string, statistic: string = Stats.SUM, period = PERIOD): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME },
    statistic,
    period,
    label,
  });
}

function graph(title: string, left: IMetric[]): GraphWidget {
  return new GraphWidget({ title, left, width: 8 });
}
