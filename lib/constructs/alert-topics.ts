// The SNS topics users subscribe to: instant alerts and the daily digest, with their email and SMS subscriptions.
import { type CfnTopic, type ITopicSubscription, SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SmsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import {
  ALERT_KIND,
  AUDIENCE_ATTRIBUTE,
  CHANNEL,
  CHANNEL_ATTRIBUTE,
  ENTITY_ATTRIBUTE,
  KIND_ATTRIBUTE,
} from '../../lambda/contract/sns-attributes';
import { digestAudienceKey } from '../../lambda/core/digest';
import type { TopicSubscription } from '../config';

export interface AlertTopicsProps {
  alertSubscriptions: TopicSubscription[];
  digestSubscriptions: TopicSubscription[];
}

export class AlertTopics extends Construct {
  readonly alerts: Topic;
  /** Receives one digest a day per audience from the digest Lambda. */
  readonly digest: Topic;

  constructor(scope: Construct, id: string, props: AlertTopicsProps) {
    super(scope, id);
    // No display name on the alerts topic: SNS would prefix it to every SMS, past the 160 characters formatSms keeps to.
    this.alerts = newTopic(this, 'Alerts');
    this.digest = newTopic(this, 'Digest', 'News alerts digest');
    for (const subscription of props.alertSubscriptions) {
      this.alerts.addSubscription(toSnsSubscription(subscription, alertFilter(subscription)));
    }
    for (const subscription of props.digestSubscriptions) {
      this.digest.addSubscription(toSnsSubscription(subscription, digestFilter(subscription)));
    }
  }
}

/** SNS's AWS-managed KMS key: free (a customer-managed key is $1 a month), rotated by AWS. */
export const AWS_MANAGED_SNS_KEY = 'alias/aws/sns';

/** A topic encrypted at rest with SNS's AWS-managed key whose policy denies any request not made over TLS. */
export function newTopic(scope: Construct, id: string, displayName?: string): Topic {
  const topic = new Topic(scope, id, { displayName, enforceSSL: true });
  // Set on the resource, not as masterKey: CDK would write the alias as an ARN and, with this app's
  // applyImportedAliasPermissionsToPrincipal flag, grant every publisher KMS actions on key/*. Publishers need no KMS
  // grant: the AWS-managed key's own policy lets this account's principals use it through SNS.
  (topic.node.defaultChild as CfnTopic).kmsMasterKeyId = AWS_MANAGED_SNS_KEY;
  return topic;
}

/**
 * An alert subscriber who chose entities receives only alerts whose `entity` attribute names one of them; one of every
 * entity receives `story` alerts, not the same-story ones; an SMS subscriber only alerts the storm guard let through
 * (`channel` all, not sms-held). SNS ANDs the keys.
 */
function alertFilter({ protocol, entities }: TopicSubscription): Record<string, SubscriptionFilter> | undefined {
  const filter: Record<string, SubscriptionFilter> = {};
  if (entities !== undefined) filter[ENTITY_ATTRIBUTE] = SubscriptionFilter.stringFilter({ allowlist: entities });
  // Every entity: the story's first alert reached this subscriber already, so a same-story alert would repeat it.
  else filter[KIND_ATTRIBUTE] = SubscriptionFilter.stringFilter({ allowlist: [ALERT_KIND.story] });
  if (protocol === 'sms') filter[CHANNEL_ATTRIBUTE] = SubscriptionFilter.stringFilter({ allowlist: [CHANNEL.all] });
  return Object.keys(filter).length > 0 ? filter : undefined;
}

/** A digest subscriber receives the one digest of its audience (its entity choice), never another audience's. */
function digestFilter({ entities }: TopicSubscription): Record<string, SubscriptionFilter> {
  return { [AUDIENCE_ATTRIBUTE]: SubscriptionFilter.stringFilter({ allowlist: [digestAudienceKey(entities)] }) };
}

function toSnsSubscription(
  { protocol, endpoint }: TopicSubscription,
  filterPolicy: Record<string, SubscriptionFilter> | undefined,
): ITopicSubscription {
  return protocol === 'email'
    ? new EmailSubscription(endpoint, { filterPolicy })
    : new SmsSubscription(endpoint, { filterPolicy });
}
