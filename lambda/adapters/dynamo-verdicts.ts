// VerdictStore on the state table: one row per entity and alert, written once by a conditional PutItem.

import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { VERDICT_TTL_MS, type Verdict } from '../core/feedback';
import type { VerdictStore } from '../ports';
import { epochSeconds, unlessConditionFails } from './dynamo-table';

/**
 * Rows: pk 'VERDICT#<entity>', sk <alert id>, recordedAt (ms), expiresAt (TTL, recordedAt + a year). The verdict
 * function's role may put only rows whose partition key starts with VERDICT# (dynamodb:LeadingKeys), so this prefix is
 * also the boundary of what a leaked link could ever write.
 */
export const VERDICT_PK_PREFIX = 'VERDICT#';

export class DynamoVerdictStore implements VerdictStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** One conditional PutItem: a second verdict on the same alert and entity is refused by the condition. */
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
    return written === undefined ? 'already-recorded' : 'recorded';
  }

  /** One Query per entity (and per MB of its verdicts). */
  async verdictsFor(entityIds: string[]): Promise<Verdict[]> {
    const verdicts: Verdict[] = [];
    for (const entityId of entityIds) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await this.documents.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `${VERDICT_PK_PREFIX}${entityId}` },
            ExclusiveStartKey: start,
          }),
        );
        for (const row of page.Items ?? []) {
          verdicts.push({ entityId, alertId: String(row.sk), recordedAt: Number(row.recordedAt) });
        }
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
    }
    return verdicts;
  }
}
