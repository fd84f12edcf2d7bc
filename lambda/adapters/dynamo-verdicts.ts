// VerdictStore on the state table: one row per entity and alert, written once by a conditional PutItem.

import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type KnownAlert, VERDICT_TTL_MS, type Verdict, withAlertTexts } from '../core/feedback';
import type { FeedbackSource, PendingVerdict, VerdictStore } from '../ports';
import { alertsOf, alertTexts } from './dynamo-alert-rows';
import { DynamoTable, epochSeconds, queryRows, unlessConditionFails } from './dynamo-table';

/**
 * Rows: pk 'VERDICT#<entity>', sk <alert id>, recordedAt (ms), expiresAt (TTL, recordedAt + a year). The verdict
 * function's role may put only rows whose partition key starts with VERDICT# (dynamodb:LeadingKeys), so this prefix is
 * also the boundary of what a leaked link could ever write.
 */
export const VERDICT_PK_PREFIX = 'VERDICT#';
/**
 * The verdicts the topic profiles have not counted yet: pk 'VERDICT#~new', sk '<entity>#<alert id>', recordedAt. One
 * partition (no entity id holds '~'), so the poll finds them all with one Query, and deletes each once counted.
 */
const PENDING_PK = `${VERDICT_PK_PREFIX}~new`;

export class DynamoVerdictStore implements VerdictStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * One conditional PutItem: a second verdict on the same alert and entity is refused by the condition. Then one
   * PutItem queues it for the topic profiles, after a repeated press too: a press whose queueing failed (the page said
   * so) is queued by the next, and the profile lists the verdicts it counted, so one queued twice counts once.
   */
  async recordVerdict(verdict: Verdict): Promise<'recorded' | 'already-recorded'> {
    const written = await unlessConditionFails(
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `${VERDICT_PK_PREFIX}${verdict.entityId}`,
            sk: verdict.alertId,
            recordedAt: verdict.recordedAt,
            expiresAt: epochSeconds(verdict.recordedAt + VERDICT_TTL_MS),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: PENDING_PK,
          sk: `${verdict.entityId}#${verdict.alertId}`,
          recordedAt: verdict.recordedAt,
          expiresAt: epochSeconds(verdict.recordedAt + VERDICT_TTL_MS),
        },
      }),
    );
    return written === undefined ? 'already-recorded' : 'recorded';
  }

  /** One Query per entity (and per MB of its verdicts). */
  async verdictsFor(entityIds: string[]): Promise<Verdict[]> {
    const verdicts: Verdict[] = [];
    for (const entityId of entityIds) {
      const rows = await queryRows(this.documents, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `${VERDICT_PK_PREFIX}${entityId}` },
      });
      for (const row of rows) verdicts.push({ entityId, alertId: String(row.sk), recordedAt: Number(row.recordedAt) });
    }
    return verdicts;
  }
}

/** `news-alerts feedback --table`: the verdicts and, for the entities asked about, their alerts (ALERT# rows). */
export class DynamoFeedbackSource extends DynamoVerdictStore implements FeedbackSource {
  private readonly table: DynamoTable;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    super(documents, tableName);
    this.table = new DynamoTable(documents, tableName);
  }

  knownAlerts(entityIds: string[]): Promise<KnownAlert[]> {
    return alertsOf(this.table, entityIds);
  }
}

/**
 * The queued verdicts, oldest first, with their alerts' text: 1 Query (eventually consistent: a verdict a moment old is
 * counted by the next poll) and, when there are any, 1 BatchGetItem per 100 of the ALERT# rows.
 */
export async function pendingVerdicts(table: DynamoTable): Promise<PendingVerdict[]> {
  const rows = await queryRows(table.documents, {
    TableName: table.name,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': PENDING_PK },
  });
  const queued: PendingVerdict[] = rows.map((row) => {
    const sk = String(row.sk);
    const cut = sk.indexOf('#');
    return { entityId: sk.slice(0, cut), alertId: sk.slice(cut + 1), recordedAt: Number(row.recordedAt) };
  });
  if (queued.length === 0) return [];
  const texts = await alertTexts(table, queued);
  return withAlertTexts(queued, texts);
}

/** Deletes the queue rows of counted verdicts: 1 BatchWriteItem per 25. */
export function settleVerdicts(table: DynamoTable, verdicts: Verdict[]): Promise<void> {
  return table.deleteRows(
    verdicts.map((verdict) => ({ pk: PENDING_PK, sk: `${verdict.entityId}#${verdict.alertId}` })),
  );
}
