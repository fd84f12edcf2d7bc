// The alarm notifier on a local SNS (fauxqs): what an ops subscriber receives for an alarm and its return to normal,
// and a refused publish failing the invocation so Lambda retries it and then keeps it in the dead-letter queue.
import { SNSClient } from '@aws-sdk/client-sns';
import { HandlerConfigError, opsNotifyConfigFromEnv } from '../../lambda/handlers/env';
import { createOpsNotifyHandler } from '../../lambda/handlers/ops-notify';
import { ALARM_NAME, pollErrorsAlarmEvent } from '../support/alarm-event';
import { FAKE_AWS } from '../support/fake-aws';
import { type LocalSns, startFauxqs } from '../support/fauxqs';
import { recordedTelemetry } from './fixtures';

let sns: LocalSns;
let client: SNSClient;

beforeAll(async () => {
  sns = await startFauxqs();
  client = new SNSClient({ ...FAKE_AWS, endpoint: sns.endpoint });
}, 60_000);
afterAll(async () => {
  client?.destroy();
  await sns?.stop();
});

test('an alarm and its return to normal reach the ops subscriber as two short, readable emails', async () => {
  const opsTopicArn = await sns.createTopic('ops');
  const subscriber = await sns.subscribeQueue(opsTopicArn);
  const telemetry = recordedTelemetry();
  const notify = createOpsNotifyHandler({ client, opsTopicArn, telemetry });

  const fired = await notify(pollErrorsAlarmEvent('ALARM'));
  const cleared = await notify(pollErrorsAlarmEvent('OK'));
  const [alarm, ok, ...extra] = await sns.receive(subscriber.queueUrl, 2);

  expect(extra).toEqual([]);
  expect(alarm?.Subject).toBe(`ALARM: ${ALARM_NAME}`);
  // A plain message (not a MessageStructure document): the email body is exactly this text.
  const lines = alarm?.Message.split('\n') ?? [];
  expect(lines[0]).toBe('The poll function failed');
  expect(lines).toEqual(
    expect.arrayContaining([
      `Alarm: ${ALARM_NAME}`,
      'State: OK -> ALARM',
      expect.stringMatching(/^Reason: Threshold Crossed: 1 out of the last 1 datapoints \[2\.0 /),
      'Time: 2026-03-02 14:05:12 UTC',
      'Region: us-east-1 (account 123456789012)',
      expect.stringMatching(/^Metric: AWS\/Lambda Errors \(FunctionName=NewsAlerts-PollerPollFunction/),
      `Console: https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/${ALARM_NAME}`,
    ]),
  );
  expect(ok?.Subject).toBe(`OK: ${ALARM_NAME}`);
  expect(ok?.Message).toContain('\nState: ALARM -> OK\n');

  expect(fired).toEqual({ alarm: ALARM_NAME, state: 'ALARM', messageId: alarm?.MessageId });
  expect(cleared.messageId).toBe(ok?.MessageId);
  expect(telemetry.logs.map((line) => [line.level, line.message, line.fields.state])).toEqual([
    ['info', 'ops notified', 'ALARM'],
    ['info', 'ops notified', 'OK'],
  ]);
});

test('a publish SNS refuses (the topic is gone) rejects the invocation and logs which alarm it was', async () => {
  const telemetry = recordedTelemetry();
  const notify = createOpsNotifyHandler({
    client,
    opsTopicArn: 'arn:aws:sns:us-east-1:000000000000:no-such-topic',
    telemetry,
  });
  // SNS's own error, unchanged: Lambda sees the invocation fail and retries it.
  await expect(notify(pollErrorsAlarmEvent())).rejects.toMatchObject({
    name: 'NotFoundException',
    message: 'Topic does not exist',
  });
  expect(telemetry.logs).toEqual([
    {
      level: 'error',
      message: 'ops notification not published',
      fields: { alarm: ALARM_NAME, state: 'ALARM', error: 'Topic does not exist' },
    },
  ]);
});

test('an event that is not an alarm state change rejects without publishing anything', async () => {
  const opsTopicArn = await sns.createTopic('ops-untouched');
  const subscriber = await sns.subscribeQueue(opsTopicArn);
  const notify = createOpsNotifyHandler({ client, opsTopicArn, telemetry: recordedTelemetry() });
  await expect(notify({ Records: [] } as never)).rejects.toThrow('not a CloudWatch alarm event');
  expect(await sns.receive(subscriber.queueUrl, 0, { timeoutMs: 300, settleMs: 300 })).toEqual([]);
});

test('the notifier is configured by its topic ARN alone, checked like the other handlers', () => {
  expect(opsNotifyConfigFromEnv({ OPS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:NewsAlerts-Ops' })).toEqual({
    opsTopicArn: 'arn:aws:sns:us-east-1:123456789012:NewsAlerts-Ops',
  });
  expect(() => opsNotifyConfigFromEnv({})).toThrow(HandlerConfigError);
  expect(() => opsNotifyConfigFromEnv({ OPS_TOPIC_ARN: 'ops' })).toThrow('env.OPS_TOPIC_ARN: must be an SNS topic ARN');
});
