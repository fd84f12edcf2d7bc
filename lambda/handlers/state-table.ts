// The deployed state store, apart from runtime.ts: a function that keeps no state (ops-notify) loads no DynamoDB client.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoStateStore } from '../adapters/dynamo-state-store';
import type { StateStore } from '../ports';

export function dynamoStateStore(tableName: string): StateStore {
  return new DynamoStateStore({ client: new DynamoDBClient({}), tableName });
}
