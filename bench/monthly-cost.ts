// Monthly AWS cost of the deployed stack, from DynamoDB requests counted in this run and the synthesized template.

import { Template } from 'aws-cdk-lib/assertions';
import { MetricName } from '../lambda/contract/metrics';
import { projectStack } from '../test/infra/synthesized-stack';
import { type CycleCost, measureStateCost, POLL_BATCH_SIZE } from './state-cost';
import { benchFlags, fmt, heading, table, target } from './support/report';

/**
 * us-east-1 list prices as published on the AWS pricing pages (Lambda, SQS, DynamoDB on-demand after the
 * November 2024 reduction, SNS, CloudWatch, EventBridge Scheduler, KMS), read for this model in 2025: assumptions
 * to check against the pricing pages before relying on the figure.
 */
const PRICE = {
  lambdaGbSecondArm: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  sqsRequest: 0.4 / 1e6,
  dynamoWru: 0.625 / 1e6,
  dynamoRru: 0.125 / 1e6,
  dynamoStorageGbMonth: 0.25,
  dynamoPitrGbMonth: 0.2,
  snsPublish: 0.5 / 1e6,
  snsEmail: 2 / 100_000,
  /** US: AWS's per-message price plus typical carrier fees, per 160-character segment. */
  snsSmsUs: 0.00581 + 0.00302,
  cloudwatchMetricMonth: 0.3,
  cloudwatchAlarmMonth: 0.1,
  cloudwatchDashboardMonth: 3,
  cloudwatchLogsIngestGb: 0.5,
  schedulerInvocation: 1 / 1e6,
  /** A customer-managed key; AWS-managed keys (alias/aws/sns) have no monthly fee, only this request price. */
  kmsKeyMonth: 1,
  kmsRequest: 0.03 / 10_000,
  /** Secrets Manager: per secret a month, and per 10,000 API calls (no always-free tier). */
  secretMonth: 0.4,
  secretRequest: 0.05 / 10_000,
  /** S3 Standard: PUT per request, storage per GB-month (its free tier lasts 12 months only, so none is counted). */
  s3Put: 0.005 / 1_000,
  s3StorageGbMonth: 0.023,
};

/** AWS's always-free monthly allowances (an account running nothing else), for the second total. */
const FREE = {
  lambdaGbSeconds: 400_000,
  lambdaRequests: 1e6,
  sqsRequests: 1e6,
  snsPublishes: 1e6,
  snsEmails: 1_000,
  cloudwatchMetrics: 10,
  cloudwatchAlarms: 10,
  cloudwatchDashboards: 3,
  cloudwatchLogsGb: 5,
  schedulerInvocations: 14e6,
  kmsRequests: 20_000,
};

/** Traffic and timing assumptions: what a real month of feeds looks like, stated so they can be argued with. */
const ASSUMED = {
  hoursPerMonth: 730,
  /** A feed publishes about this often; a poll between two updates gets a 304. */
  feedUpdatesPerHour: 1,
  /** Alerts a day (new stories about tracked entities) per 100 feeds. */
  alertsPerDayPer100Feeds: 10,
  emailSubscribers: 1,
  smsSubscribers: 1,
  /** Wall time of one poll invocation (five feeds fetched side by side): the slowest fetch over the internet. */
  pollBatchSeconds: 0.6,
  dispatchSeconds: 0.3,
  /** Lambda's SQS event source long-polls with five pollers, 20 s each: ReceiveMessage calls while the queue is idle. */
  idleReceivesPerMinute: 15,
  /** Log bytes per poll invocation (platform lines, one Powertools line per feed, the metrics document). */
  logBytesPerPollInvocation: 300 + POLL_BATCH_SIZE * 400 + 1_500,
  stateGb: 0.05,
  /** Alarm state changes (each ALARM and each return to OK) a month: one notifier invocation and ops email each. */
  alarmStateChangesPerMonth: 20,
  /** Wall time of one notifier invocation at 128 MB, mostly a cold start; one Publish. */
  notifierSeconds: 1,
  opsEmailSubscribers: 1,
  /** GetSecretValue calls a month: one per cold start of the poll and verdict functions (the key is kept warm). */
  secretReadsPerMonth: 3_000,
  /** KMS requests SNS makes per publish to a topic encrypted at rest: a data key on publish, a decrypt on delivery. */
  kmsRequestsPerPublish: 2,
  /** Items in a changed feed's document, all archived (bench/archive.ts: the generated feeds carry 50). */
  itemsPerDocument: 50,
  /** Gzipped bytes an archived item takes in S3: bench/archive.ts measured 101 (generated) to 218 (real feeds). */
  archiveBytesPerItem: 220,
  /** Wall time of the archive's one PutObject at the end of a batch that read something. */
  archivePutSeconds: 0.05,
};

