// One DynamoDB table as the state store's parts use it: batched reads and writes that retry what DynamoDB leaves
// unprocessed, and conditional writes whose refusal is an answer, not a failure.
import { setTimeout as sleep } from 'node:timers/promises';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  paginateQuery,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';

export type Row = Record<string, unknown>;

/** Retries of a conditional write (versioned story, held-back SMS count) that another poller raced. */
export const CONDITIONAL_WRITE_ATTEMPTS = 5;
const BATCH_GET_MAX_KEYS = 100;
const BATCH_WRITE_MAX_ITEMS = 25;
const UNPROCESSED_RETRIES = 5;

export class DynamoTable {
  constructor(
    readonly documents: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  /** The rows under `keys` (at most one per key), in any order, in BatchGetItems of 100 keys. */
  async readRows(keys: { pk: string; sk: string }[], consistent: boolean): Promise<Row[]> {
    const rows: Row[] = [];
    for (let start = 0; start < keys.length; start += BATCH_GET_MAX_KEYS) {
      let pending: Row[] | undefined = keys.slice(start, start + BATCH_GET_MAX_KEYS);
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        if (attempt > 0) await this.pauseBeforeRetry(attempt, pending.length);
        const result: BatchGetCommandOutput = await this.documents.send(
          new BatchGetCommand({ RequestItems: { [this.name]: { Keys: pending, ConsistentRead: consistent } } }),
        );
        rows.push(...(result.Responses?.[this.name] ?? []));
        pending = result.UnprocessedKeys?.[this.name]?.Keys;
      }
    }
    return rows;
  }

  /** Puts `rows` in BatchWriteItems of 25, retrying what DynamoDB leaves unprocessed. */
  writeRows(rows: object[]): Promise<void> {
    return this.batchWrite(rows.map((Item) => ({ PutRequest: { Item: Item as Row } })));
  }

  /** Deletes the rows under `keys` in BatchWriteItems of 25 (a key without a row is no error). */
  deleteRows(keys: { pk: string; sk: string }[]): Promise<void> {
    return this.batchWrite(keys.map((Key) => ({ DeleteRequest: { Key } })));
  }

  private async batchWrite(requests: ({ PutRequest: { Item: Row } } | { DeleteRequest: { Key: Row } })[]) {
    for (let start = 0; start < requests.length; start += BATCH_WRITE_MAX_ITEMS) {
      let pending: typeof requests | undefined = requests.slice(start, start + BATCH_WRITE_MAX_ITEMS);
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        if (attempt > 0) await this.pauseBeforeRetry(attempt, pending.length);
        const result = await this.documents.send(new BatchWriteCommand({ RequestItems: { [this.name]: pending } }));
        pending = result.UnprocessedItems?.[this.name] as typeof requests | undefined;
      }
    }
  }

  /** Batch calls return throttled keys as unprocessed instead of failing; back off, and give up as a real error. */
  private async pauseBeforeRetry(attempt: number, unprocessed: number): Promise<void> {
    if (attempt > UNPROCESSED_RETRIES) {
      throw new Error(`DynamoDB left ${unprocessed} request(s) unprocessed in ${this.name} after retries`);
    }
    await sleep(20 * 2 ** attempt);
  }
}

/** Every row a Query matches, page after page (1 request per MB of rows). */
export async function queryRows(documents: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const page of paginateQuery({ client: documents }, input)) rows.push(...(page.Items ?? []));
  return rows;
}

/**
 * The output of a conditional write, or undefined when DynamoDB refused it because its condition did not hold: for
 * these writes that is an answer (taken, changed by another poller), not a failure. Other errors propagate.
 */
export async function unlessConditionFails<Output>(write: Promise<Output>): Promise<Output | undefined> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/** DynamoDB TTL reads whole seconds since the epoch. */
export function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
