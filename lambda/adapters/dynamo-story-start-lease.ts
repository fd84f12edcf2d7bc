// Story-start leases on the DynamoDB state table: pollers that found no story for one event take turns starting it.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type DynamoTable, epochSeconds, unlessConditionFails } from './dynamo-table';

const START_LEASE_SK = 'LEASE';
/** How long a story-start lease lasts: far longer than filing one item takes, and a dead poller's soon lapses. */
const START_LEASE_MS = 10_000;
/** How long a poller waits for another's lease before it starts its story anyway. */
const START_LEASE_WAIT_MS = 5_000;

export class StoryStartLeases {
  constructor(private readonly table: DynamoTable) {}

  async whileStartingStory<T>(entityIds: string[], work: () => Promise<T>): Promise<T> {
    const owner = randomUUID();
    const held: string[] = [];
    try {
      // In one order for everyone, so two pollers never each wait for a lease the other holds.
      for (const entityId of [...new Set(entityIds)].sort()) {
        if (await this.takeStartLease(entityId, owner)) held.push(entityId);
      }
      return await work();
    } finally {
      await Promise.all(held.map((entityId) => this.dropStartLease(entityId, owner)));
    }
  }

  /**
   * Takes the lease on starting stories of an entity: a conditional PutItem that succeeds while no other poller holds
   * an unexpired one. Waits (with jittered backoff) at most START_LEASE_WAIT_MS, then goes on without it: a poller
   * that died holding it, or a slow one, costs at worst the extra alert there would be without leases.
   */
  private async takeStartLease(entityId: string, owner: string): Promise<boolean> {
    const deadline = Date.now() + START_LEASE_WAIT_MS;
    for (let attempt = 0; ; attempt += 1) {
      const now = Date.now();
      const taken = await unlessConditionFails(
        this.table.documents.send(
          new PutCommand({
            TableName: this.table.name,
            Item: {
              pk: startLeasePk(entityId),
              sk: START_LEASE_SK,
              owner,
              until: now + START_LEASE_MS,
              expiresAt: epochSeconds(now + START_LEASE_MS) + 3600,
            },
            ConditionExpression: 'attribute_not_exists(pk) OR #until < :now',
            ExpressionAttributeNames: { '#until': 'until' },
            ExpressionAttributeValues: { ':now': now },
          }),
        ),
      );
      if (taken) return true;
      if (Date.now() >= deadline) return false;
      await sleep((10 + Math.random() * 20) * 2 ** Math.min(attempt, 4));
    }
  }

  /**
   * Gives the lease back, if it is still ours (it may have run out and been taken). Best effort: the story is filed by
   * now, and a lease left behind lapses in START_LEASE_MS, so a failed release must not fail the filing.
   */
  private async dropStartLease(entityId: string, owner: string): Promise<void> {
    try {
      await this.table.documents.send(
        new DeleteCommand({
          TableName: this.table.name,
          Key: { pk: startLeasePk(entityId), sk: START_LEASE_SK },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch {
      // Not ours any more, or DynamoDB refused the delete: either way the lease ends by itself.
    }
  }
}

function startLeasePk(entityId: string): string {
  return `START#${entityId}`;
}