interface StackFacts {
  pollMemoryMb: number;
  dispatchMemoryMb: number;
  notifierMemoryMb: number;
  pollBatchSize: number;
  alarms: number;
  dashboards: number;
  /** Customer-managed keys ($1 a month each). */
  kmsKeys: number;
  /** Topics encrypted with SNS's AWS-managed key (no monthly fee; SNS's KMS requests are still billed). */
  awsManagedKeyTopics: number;
  schedules: number;
  customMetrics: number;
  /** Secrets Manager secrets (the verdict links' signing key). */
  secrets: number;
  /** S3 buckets (the archive of items read). */
  buckets: number;
}

/**
 * Metrics a handler emits only when something goes wrong (an archive write fails, a feed turns over between reads):
 * billed only in a month with one, so not counted here.
 */
const EMITTED_ONLY_ON_FAILURE = new Set<string>([MetricName.ArchiveWritesFailed, MetricName.FeedsTurnedOver]);

/** What the deployed stack is made of, read from the synthesized template (bundling skipped: sizes do not matter). */
function stackFacts(): StackFacts {
  const stack = projectStack({ email: 'reader@example.com', sms: '+15555550100', 'aws:cdk:bundling-stacks': [] });
  const template = Template.fromStack(stack);
  const memoryOf = (fn: { node: { defaultChild?: unknown } }) =>
    Number((fn.node.defaultChild as { memorySize?: number }).memorySize);
  const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
  const count = (type: string) => Object.keys(template.findResources(type)).length;
  return {
    pollMemoryMb: memoryOf(stack.poller.poll.fn),
    dispatchMemoryMb: memoryOf(stack.poller.dispatch.fn),
    notifierMemoryMb: memoryOf(stack.monitoring.notifier.fn),
    pollBatchSize: Number((mappings[0]?.Properties as { BatchSize?: number } | undefined)?.BatchSize ?? 10),
    alarms: count('AWS::CloudWatch::Alarm'),
    dashboards: count('AWS::CloudWatch::Dashboard'),
    kmsKeys: count('AWS::KMS::Key'),
    awsManagedKeyTopics: Object.keys(
      template.findResources('AWS::SNS::Topic', { Properties: { KmsMasterKeyId: 'alias/aws/sns' } }),
    ).length,
    schedules: count('AWS::Scheduler::Schedule'),
    customMetrics: Object.values(MetricName).filter((name) => !EMITTED_ONLY_ON_FAILURE.has(name)).length,
    secrets: count('AWS::SecretsManager::Secret'),
    buckets: count('AWS::S3::Bucket'),
  };
}

interface Scenario {
  name: string;
  feeds: number;
  periodMinutes: number;
}

interface Line {
  service: string;
  usage: string;
  list: number;
  afterFree: number;
}

/** Per-feed and per-item DynamoDB costs from the counted cycles. */
function perUnit(cost: CycleCost, per: number) {
  return { requests: cost.requests / per, rru: cost.rru / per, wru: cost.wru / per };
}

