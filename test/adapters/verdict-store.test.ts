// Verdict rows in each store: DynamoDB (dynalite: one conditional PutItem, a Query per entity) and the local state
// file (kept across a reload, as `news-alerts feedback` reads it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoVerdictStore } from '../../lambda/adapters/dynamo-verdicts';
import { FileStateStore } from '../../lambda/adapters/file-state-store';
import { VERDICT_TTL_MS } from '../../lambda/core/feedback';
import type { VerdictStore } from '../../lambda/ports';
import { type LocalDynamo, startDynalite } from '../support/dynalite';

const AT = Date.parse('2026-11-18T12:00:00Z');

/** What every verdict store does: records once per entity and alert, lists by entity. */
async function recordsOncePerEntityAndAlert(store: VerdictStore): Promise<void> {
  expect(await store.recordVerdict({ entityId: 'krebs', alertId: 'a1', recordedAt: AT })).toBe('recorded');
  expect(await store.recordVerdict({ entityId: 'krebs', alertId: 'a1', recordedAt: AT + 60_000 })).toBe(
    'already-recorded',
  );
  expect(await store.recordVerdict({ entityId: 'cisa', alertId: 'a1', recordedAt: AT })).toBe('recorded');
  expect(await store.recordVerdict({ entityId: 'krebs', alertId: 'a2', recordedAt: AT + 1 })).toBe('recorded');
  const krebs = await store.verdictsFor(['krebs']);
  expect(krebs.sort((a, b) => a.recordedAt - b.recordedAt)).toEqual([
    { entityId: 'krebs', alertId: 'a1', recordedAt: AT },
    { entityId: 'krebs', alertId: 'a2', recordedAt: AT + 1 },
  ]);
  expect(await store.verdictsFor(['cisa', 'sterling'])).toEqual([{ entityId: 'cisa', alertId: 'a1', recordedAt: AT }]);
}

describe('DynamoVerdictStore on dynalite', () => {
  let dynamo: LocalDynamo;
  let documents: DynamoDBDocumentClient;
  let tableName: string;

  beforeAll(async () => {
    dynamo = await startDynalite();
    documents = DynamoDBDocumentClient.from(dynamo.client);
    tableName = await dynamo.createStateTable();
  });
  afterAll(() => dynamo.stop());

  it('records a verdict once per entity and alert and lists them by entity', async () => {
    await recordsOncePerEntityAndAlert(new DynamoVerdictStore(documents, tableName));
  });

  it('writes the row under VERDICT#<entity> with the alert as sort key and a TTL a year on; a repeat keeps the first', async () => {
    const { Item } = await documents.send(
      new GetCommand({ TableName: tableName, Key: { pk: 'VERDICT#krebs', sk: 'a1' } }),
    );
    expect(Item).toEqual({
      pk: 'VERDICT#krebs',
      sk: 'a1',
      recordedAt: AT,
      expiresAt: Math.floor((AT + VERDICT_TTL_MS) / 1000),
    });
  });
});

describe('FileStateStore verdicts', () => {
  it('records once, and keeps the verdicts across a reload of the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-verdicts-'));
    try {
      const file = path.join(dir, 'state.json');
      const store = new FileStateStore(file);
      await recordsOncePerEntityAndAlert(store);
      await store.flush();
      const reloaded = new FileStateStore(file);
      expect((await reloaded.verdictsFor(['krebs', 'cisa'])).length).toBe(3);
      expect(await reloaded.recordVerdict({ entityId: 'krebs', alertId: 'a2', recordedAt: AT + 5 })).toBe(
        'already-recorded',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
