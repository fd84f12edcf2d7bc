// The SNS topics users subscribe to: instant alerts and the daily digest, with their email and SMS subscriptions.
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type ITopicSubscription, SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SmsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { TopicSubscription } from '../config';

export interface AlertTopicsProps {
  key: IKey;
  alertSubscriptions: TopicSubscription[];
  digestSubscriptions: TopicSubscription[];
}

/** Message attribute the SNS alert sink sets (String.Array of entity ids) and filter policies match on. */
export const ENTITY_ATTRIBUTE = 'entity';

export class AlertTopics extends Construct {
  readonly alerts: Topic;
  /** Receives one digest a day from the digest Lambda (the stories issue); subscribers are wired already. */
  readonly digest: Topic;

  constructor(scope: Construct, id: string, props: AlertTopicsProps) {
    super(scope, id);
    // No display name on the alerts topic: SNS would prefix it to every SMS, past the 160 characters formatSms keeps to.
    this.alerts = newTopic(this, 'Alerts', props.key);
    this.digest = newTopic(this, 'Digest', props.key, 'News alerts digest');
    for (const subscription of props.alertSubscriptions) this.alerts.addSubscription(toSnsSubscription(subscription));
    for (const subscription of props.digestSubscriptions) this.digest.addSubscription(toSnsSubscription(subscription));
  }
}

/** A topic encrypted with the stack's key whose policy denies any request not made over TLS. */
export function newTopic(scope: Construct, id: string, key: IKey, displayName?: string): Topic {
  return new Topic(scope, id, { displayName, masterKey: key, enforceSSL: true });
}

function toSnsSubscription({ protocol, endpoint, entities }: TopicSubscription): ITopicSubscription {
  // A subscriber who chose entities receives only alerts whose `entity` attribute names one of them.
  const filterPolicy =
    entities === undefined
      ? undefined
      : { [ENTITY_ATTRIBUTE]: SubscriptionFilter.stringFilter({ allowlist: entities }) };
  return protocol === 'email'
    ? new EmailSubscription(endpoint, { filterPolicy })
    : new SmsSubscription(endpoint, { filterPolicy });
}
