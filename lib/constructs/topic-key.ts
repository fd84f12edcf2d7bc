// The KMS key that encrypts every SNS topic of the stack, usable by SNS and by CloudWatch alarms.
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export class TopicKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Customer-managed, not alias/aws/sns: CloudWatch alarms cannot publish to a topic under the AWS-managed key.
    this.key = new Key(this, 'Key', {
      description: 'news-alerts: encrypts the alerts, digest and ops SNS topics',
      enableKeyRotation: true,
      // The key goes with the topics on `cdk destroy` (deletion after the shortest waiting period); only the table stays.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // Services that publish to the topics or deliver from them, only on behalf of this account.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowSnsAndCloudWatchAlarmsToUseTheKey',
        principals: [new ServicePrincipal('sns.amazonaws.com'), new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
  }
}
