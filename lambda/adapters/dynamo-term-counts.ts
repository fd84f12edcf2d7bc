// The term table in DynamoDB: one gzipped row, merged by a read and a write conditional on the row's version.
import { gunzipSync, gzipSync } from 'node:zlib';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mergeTermCounts, type TermCounts } from '../core/term-rarity';

const KEY = { pk: 'TERMS', sk: 'TABLE' };
/** Pollers merging at the same moment retry this often; past it the reading is dropped (words only look rarer). */
const MERGE_ATTEMPTS = 3;

export async function loadTermCounts(documents: DynamoDBDocumentClient, tableName: string) {
  const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: KEY }));
  return Item === undefined ? undefined : decode(Item.counts as Uint8Array);
}

/** Counts `added` into the stored table; false when other pollers kept writing it first. */
export async function addTermCounts(
  documents: DynamoDBDocumentClient,
  tableName: string,
  added: TermCounts,
): Promise<boolean> {
  for (let attempt = 1; attempt <= MERGE_ATTEMPTS; attempt++) {
    const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: KEY, ConsistentRead: true }));
    const version = Item === undefined ? 0 : Number(Item.version);
    const merged = mergeTermCounts(Item === undefined ? undefined : decode(Item.counts as Uint8Array), added);
    try {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...KEY, version: version + 1, counts: gzipSync(JSON.stringify(merged)) },
          ConditionExpression: Item === undefined ? 'attribute_not_exists(pk)' : 'version = :version',
          ...(Item === undefined ? {} : { ExpressionAttributeValues: { ':version': version } }),
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  return false;
}

function decode(bytes: Uint8Array): TermCounts {
  return JSON.parse(gunzipSync(bytes).toString('utf8')) as TermCounts;
}
