// The news-alerts stack: composes one construct per concern; all choices live in the constructs and the config.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StackConfig } from './config';
import { AlertTopics } from './constructs/alert-topics';
import { DigestSchedule } from './constructs/digest-schedule';
import { ItemArchive } from './constructs/item-archive';
import { Monitoring } from './constructs/monitoring';
import { Poller } from './constructs/poller';
import { StateTable } from './constructs/state-table';
import { Verdicts } from './constructs/verdicts';

export interface NewsAlertsStackProps extends StackProps {
  config: StackConfig;
}

export class NewsAlertsStack extends Stack {
  readonly state: StateTable;
  readonly topics: AlertTopics;
  readonly poller: Poller;
  readonly digest: DigestSchedule;
  readonly monitoring: Monitoring;
  readonly verdicts: Verdicts;
  /** Absent with `-c archive=false`. */
  readonly archive?: ItemArchive;

  constructor(scope: Construct, id: string, props: NewsAlertsStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.state = new StateTable(this, 'State');
    this.topics = new AlertTopics(this, 'Topics', {
      alertSubscriptions: config.alertSubscriptions,
      digestSubscriptions: config.digestSubscriptions,
    });
    this.poller = new Poller(this, 'Poller', {
      table: this.state.table,
      alertsTopic: this.topics.alerts,
      watchlist: config.watchlist,
      schedule: config.schedule,
      tracing: config.tracing,
    });
    this.verdicts = new Verdicts(this, 'Verdicts', {
      table: this.state.table,
      watchlist: config.watchlist,
      tracing: config.tracing,
    });
    this.poller.poll.bindVerdictLinks(this.verdicts.url, this.verdicts.signingKey);
    if (config.archive) {
      this.archive = new ItemArchive(this, 'ItemArchive');
      this.poller.poll.bindItemArchive(this.archive.bucket, this.archive.prefix);
    }
    this.digest = new DigestSchedule(this, 'DigestSchedule', {
      table: this.state.table,
      digestTopic: this.topics.digest,
      digestSubscriptions: config.digestSubscriptions,
      watchlist: config.watchlist,
      schedule: config.digestSchedule,
      tracing: config.tracing,
    });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      poller: this.poller,
      digest: this.digest.digest,
      opsEmails: config.opsEmails,
      archive: this.archive,
      tracing: config.tracing,
    });
    // What the README's deploy steps refer to: the table to delete after `cdk destroy`, the topics to subscribe to.
    new CfnOutput(this, 'StateTableName', { value: this.state.table.tableName });
    new CfnOutput(this, 'AlertsTopicArn', { value: this.topics.alerts.topicArn });
    new CfnOutput(this, 'DigestTopicArn', { value: this.topics.digest.topicArn });
    new CfnOutput(this, 'OpsTopicArn', { value: this.monitoring.opsTopic.topicArn });
    new CfnOutput(this, 'VerdictEndpointUrl', { value: this.verdicts.url.url });
    // What `news-alerts backtest --archive` reads.
    if (this.archive) {
      new CfnOutput(this, 'ItemArchiveLocation', {
        value: `s3://${this.archive.bucket.bucketName}/${this.archive.prefix}`,
      });
    }
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
  }
}
