// What alerts said, kept in the state table per entity: feedback reads an entity's alerts, a verdict its alert's words.
import type { KnownAlert } from '../core/feedback';
import type { AlertedText, ItemRecord } from '../ports';
import { type DynamoTable, queryRows, type Row } from './dynamo-table';

/**
 * Rows: pk 'ALERT#<entity>', sk <alert id>: title, text (the alert's title and summary start, at most 600
 * characters), entities (all the alert named), sentAt, expiresAt (the item's TTL). One per entity the alert named,
 * written in the BatchWriteItem that marks the item sent, so keeping them costs no request of its own.
 */
export const ALERT_PK_PREFIX = 'ALERT#';

export function alertRowKey(entityId: string, alertId: string): { pk: string; sk: string } {
  return { pk: `${ALERT_PK_PREFIX}${entityId}`, sk: alertId };
}

/**
 * The rows that keep an alerted item's words; none for an item that carries none. `row` is the item's own row, whose
 * title is already cut to what the table stores, and whose TTL they share.
 */
export function alertRowsOf(
  item: ItemRecord,
  alertId: string,
  now: number,
  row: { title: string; expiresAt: number },
): Row[] {
  const alerted: AlertedText | undefined = item.alerted;
  if (!alerted) return [];
  return alerted.entities.map((entityId) => ({
    ...alertRowKey(entityId, alertId),
    title: row.title,
    text: alerted.text,
    entities: alerted.entities,
    sentAt: now,
    expiresAt: row.expiresAt,
  }));
}

/** The alerts of each entity the table still holds: 1 Query per entity (and per MB of its alerts). */
export async function alertsOf(table: DynamoTable, entityIds: string[]): Promise<KnownAlert[]> {
  const alerts = new Map<string, KnownAlert>();
  for (const entityId of entityIds) {
    const rows = await queryRows(table.documents, {
      TableName: table.name,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `${ALERT_PK_PREFIX}${entityId}` },
    });
    for (const row of rows) alerts.set(String(row.sk), knownAlert(row));
  }
  return [...alerts.values()];
}

/** The text of each of these alerts the table still holds, by alert id: 1 BatchGetItem per 100. */
export async function alertTexts(
  table: DynamoTable,
  wanted: { entityId: string; alertId: string }[],
): Promise<Map<string, string>> {
  const keys = new Map(
    wanted.map(({ entityId, alertId }) => [`${entityId}#${alertId}`, alertRowKey(entityId, alertId)]),
  );
  const rows = await table.readRows([...keys.values()], false);
  return new Map(rows.map((row) => [String(row.sk), String(row.text)]));
}

function knownAlert(row: Row): KnownAlert {
  return {
    alertId: String(row.sk),
    title: String(row.title),
    entities: [...((row.entities as Iterable<string> | undefined) ?? [])],
    text: String(row.text),
  };
}
