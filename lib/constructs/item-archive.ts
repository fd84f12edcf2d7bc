// The archive of items read: an S3 bucket the poll function writes each batch's items to, for `news-alerts backtest`.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Objects are kept this long: a backtest looks back a week or two, and news older than a month tunes nothing. */
const EXPIRY = Duration.days(30);
/** The key prefix the poll function writes under (and may write nowhere else). */
export const ITEM_ARCHIVE_PREFIX = 'items';

export class ItemArchive extends Construct {
  readonly bucket: Bucket;
  readonly prefix = ITEM_ARCHIVE_PREFIX;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      // SSE-S3: the items are public news; a customer-managed key would cost $1 a month and a KMS call per write.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        { id: 'expire-items', expiration: EXPIRY, abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // `cdk destroy` cannot delete a bucket with objects in it (and auto-deletion needs a custom resource with a
      // role of its own): the bucket stays, empty within 30 days by its lifecycle rule.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'No server access logs: one role writes public news items here and a user reads them back for a backtest; ' +
        'logging every request would need a second bucket whose storage outgrows the archive, and CloudTrail data ' +
        'events can be turned on if an audit is ever needed',
    });
  }
}
