// `poll --topic-arn`: publish alerts to a real SNS topic through SnsAlertSink, with the standard AWS environment.
import { SNSClient } from '@aws-sdk/client-sns';
import { SnsAlertSink } from '../adapters/sns-alert-sink';
import { UsageError } from './io';

/** arn:<partition>:sns:<region>:<account>:<topic name> (a FIFO topic's name ends in .fifo). */
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;

/** The region a topic lives in, from its ARN; a UsageError for anything that is not an SNS topic ARN. */
function topicRegion(topicArn: string): string {
  const region = TOPIC_ARN.exec(topicArn)?.[1];
  if (region === undefined) {
    throw new UsageError(`--topic-arn "${topicArn}" is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)`);
  }
  return region;
}

/**
 * A sink on the topic and the client under it (the caller destroys it after the poll). Credentials come from the
 * SDK's default chain (environment, profile, SSO, ...); the region from the ARN, since a topic is reachable only in
 * its own region; the SDK itself honours AWS_ENDPOINT_URL_SNS and AWS_ENDPOINT_URL, so a local emulator works.
 */
export function snsTopicSink(topicArn: string): { sink: SnsAlertSink; client: SNSClient } {
  const client = new SNSClient({ region: topicRegion(topicArn) });
  return { sink: new SnsAlertSink({ client, topicArn }), client };
}
