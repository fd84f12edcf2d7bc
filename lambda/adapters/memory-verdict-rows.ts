// The memory store's verdict rows (verdictRows.record, ...): each recorded once, pending until a profile counts it.
import { VERDICT_TTL_MS, type Verdict, withAlertTexts } from '../core/feedback';
import type { PendingVerdict } from '../ports';
import type { Expiring, StoredItem } from './memory-state-snapshot';

/** Entity id -> alert id -> the verdict's time (ms), expiry, and whether the profiles still have to count it. */
export type VerdictRows = Record<string, Record<string, Expiring<{ recordedAt: number; pending?: boolean }>>>;

/** Records the verdict unless a live one is there; true when it was recorded. */
export function record(rows: VerdictRows, verdict: Verdict): boolean {
  const byAlert = rows[verdict.entityId] ?? {};
  rows[verdict.entityId] = byAlert;
  const known = byAlert[verdict.alertId];
  if (known && known.expiresAt > verdict.recordedAt) return false;
  byAlert[verdict.alertId] = {
    recordedAt: verdict.recordedAt,
    expiresAt: verdict.recordedAt + VERDICT_TTL_MS,
    pending: true,
  };
  return true;
}

export function listed(rows: VerdictRows, entityIds: string[]): Verdict[] {
  return entityIds.flatMap((entityId) =>
    Object.entries(rows[entityId] ?? {}).map(([alertId, row]) => ({ entityId, alertId, recordedAt: row.recordedAt })),
  );
}

/** The pending verdicts, oldest first, each with the text of its alert while an item holds it. */
export function pending(rows: VerdictRows, items: Iterable<StoredItem>): PendingVerdict[] {
  const pending = Object.entries(rows).flatMap(([entityId, byAlert]) =>
    Object.entries(byAlert)
      .filter(([, row]) => row.pending === true)
      .map(([alertId, row]) => ({ entityId, alertId, recordedAt: row.recordedAt })),
  );
  if (pending.length === 0) return [];
  const wanted = new Set(pending.map((verdict) => verdict.alertId));
  const texts = new Map<string, string>();
  for (const item of items) {
    if (item.alertId !== undefined && wanted.has(item.alertId) && item.alerted)
      texts.set(item.alertId, item.alerted.text);
  }
  return withAlertTexts(pending, texts);
}

/** Marks these verdicts counted; true when any was pending. */
export function settle(rows: VerdictRows, verdicts: Verdict[]): boolean {
  let changed = false;
  for (const verdict of verdicts) {
    const row = rows[verdict.entityId]?.[verdict.alertId];
    if (row?.pending) {
      delete row.pending;
      changed = true;
    }
  }
  return changed;
}
