// The ops email for an alarm state change: what the on-call reader sees in the subject line and the body.
import { assertAlarmStateChange, formatAlarmEmail, NotAnAlarmEventError } from '../../lambda/core/alarm-email';
import { ALARM_NAME, pollErrorsAlarmEvent } from '../support/alarm-event';

test('an alarm reads as ALARM: <name>, then what it means, the state change, why, when, where, the metric and a link', () => {
  const { subject, body } = formatAlarmEmail(pollErrorsAlarmEvent('ALARM'));
  expect(subject).toBe(`ALARM: ${ALARM_NAME}`);
  expect(body.split('\n')).toEqual([
    'The poll function failed',
    '',
    `Alarm: ${ALARM_NAME}`,
    'State: OK -> ALARM',
    'Reason: Threshold Crossed: 1 out of the last 1 datapoints [2.0 (02/03/26 14:00:00)] was greater than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).',
    'Time: 2026-03-02 14:05:12 UTC',
    'Region: us-east-1 (account 123456789012)',
    'Metric: AWS/Lambda Errors (FunctionName=NewsAlerts-PollerPollFunction4F1A2B3C-AbCdEfGhIjKl), Sum per 5 min',
    `Console: https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/${ALARM_NAME}`,
    '',
  ]);
});

test('the return to normal reads as OK: <name>, from ALARM', () => {
  const { subject, body } = formatAlarmEmail(pollErrorsAlarmEvent('OK'));
  expect(subject).toBe(`OK: ${ALARM_NAME}`);
  expect(body).toContain('\nState: ALARM -> OK\n');
  expect(body).toContain('\nReason: Threshold Crossed: no datapoints were received for 1 period');
});

test('the subject is one line of printable ASCII within the SNS limit, whatever the alarm is called', () => {
  const event = pollErrorsAlarmEvent();
  event.alarmData.alarmName = `Pöll errors\r\nBcc: someone@example.com \u202e${'x'.repeat(300)}`;
  const { subject, body } = formatAlarmEmail(event);
  expect(subject).toMatch(/^ALARM: Poll errors Bcc: someone@example\.com x+\.\.\.$/);
  expect(subject.length).toBeLessThan(100);
  expect(subject).toMatch(/^[\x20-\x7e]+$/);
  // In the body too the name stays on its line: nothing in it can forge a line of its own.
  expect(body.split('\n').filter((line) => line.startsWith('Bcc:'))).toEqual([]);
  // The link still finds the alarm: its exact name, percent-encoded, not cut.
  expect(body).toContain('#alarmsV2:alarm/P%C3%B6ll%20errors%0D%0ABcc');
});

test('a metric-math alarm names its expression; a composite alarm its rule', () => {
  const math = pollErrorsAlarmEvent();
  math.alarmData.configuration = {
    description: '304 ratio',
    metrics: [
      { id: 'ratio', expression: '100 * notModified / polled', label: 'ratio', returnData: true },
      {
        id: 'polled',
        metricStat: { metric: { namespace: 'NewsAlerts', name: 'FeedsPolled' }, period: 3600, stat: 'Sum' },
        returnData: false,
      },
    ],
  };
  expect(formatAlarmEmail(math).body).toContain('\nExpression: 100 * notModified / polled\n');
  expect(formatAlarmEmail(math).body).not.toContain('FeedsPolled');

  const composite = pollErrorsAlarmEvent();
  composite.alarmData.configuration = { alarmRule: 'ALARM("a") OR ALARM("b")', description: 'Either' };
  expect(formatAlarmEmail(composite).body).toContain('\nRule: ALARM("a") OR ALARM("b")\n');
});

test('fields CloudWatch left out are left out of the email, not printed as undefined', () => {
  const { body } = formatAlarmEmail({ alarmData: { alarmName: 'bare', state: { value: 'ALARM' } } });
  expect(body).toBe('Alarm: bare\nState: ALARM\n');
});

test('the console link follows the partition of the alarm ARN', () => {
  const event = pollErrorsAlarmEvent();
  event.alarmArn = `arn:aws-cn:cloudwatch:cn-north-1:123456789012:alarm:${ALARM_NAME}`;
  event.region = 'cn-north-1';
  expect(formatAlarmEmail(event).body).toContain(
    `Console: https://cn-north-1.console.amazonaws.cn/cloudwatch/home?region=cn-north-1#alarmsV2:alarm/${ALARM_NAME}`,
  );
});

test('an event that is not an alarm state change is refused with what is missing', () => {
  expect(() => assertAlarmStateChange({ Records: [] })).toThrow(NotAnAlarmEventError);
  expect(() => assertAlarmStateChange({ Records: [] })).toThrow('not a CloudWatch alarm event: no alarmData.alarmName');
  expect(() => assertAlarmStateChange({ alarmData: { alarmName: 'x', state: {} } })).toThrow(
    'no alarmData.state.value',
  );
  expect(() => assertAlarmStateChange(null)).toThrow(NotAnAlarmEventError);
  expect(() => assertAlarmStateChange(pollErrorsAlarmEvent())).not.toThrow();
});
