// The SMS storm guard on the DynamoDB state table: the window's grant times and the held-back count, shared by pollers.
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SMS_WINDOW_MS, smsHeldExpiresAt, smsSlotFree } from '../core/sms-window';
import type { SmsSlot } from '../ports';
import {
  CONDITIONAL_WRITE_ATTEMPTS,
  type DynamoTable,
  epochSeconds,
  type Row,
  unlessConditionFails,
} from './dynamo-table';

const SMS_PK = 'SMS';
const SMS_HELD_SK = 'HELD';

export class DynamoSmsGuard {
  constructor(private readonly table: DynamoTable) {}

  /** `scope`: a window of its own (rows `WINDOW#<limit>#<scope>`, `HELD#<scope>`); none is the unscoped one. */
  async takeSmsSlot(limit: number, now: number, scope?: string): Promise<SmsSlot> {
    const suffix = scope === undefined ? '' : `#${scope}`;
    const heldKey = { pk: SMS_PK, sk: `${SMS_HELD_SK}${suffix}` };
    if (!(limit > 0) || !(await this.takeWindowSlot(limit, now, suffix))) {
      await this.countHeldSms(now, heldKey);
      return { granted: false };
    }
    // Taking the held-back count deletes it in the same request, so each held alert is told by exactly one SMS.
    const { Attributes } = await this.table.documents.send(
      new DeleteCommand({ TableName: this.table.name, Key: heldKey, ReturnValues: 'ALL_OLD' }),
    );
    if (Attributes === undefined || Number(Attributes.expiresAt) <= now / 1000) return { granted: true };
    return { granted: true, heldBefore: { count: Number(Attributes.heldCount), since: Number(Attributes.since) } };
  }

  /**
   * The window row keeps the times of the last `limit` SMS in a ring (s0 .. s<limit-1>); `next` is the slot to
   * overwrite, which holds the oldest of them. A slot is granted when that oldest SMS left the window: fewer than
   * `limit` were sent in the last hour. Read, then a write conditional on `next` not having moved; a lost race reads
   * again. The row is per limit: a changed `smsPerHour` starts a new window.
   */
  private async takeWindowSlot(limit: number, now: number, suffix: string): Promise<boolean> {
    const Key = { pk: SMS_PK, sk: `WINDOW#${limit}${suffix}` };
    for (let attempt = 1; attempt <= CONDITIONAL_WRITE_ATTEMPTS + limit; attempt++) {
      const { Item } = await this.table.documents.send(
        new GetCommand({ TableName: this.table.name, Key, ConsistentRead: true }),
      );
      const next = Item === undefined ? 0 : Number(Item.next);
      if (!smsSlotFree(ringGrants(Item, limit, next), limit, now)) return false;
      const written = await unlessConditionFails(
        this.table.documents.send(
          new UpdateCommand({
            TableName: this.table.name,
            Key,
            UpdateExpression: 'SET #slot = :now, #next = :following, expiresAt = :expiresAt',
            ConditionExpression: Item === undefined ? 'attribute_not_exists(pk)' : '#next = :next',
            ExpressionAttributeNames: { '#slot': `s${next}`, '#next': 'next' },
            ExpressionAttributeValues: {
              ':now': now,
              ':following': (next + 1) % limit,
              ':expiresAt': epochSeconds(now + 2 * SMS_WINDOW_MS),
              ...(Item === undefined ? {} : { ':next': next }),
            },
          }),
        ),
      );
      if (written) return true;
    }
    throw new Error(`SMS window in ${this.table.name} kept changing; gave up`);
  }

  /**
   * One more alert held back: added to the live HELD row, or a fresh row when there is none or it is past its day.
   * Both writes are conditional, so two pollers starting a row at once cannot overwrite each other's count.
   */
  private async countHeldSms(now: number, Key: { pk: string; sk: string }): Promise<void> {
    for (let attempt = 1; attempt <= CONDITIONAL_WRITE_ATTEMPTS; attempt++) {
      const added = await unlessConditionFails(
        this.table.documents.send(
          new UpdateCommand({
            TableName: this.table.name,
            Key,
            UpdateExpression: 'ADD heldCount :one',
            ConditionExpression: 'expiresAt > :now',
            ExpressionAttributeValues: { ':one': 1, ':now': now / 1000 },
          }),
        ),
      );
      if (added) return;
      const started = await unlessConditionFails(
        this.table.documents.send(
          new PutCommand({
            TableName: this.table.name,
            Item: { ...Key, heldCount: 1, since: now, expiresAt: epochSeconds(smsHeldExpiresAt(now)) },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
            ExpressionAttributeValues: { ':now': now / 1000 },
          }),
        ),
      );
      if (started) return;
    }
    throw new Error(`SMS held-back count in ${this.table.name} kept changing; gave up`);
  }
}

/** The grant times in the SMS window row's ring, oldest first: from slot `next` (the oldest) round to the newest. */
function ringGrants(row: Row | undefined, limit: number, next: number): number[] {
  const grants: number[] = [];
  for (let offset = 0; offset < limit; offset++) {
    const at = row?.[`s${(next + offset) % limit}`];
    if (typeof at === 'number') grants.push(at);
  }
  return grants;
}
