// Publishes a digest to the digest topic: email and SMS bodies, and the audience its subscriptions filter on.
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { AUDIENCE_ATTRIBUTE } from '../contract/sns-attributes';
import type { Digest } from '../core/digest';
import { formatDigestEmail, formatDigestSms, formatDigestSubject } from '../core/format';

export interface SnsDigestPublisherOptions {
  client: SNSClient;
  topicArn: string;
}

export class SnsDigestPublisher {
  constructor(private readonly options: SnsDigestPublisherOptions) {}

  /** Publishes `digest` to the subscribers of `audience`; resolves with the SNS message id, rejects on failure. */
  async publish(digest: Digest, audience: string): Promise<string | undefined> {
    const email = formatDigestEmail(digest);
    const sms = formatDigestSms(digest);
    // The email goes once: as `default` too it would double the message past SNS's 256 KiB on a busy day.
    const { MessageId } = await this.options.client.send(
      new PublishCommand({
        TopicArn: this.options.topicArn,
        Subject: formatDigestSubject(digest),
        MessageStructure: 'json',
        Message: JSON.stringify({ default: sms, email, sms }),
        MessageAttributes: { [AUDIENCE_ATTRIBUTE]: { DataType: 'String', StringValue: audience } },
      }),
    );
    return MessageId;
  }
}