function monthly(
  scenario: Scenario,
  facts: StackFacts,
  counted: Awaited<ReturnType<typeof measureStateCost>>,
  measuredFeeds: number,
): Line[] {
  const cycles = (ASSUMED.hoursPerMonth * 60) / scenario.periodMinutes;
  const changedShare = Math.min(1, (ASSUMED.feedUpdatesPerHour * scenario.periodMinutes) / 60);
  const alerts = (ASSUMED.alertsPerDayPer100Feeds * scenario.feeds * ASSUMED.hoursPerMonth) / 24 / 100;
  const pollInvocationsPerCycle = Math.ceil(scenario.feeds / facts.pollBatchSize);

  // DynamoDB: dispatch's Query grows with the feed count; each changed feed costs what a changed feed cost here,
  // each alert what a new matching item cost beyond that.
  const listQuery = perUnit(counted.unchanged, measuredFeeds);
  const changed = perUnit(counted.changedNoMatch, measuredFeeds);
  const changedWithItem = perUnit(counted.oneNewItem, measuredFeeds);
  const perAlert = {
    rru: changedWithItem.rru - changed.rru,
    wru: changedWithItem.wru - changed.wru,
  };
  const rru = cycles * scenario.feeds * (listQuery.rru + changedShare * changed.rru) + alerts * perAlert.rru;
  const wru = cycles * scenario.feeds * changedShare * changed.wru + alerts * perAlert.wru;

  // The archive: one object per poll invocation that read a changed feed, kept 30 days (about a month of writes).
  const batchesWithItems =
    facts.buckets === 0 ? 0 : cycles * pollInvocationsPerCycle * (1 - (1 - changedShare) ** facts.pollBatchSize);
  const archivedItems = facts.buckets === 0 ? 0 : cycles * scenario.feeds * changedShare * ASSUMED.itemsPerDocument;
  const archiveGb = (archivedItems * ASSUMED.archiveBytesPerItem) / 1e9;
  const pollGbSeconds =
    (cycles * pollInvocationsPerCycle * ASSUMED.pollBatchSeconds + batchesWithItems * ASSUMED.archivePutSeconds) *
    (facts.pollMemoryMb / 1024);
  const dispatchGbSeconds = cycles * ASSUMED.dispatchSeconds * (facts.dispatchMemoryMb / 1024);
  // The alarm notifier runs only when an alarm changes state.
  const opsNotifications = ASSUMED.alarmStateChangesPerMonth;
  const notifierGbSeconds = opsNotifications * ASSUMED.notifierSeconds * (facts.notifierMemoryMb / 1024);
  const lambdaRequests = cycles * (1 + pollInvocationsPerCycle) + opsNotifications;
  const gbSeconds = pollGbSeconds + dispatchGbSeconds + notifierGbSeconds;

  const sqsRequests =
    cycles * (Math.ceil(scenario.feeds / 10) + 2 * pollInvocationsPerCycle) +
    ASSUMED.idleReceivesPerMinute * ASSUMED.hoursPerMonth * 60;
  const logGb = (cycles * pollInvocationsPerCycle * ASSUMED.logBytesPerPollInvocation) / 1e9;
  // Alerts, daily digests, ops notifications.
  const emails =
    alerts * ASSUMED.emailSubscribers + 30 * ASSUMED.emailSubscribers + opsNotifications * ASSUMED.opsEmailSubscribers;
  const publishes = alerts + 30 + opsNotifications;
  const kmsRequests = publishes * ASSUMED.kmsRequestsPerPublish;
  const schedulerRuns = cycles + 30;

  const free = (used: number, allowance: number) => Math.max(0, used - allowance);
  return [
    {
      service: 'Lambda',
      usage: `${fmt(lambdaRequests)} requests, ${fmt(gbSeconds)} GB-s (poll ${facts.pollMemoryMb} MB x ${fmt(cycles * pollInvocationsPerCycle)} x ${ASSUMED.pollBatchSeconds} s; ops notifier ${fmt(opsNotifications)} x)`,
      list: lambdaRequests * PRICE.lambdaRequest + gbSeconds * PRICE.lambdaGbSecondArm,
      afterFree:
        free(lambdaRequests, FREE.lambdaRequests) * PRICE.lambdaRequest +
        free(gbSeconds, FREE.lambdaGbSeconds) * PRICE.lambdaGbSecondArm,
    },
    {
      service: 'SQS',
      usage: `${fmt(sqsRequests)} requests (send, receive, delete, idle long polls)`,
      list: sqsRequests * PRICE.sqsRequest,
      afterFree: free(sqsRequests, FREE.sqsRequests) * PRICE.sqsRequest,
    },
    {
      service: 'DynamoDB',
      usage: `${fmt(rru)} RRU, ${fmt(wru)} WRU, ${ASSUMED.stateGb} GB with PITR`,
      list:
        rru * PRICE.dynamoRru +
        wru * PRICE.dynamoWru +
        ASSUMED.stateGb * (PRICE.dynamoStorageGbMonth + PRICE.dynamoPitrGbMonth),
      // Storage is free up to 25 GB; request units and backups have no free tier on demand.
      afterFree: rru * PRICE.dynamoRru + wru * PRICE.dynamoWru + ASSUMED.stateGb * PRICE.dynamoPitrGbMonth,
    },
    {
      service: 'SNS',
      usage: `${fmt(publishes)} publishes, ${fmt(emails)} emails (${fmt(opsNotifications)} of each to ops)`,
      list: publishes * PRICE.snsPublish + emails * PRICE.snsEmail,
      afterFree: free(publishes, FREE.snsPublishes) * PRICE.snsPublish + free(emails, FREE.snsEmails) * PRICE.snsEmail,
    },
    {
      service: 'CloudWatch',
      usage: `${facts.customMetrics} custom metrics, ${facts.alarms} alarms, ${facts.dashboards} dashboard, ${fmt(logGb, 2)} GB logs`,
      list:
        facts.customMetrics * PRICE.cloudwatchMetricMonth +
        facts.alarms * PRICE.cloudwatchAlarmMonth +
        facts.dashboards * PRICE.cloudwatchDashboardMonth +
        logGb * PRICE.cloudwatchLogsIngestGb,
      afterFree:
        free(facts.customMetrics, FREE.cloudwatchMetrics) * PRICE.cloudwatchMetricMonth +
        free(facts.alarms, FREE.cloudwatchAlarms) * PRICE.cloudwatchAlarmMonth +
        free(facts.dashboards, FREE.cloudwatchDashboards) * PRICE.cloudwatchDashboardMonth +
        free(logGb, FREE.cloudwatchLogsGb) * PRICE.cloudwatchLogsIngestGb,
    },
    {
      service: 'EventBridge Scheduler',
      usage: `${fmt(schedulerRuns)} invocations`,
      list: schedulerRuns * PRICE.schedulerInvocation,
      afterFree: free(schedulerRuns, FREE.schedulerInvocations) * PRICE.schedulerInvocation,
    },
    {
      service: 'KMS',
      usage:
        `${facts.kmsKeys} customer-managed keys; ${facts.awsManagedKeyTopics} topics under alias/aws/sns (no key ` +
        `fee), ~${fmt(kmsRequests)} requests by SNS`,
      list: facts.kmsKeys * PRICE.kmsKeyMonth + kmsRequests * PRICE.kmsRequest,
      afterFree: facts.kmsKeys * PRICE.kmsKeyMonth + free(kmsRequests, FREE.kmsRequests) * PRICE.kmsRequest,
    },
    {
      service: 'Secrets Manager',
      usage: `${facts.secrets} secret (verdict link key), ~${fmt(ASSUMED.secretReadsPerMonth)} reads`,
      list: facts.secrets * PRICE.secretMonth + ASSUMED.secretReadsPerMonth * PRICE.secretRequest,
      afterFree: facts.secrets * PRICE.secretMonth + ASSUMED.secretReadsPerMonth * PRICE.secretRequest,
    },
    {
      service: 'S3',
      usage: `${facts.buckets} bucket (archive of items read): ${fmt(batchesWithItems)} PUTs, ${fmt(archivedItems)} items, ${fmt(archiveGb, 2)} GB kept`,
      list: batchesWithItems * PRICE.s3Put + archiveGb * PRICE.s3StorageGbMonth,
      afterFree: batchesWithItems * PRICE.s3Put + archiveGb * PRICE.s3StorageGbMonth,
    },
  ];
}

