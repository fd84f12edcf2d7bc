// Topic profiles in DynamoDB: one row per entity, saved on condition it is still the one the poller learned onto.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LearnedTopic } from '../core/topic-profile';
import { epochSeconds, queryRows } from './dynamo-table';

const TOPIC_PK = 'TOPIC';
/** A profile no poll saved for a year belongs to an entity the watchlist no longer has. */
const TOPIC_TTL_MS = 365 * 86_400_000;

/** Every entity's profile: 1 Query (eventually consistent: a profile a moment old decides as well). */
export async function loadTopics(documents: DynamoDBDocumentClient, tableName: string): Promise<LearnedTopic[]> {
  const rows = await queryRows(documents, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :topic',
    ExpressionAttributeValues: { ':topic': TOPIC_PK },
  });
  return rows.map((row) => JSON.parse(String(row.profile)) as LearnedTopic);
}

/** 1 PutItem on condition that updatedAt is still `basedOn`; false when another poller saved first. */
export async function saveTopic(
  documents: DynamoDBDocumentClient,
  tableName: string,
  profile: LearnedTopic,
  basedOn: number | undefined,
): Promise<boolean> {
  // One string attribute: a map of 300 terms would cost its attribute names in every read and write.
  const row = {
    pk: TOPIC_PK,
    sk: profile.entityId,
    updatedAt: profile.updatedAt,
    profile: JSON.stringify(profile),
    expiresAt: epochSeconds(profile.updatedAt + TOPIC_TTL_MS),
  };
  try {
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: row,
        ...(basedOn === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'updatedAt = :based', ExpressionAttributeValues: { ':based': basedOn } }),
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
