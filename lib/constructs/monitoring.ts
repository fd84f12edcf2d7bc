// Operations: alarms to an ops topic (dead letters, function errors and throttles, feeds failing a day) and a dashboard.
import { Duration } from 'aws-cdk-lib';
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
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, MetricName, SERVICE_NAME } from '../../lambda/handlers/metrics';
import { newTopic } from './alert-topics';
import type { NewsAlertsFunction } from './news-alerts-function';
import type { Poller } from './poller';

export interface MonitoringProps {
  key: IKey;
  poller: Poller;
  /** The daily digest function. */
  digest: NewsAlertsFunction;
  /** Subscribed to the ops topic (`-c opsEmail=`). */
  opsEmails: string[];
}

const PERIOD = Duration.minutes(5);

export class Monitoring extends Construct {
  readonly opsTopic: Topic;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { poller } = props;
    this.opsTopic = newTopic(this, 'Ops', props.key, 'news-alerts ops');
    for (const email of props.opsEmails) this.opsTopic.addSubscription(new EmailSubscription(email));
    const notifyOps = new SnsAction(this.opsTopic);
    const alarmOnAnyOf = (alarmId: string, metric: IMetric, description: string) => {
      const alarm = new Alarm(this, alarmId, {
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

    const polled = customMetric(MetricName.FeedsPolled, 'Feeds polled');
    const notModified = customMetric(MetricName.FeedsNotModified, '304 Not Modified');
    this.dashboard = new Dashboard(this, 'Dashboard', {
      widgets: [
        [
          graph('Feeds', [polled, customMetric(MetricName.FeedErrors, 'Feed errors')]),
          graph('Items', [
            customMetric(MetricName.ItemsSeen, 'Items seen'),
            customMetric(MetricName.Matches, 'Matches'),
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
