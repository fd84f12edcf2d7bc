// The daily digest: a schedule (cron, `-c digestSchedule=`) runs the digest function, which publishes to the digest topic.
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ContextAttribute, type Schedule, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EnvName } from '../../lambda/contract/env';
import { type DigestAudience, digestAudiences } from '../../lambda/core/digest';
import type { Watchlist } from '../../lambda/core/types';
import type { TopicSubscription } from '../config';
import { NewsAlertsFunction } from './news-alerts-function';
import { scheduledInvoke } from './scheduled-invoke';

export interface DigestScheduleProps {
  table: ITable;
  digestTopic: ITopic;
  /** The digest topic's subscriptions: one digest is built per distinct entity choice among them. */
  digestSubscriptions: TopicSubscription[];
  watchlist: Watchlist;
  /** EventBridge Scheduler expression, already validated (lib/config.ts). */
  schedule: string;
  tracing: boolean;
}

const HANDLERS_DIR = join(__dirname, '..', '..', 'lambda', 'handlers');

export class DigestSchedule extends Construct {
  readonly digest: NewsAlertsFunction;
  readonly schedule: Schedule;
  /** What the function builds a digest for: "all" always (for a subscriber added by hand), and each entity choice. */
  readonly audiences: DigestAudience[];

  constructor(scope: Construct, id: string, props: DigestScheduleProps) {
    super(scope, id);
    this.audiences = digestAudiences([undefined, ...props.digestSubscriptions.map((s) => s.entities)]);
    this.digest = new NewsAlertsFunction(this, 'Digest', {
      entry: join(HANDLERS_DIR, 'digest.ts'),
      description: 'Publishes the daily digest of stories to the digest topic',
      timeout: Duration.seconds(60),
      memorySize: 256,
      watchlist: props.watchlist,
      tracing: props.tracing,
    });
    this.digest.bindStateTable(props.table, 'read');
    this.digest.bindDigestTopic(props.digestTopic);
    this.digest.fn.addEnvironment(EnvName.digestAudiences, JSON.stringify(this.audiences));
    this.schedule = scheduledInvoke(this, this.digest, {
      name: 'digest',
      description: 'news-alerts: send the daily digest of the 24 hours before',
      expression: props.schedule,
      // The period is the 24 hours before the scheduled time, so a late delivery still sends the right day.
      input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
      retryAttempts: 3,
      maxEventAge: Duration.hours(6),
    });
  }
}
