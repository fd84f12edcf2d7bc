// Alarm-action Lambda: emails each CloudWatch alarm state change to the ops topic (alarms cannot publish to it themselves).

import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { CloudWatchAlarmEvent } from 'aws-lambda';
import { assertAlarmStateChange, formatAlarmEmail } from '../core/alarm-email';
import { opsNotifyConfigFromEnv } from './env';
import { lambdaEntryPoint, type Telemetry } from './runtime';

export interface OpsNotifyDeps {
  client: SNSClient;
  opsTopicArn: string;
  telemetry: Telemetry;
}

export interface OpsNotifySummary {
  alarm: string;
  state: string;
  messageId?: string;
}

/**
 * Publishes one email per state change. A refused publish rejects the invocation, so Lambda retries it and then
 * leaves the event in the notifier's dead-letter queue: an alarm is never dropped without a trace.
 */
export function createOpsNotifyHandler(
  deps: OpsNotifyDeps,
): (event: CloudWatchAlarmEvent) => Promise<OpsNotifySummary> {
  const { logger } = deps.telemetry;
  return async (event) => {
    assertAlarmStateChange(event);
    const email = formatAlarmEmail(event);
    const fields = { alarm: event.alarmData.alarmName, state: event.alarmData.state.value };
    try {
      const { MessageId } = await deps.client.send(
        new PublishCommand({ TopicArn: deps.opsTopicArn, Subject: email.subject, Message: email.body }),
      );
      logger.info('ops notified', { ...fields, messageId: MessageId });
      return { ...fields, messageId: MessageId };
    } catch (error) {
      // The alarm's name beside the error, so the log says which notification is being retried.
      logger.error('ops notification not published', { ...fields, error: (error as Error).message });
      throw error;
    }
  };
}

export const handler = lambdaEntryPoint((telemetry) => {
  const config = opsNotifyConfigFromEnv(process.env);
  return createOpsNotifyHandler({ client: new SNSClient({}), opsTopicArn: config.opsTopicArn, telemetry });
});
