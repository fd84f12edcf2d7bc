// The state table: feed state, item claims and sent records (the DynamoDB layout DynamoStateStore expects).
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export class StateTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      // On-demand: a poll every few minutes is far below any provisioned minimum.
      billingMode: BillingMode.PAY_PER_REQUEST,
      // Item and story rows carry `expiresAt` (epoch seconds) and expire on their own.
      timeToLiveAttribute: 'expiresAt',
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // `cdk destroy` keeps the table: losing it would re-alert every item still in the feeds.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
