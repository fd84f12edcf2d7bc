// A CloudWatch alarm-action event as Lambda receives it (the poll function's errors alarm going OK -> ALARM).
import type { CloudWatchAlarmEvent } from 'aws-lambda';

export const ALARM_NAME = 'NewsAlerts-MonitoringPollErrors060DF97A-1Q2W3E4R5T6Y';

/** Shaped like AWS's documented metric-alarm example, with the names and reason text the stack's alarms produce. */
export function pollErrorsAlarmEvent(state: 'ALARM' | 'OK' = 'ALARM'): CloudWatchAlarmEvent {
  const previous = state === 'ALARM' ? 'OK' : 'ALARM';
  return {
    source: 'aws.cloudwatch',
    alarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${ALARM_NAME}`,
    accountId: '123456789012',
    time: '2026-03-02T14:05:12.345+0000',
    region: 'us-east-1',
    alarmData: {
      alarmName: ALARM_NAME,
      state: {
        value: state,
        reason:
          state === 'ALARM'
            ? 'Threshold Crossed: 1 out of the last 1 datapoints [2.0 (02/03/26 14:00:00)] was greater than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).'
            : 'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].',
        reasonData:
          '{"version":"1.0","queryDate":"2026-03-02T14:05:12.340+0000","startDate":"2026-03-02T14:00:00.000+0000","statistic":"Sum","period":300,"recentDatapoints":[2.0],"threshold":0.0,"evaluatedDatapoints":[{"timestamp":"2026-03-02T14:00:00.000+0000","sampleCount":5.0,"value":2.0}]}',
        timestamp: '2026-03-02T14:05:12.345+0000',
      },
      previousState: {
        value: previous,
        reason: 'Threshold Crossed: 1 out of the last 1 datapoints was not greater than the threshold (0.0).',
        timestamp: '2026-02-27T09:15:40.118+0000',
      },
      configuration: {
        description: 'The poll function failed',
        metrics: [
          {
            id: 'c1b0a2e4-5f6d-4c3b-9a8e-7d6c5b4a3f2e',
            metricStat: {
              metric: {
                namespace: 'AWS/Lambda',
                name: 'Errors',
                dimensions: { FunctionName: 'NewsAlerts-PollerPollFunction4F1A2B3C-AbCdEfGhIjKl' },
              },
              period: 300,
              stat: 'Sum',
            },
            returnData: true,
          },
        ],
      },
    },
  };
}
