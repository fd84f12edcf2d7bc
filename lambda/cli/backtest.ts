// `news-alerts backtest`: replays the items read through the current watchlist and a new one; prints what changes.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { FileStateStore } from '../adapters/file-state-store';
import { MemoryStateStore } from '../adapters/memory-state-store';
import { type S3ArchiveLocation, S3ArchiveReader } from '../adapters/s3-item-archive';
import { firstReads, parseDuration } from '../core/archive';
import { type BacktestResult, compareAlerts } from '../core/backtest';
import { formatConsole } from '../core/format';
import { compileMatcher } from '../core/match';
import type { Alert, Watchlist } from '../core/types';
import { replayArchive } from '../pipeline/replay';
import { startTopicLearning } from '../pipeline/topic-learning';
import type { ArchiveSource, Clock, TopicStore } from '../ports';
import { type CliIo, EXIT, UsageError } from './io';
import { DEFAULT_STATE_FILE } from './poll';
import { loadWatchlistFrom } from './watchlist-path';

export interface BacktestCommandOptions {
  /** The watchlist to try. */
  watchlist?: string;
  /** The watchlist in use (default: the packaged one, as poll uses it). */
  current?: string;
  state?: string;
  archive?: string;
  since?: string;
  json: boolean;
  clock: Clock;
}

const DEFAULT_SINCE = '7d';

export async function runBacktest(io: CliIo, options: BacktestCommandOptions): Promise<number> {
  if (options.watchlist === undefined) throw new UsageError('--watchlist is required: the watchlist to try');
  if (options.state !== undefined && options.archive !== undefined) {
    throw new UsageError('--state and --archive name two archives: give one');
  }
  const sinceMs = parseDuration(options.since ?? DEFAULT_SINCE);
  if (sinceMs === undefined) throw new UsageError(`--since "${options.since}" is not a duration like 7d, 36h or 90m`);
  const location = options.archive === undefined ? undefined : s3Location(options.archive);
  const next = loadWatchlistFrom(io, options.watchlist);
  const current = loadWatchlistFrom(io, options.current);

  const since = options.clock.now() - sinceMs;
  const { source, topics, described, close } = openArchive(io, options, location);
  try {
    const entries = firstReads(await source.archivedItems(since), since);
    const replay = async (watchlist: Watchlist) => {
      const state = new MemoryStateStore();
      const learning = await startTopicLearning(
        topics ?? state,
        watchlist.entities,
        compileMatcher(watchlist.entities),
        options.clock.now(),
      );
      return replayArchive(entries, state, {
        matcher: learning.matcher,
        entities: watchlist.entities,
        backfillHours: watchlist.settings.backfillHours,
      });
    };
    const result = compareAlerts(await replay(current.watchlist), await replay(next.watchlist));
    if (options.json) io.stdout.write(`${JSON.stringify(backtestJson(result, entries.length))}\n`);
    else io.stdout.write(backtestText(result, { items: entries.length, since, described, next: next.file }));
    return EXIT.ok;
  } finally {
    close();
  }
}

/** The archive to read: the state file's (with its learned topic profiles) or an S3 prefix the poll function wrote. */
function openArchive(
  io: CliIo,
  options: BacktestCommandOptions,
  location: S3ArchiveLocation | undefined,
): { source: ArchiveSource; topics?: TopicStore; described: string; close: () => void } {
  if (location !== undefined) {
    // The SDK honours AWS_ENDPOINT_URL_S3 (a local emulator), which serves buckets by path, not by host name.
    const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
    const client = new S3Client({ forcePathStyle: endpoint !== undefined });
    return {
      source: new S3ArchiveReader(client, location),
      described: `s3://${location.bucket}/${location.prefix}`,
      close: () => client.destroy(),
    };
  }
  const file = path.resolve(io.cwd, options.state ?? DEFAULT_STATE_FILE);
  if (!existsSync(file)) throw new Error(`no state file at ${file}: run news-alerts poll first, or give --state`);
  // Read, never written: the replays run on stores of their own.
  const state = new FileStateStore(file);
  return { source: state, topics: state, described: file, close: () => undefined };
}

function s3Location(text: string): S3ArchiveLocation {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(text);
  if (!match) throw new UsageError(`--archive "${text}" is not an S3 location (s3://bucket/prefix)`);
  return { bucket: match[1]!, prefix: (match[2] ?? '').replace(/\/+$/, '') };
}

function alertJson(alert: Alert) {
  return {
    title: alert.title,
    link: alert.link ?? null,
    entities: alert.entities,
    feed: alert.feed,
    publishedAt: alert.publishedAt === undefined ? null : new Date(alert.publishedAt).toISOString(),
    evidence: alert.evidence.map((evidence) => ({
      entityId: evidence.entityId,
      phrase: evidence.phrase,
      field: evidence.field,
      snippet: evidence.snippet,
      ...(evidence.context !== undefined && { context: evidence.context }),
    })),
  };
}

function backtestJson(result: BacktestResult, items: number) {
  return {
    added: result.added.map(alertJson),
    dropped: result.dropped.map(alertJson),
    unchanged: result.unchanged,
    items,
  };
}

function backtestText(
  result: BacktestResult,
  run: { items: number; since: number; described: string; next: string },
): string {
  const when = new Date(run.since).toISOString().slice(0, 16).replace('T', ' ');
  const lines = [
    `Replayed ${run.items} item(s) read since ${when} UTC (${run.described}) through the current watchlist and ` +
      `${run.next}: ${result.added.length} alert(s) added, ${result.dropped.length} dropped, ` +
      `${result.unchanged} unchanged. Nothing was sent or written.`,
    '',
  ];
  for (const [sign, label, alerts] of [
    ['+', 'Added', result.added],
    ['-', 'Dropped', result.dropped],
  ] as const) {
    if (alerts.length === 0) continue;
    lines.push(`${label}:`);
    for (const alert of alerts) lines.push(`${sign} ${formatConsole(alert).split('\n').join('\n  ')}`, '');
  }
  return `${lines.join('\n')}\n`;
}
