// Starts an in-process dynalite on 127.0.0.1 and creates the state table through the real DynamoDB client.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FAKE_AWS } from './fake-aws';

// dynalite ships no types: a factory returning a node http.Server.
const dynalite: (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server =
  require('dynalite');

export interface LocalDynamo {
  endpoint: string;
  /** A client for the local endpoint; destroyed by stop(). */
  client: DynamoDBClient;
  /** Creates a table with the state table's key schema (pk, sk) and returns its name. */
  createStateTable(name?: string): Promise<string>;
  stop(): Promise<void>;
}

let tableCounter = 0;

export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ ...FAKE_AWS, endpoint });
  return {
    endpoint,
    client,
    createStateTable: (name) => createStateTable(client, name ?? `news-alerts-state-${++tableCounter}`),
    async stop() {
      client.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** The key schema of the deployed state table: partition key pk (S), sort key sk (S), on-demand. */
export async function createStateTable(client: DynamoDBClient, tableName: string): Promise<string> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return tableName;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
