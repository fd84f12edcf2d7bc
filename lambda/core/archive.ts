// The archive of items read (for `news-alerts backtest`): one entry's shape, its JSON Lines form, what is dropped first.
import { createHash } from 'node:crypto';
import type { NormalizedItem } from './types';

/** One item as a poll read it. */
export interface ArchivedItem {
  /** The item in its feed (archiveKey): a local archive keeps each item once, as first read. */
  key: string;
  feedUrl: string;
  feedName: string;
  /** When the poll read it, ms since the epoch: the replay's clock. */
  readAt: number;
  item: NormalizedItem;
}

/**
 * An item's key in the archive: its feed and its GUID (else link, else title and date), hashed. Cheaper than the
 * alerting identity (core/identity.ts), which a poll computes for matching items only and the archive would for every
 * item read; a replay files items under that identity all the same.
 */
export function archiveKey(feedUrl: string, item: NormalizedItem): string {
  const id = item.guid ?? item.canonicalLink ?? item.link ?? `${item.title}|${item.publishedAt ?? ''}`;
  return createHash('sha256').update(`${feedUrl}\n${id}`).digest('hex').slice(0, 16);
}

export const DEFAULT_ARCHIVE_DAYS = 14;
export const DEFAULT_ARCHIVE_MEGABYTES = 32;
const DAY_MS = 86_400_000;

export interface ArchiveLimits {
  maxAgeMs: number;
  maxBytes: number;
}

export function archiveLimits(settings: { archiveDays?: number; archiveMegabytes?: number }): ArchiveLimits {
  return {
    maxAgeMs: (settings.archiveDays ?? DEFAULT_ARCHIVE_DAYS) * DAY_MS,
    maxBytes: (settings.archiveMegabytes ?? DEFAULT_ARCHIVE_MEGABYTES) * 1024 * 1024,
  };
}

/** An entry as a store holds it: with the bytes its JSON takes, which the byte bound counts. */
export interface SizedEntry {
  key: string;
  readAt: number;
  bytes: number;
}

export function entryBytes(entry: ArchivedItem): number {
  return Buffer.byteLength(JSON.stringify(entry));
}

/**
 * How many of the oldest entries to drop, and the rule: first every entry read before `now - maxAgeMs`, then the
 * oldest reads until the rest fit in `maxBytes`. The newest items are what a backtest of a recent change needs most.
 * `oldestFirst` in read order; `totalBytes` their sum.
 */
export function entriesToDrop(
  oldestFirst: Iterable<SizedEntry>,
  totalBytes: number,
  now: number,
  limits: ArchiveLimits,
): number {
  let total = totalBytes;
  let drop = 0;
  for (const entry of oldestFirst) {
    if (entry.readAt >= now - limits.maxAgeMs && total <= limits.maxBytes) break;
    drop += 1;
    total -= entry.bytes;
  }
  return drop;
}

export function toJsonLines(entries: readonly ArchivedItem[]): string {
  return entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
}

/** Reads JSON Lines written by toJsonLines; a line that is not an entry is an error naming `source` and the line. */
export function fromJsonLines(text: string, source: string): ArchivedItem[] {
  const entries: ArchivedItem[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new Error(`${source}: line ${index + 1}: not JSON (${(error as Error).message})`);
    }
    if (!isArchivedItem(value)) throw new Error(`${source}: line ${index + 1}: not an archived item`);
    entries.push(value);
  });
  return entries;
}

function isArchivedItem(value: unknown): value is ArchivedItem {
  if (value === null || typeof value !== 'object') return false;
  const entry = value as Partial<ArchivedItem>;
  return (
    typeof entry.key === 'string' &&
    typeof entry.feedUrl === 'string' &&
    typeof entry.feedName === 'string' &&
    typeof entry.readAt === 'number' &&
    typeof entry.item === 'object' &&
    entry.item !== null &&
    typeof entry.item.title === 'string'
  );
}

/** Each item once, as first read, oldest read first: what a replay polls, in the order the polls read it. */
export function firstReads(entries: Iterable<ArchivedItem>, since: number): ArchivedItem[] {
  const first = new Map<string, ArchivedItem>();
  for (const entry of entries) {
    if (entry.readAt < since) continue;
    const known = first.get(entry.key);
    if (known === undefined || entry.readAt < known.readAt) first.set(entry.key, entry);
  }
  return [...first.values()].sort((a, b) => a.readAt - b.readAt || (a.key < b.key ? -1 : 1));
}

/**
 * The S3 key of one batch's object: `<prefix>/YYYY/MM/DD/<ISO time>-<id>.jsonl.gz`, so keys list in time order and a
 * reader can tell a batch's time from its key before fetching it.
 */
export function archiveObjectKey(prefix: string, readAt: number, id: string): string {
  const iso = new Date(readAt).toISOString();
  const day = iso.slice(0, 10).replace(/-/g, '/');
  return `${prefix === '' ? '' : `${prefix.replace(/\/+$/, '')}/`}${day}/${iso}-${id}.jsonl.gz`;
}

/** The read time in a key archiveObjectKey made; undefined for a key it did not make. */
export function archiveObjectTime(key: string): number | undefined {
  const match = /(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)-[^/]*\.jsonl\.gz$/.exec(key);
  return match ? Date.parse(match[1]!) : undefined;
}

/** `7d`, `36h`, `90m` as ms; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,5})([dhm])$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { d: DAY_MS, h: 3_600_000, m: 60_000 }[match[2] as 'd' | 'h' | 'm'];
  return Number(match[1]) * unit;
}