async function main(): Promise<void> {
  const { quick } = benchFlags();
  const measuredFeeds = quick ? 10 : 20;
  heading('monthly cost model: DynamoDB request units counted on dynalite in this run, stack facts from synth');
  const facts = stackFacts();
  const counted = await measureStateCost(measuredFeeds);
  console.log(
    `stack: poll ${facts.pollMemoryMb} MB (batch ${facts.pollBatchSize}), dispatch ${facts.dispatchMemoryMb} MB, ` +
      `ops notifier ${facts.notifierMemoryMb} MB, ${facts.alarms} alarms, ${facts.dashboards} dashboard, ` +
      `${facts.kmsKeys} customer-managed KMS keys (${facts.awsManagedKeyTopics} topics under alias/aws/sns), ` +
      `${facts.customMetrics} custom metric names (one metric each: Powertools adds only the service dimension)`,
  );
  const perFeed = (cost: CycleCost) =>
    `${fmt(cost.rru / measuredFeeds, 2)} RRU + ${fmt(cost.wru / measuredFeeds, 2)} WRU per feed`;
  console.log(
    `counted (${measuredFeeds} feeds): unchanged ${perFeed(counted.unchanged)}; changed ${perFeed(counted.changedNoMatch)}; ` +
      `changed with a new matching item ${perFeed(counted.oneNewItem)}`,
  );
  console.log(`assumptions: ${JSON.stringify(ASSUMED)}`);
  console.log(`prices (us-east-1 list, USD): ${JSON.stringify(PRICE)}`);

  const scenarios: Scenario[] = [
    { name: '100 feeds every 5 minutes', feeds: 100, periodMinutes: 5 },
    { name: '1,000 feeds every minute', feeds: 1_000, periodMinutes: 1 },
  ];
  const totals: {
    scenario: Scenario;
    list: number;
    afterFree: number;
    smsPerAlert: number;
    alerts: number;
    lines: Line[];
  }[] = [];
  for (const scenario of scenarios) {
    const lines = monthly(scenario, facts, counted, measuredFeeds);
    console.log(`\n${scenario.name}`);
    table(
      ['service', 'usage a month', 'list $', 'after free tier $'],
      lines.map((line) => [line.service, line.usage, fmt(line.list, 2), fmt(line.afterFree, 2)]),
    );
    const list = lines.reduce((sum, line) => sum + line.list, 0);
    const afterFree = lines.reduce((sum, line) => sum + line.afterFree, 0);
    const alerts = (ASSUMED.alertsPerDayPer100Feeds * scenario.feeds * ASSUMED.hoursPerMonth) / 24 / 100;
    console.log(
      `total: $${fmt(list, 2)} a month at list price, $${fmt(afterFree, 2)} after the always-free tier; ` +
        `SMS on top: ${fmt(alerts * ASSUMED.smsSubscribers)} messages x $${fmt(PRICE.snsSmsUs, 5)} = ` +
        `$${fmt(alerts * ASSUMED.smsSubscribers * PRICE.snsSmsUs, 2)} (US; plus a leased origination number)`,
    );
    totals.push({ scenario, list, afterFree, smsPerAlert: PRICE.snsSmsUs, alerts, lines });
  }
  const first = totals[0]!;
  const largest = [...first.lines].sort((a, b) => b.afterFree - a.afterFree)[0]!;
  target(
    '100 feeds every 5 minutes < $1/month',
    first.afterFree < 1,
    `$${fmt(first.afterFree, 2)} after the free tier, $${fmt(first.list, 2)} at list price (SMS excluded); ` +
      `largest: ${largest.service} $${fmt(largest.afterFree, 2)}; customer-managed KMS keys ` +
      `$${fmt(facts.kmsKeys * PRICE.kmsKeyMonth, 2)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
