// `news-alerts feedback`: the verdicts recorded from alert links, by entity, with suggested edits as a watchlist diff.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoFeedbackSource } from '../adapters/dynamo-verdicts';
import { FileStateStore } from '../adapters/file-state-store';
import { type EntityFeedback, summarizeFeedback } from '../core/feedback';
import { watchlistPatch } from '../core/watchlist-patch';
import type { FeedbackSource } from '../ports';
import { type CliIo, EXIT, UsageError } from './io';
import { DEFAULT_STATE_FILE } from './poll';
import { loadWatchlistFrom } from './watchlist-path';

export interface FeedbackCommandOptions {
  watchlist?: string;
  state?: string;
  /** The deployed state table, read through the AWS SDK's usual environment (region, credentials, endpoint). */
  table?: string;
  json: boolean;
}

export async function runFeedback(io: CliIo, options: FeedbackCommandOptions): Promise<number> {
  if (options.state !== undefined && options.table !== undefined) {
    throw new UsageError('--state and --table name two different states: give one');
  }
  const { watchlist, file } = loadWatchlistFrom(io, options.watchlist);
  const client = options.table === undefined ? undefined : new DynamoDBClient({});
  try {
    const source: FeedbackSource =
      client && options.table !== undefined
        ? new DynamoFeedbackSource(DynamoDBDocumentClient.from(client), options.table)
        : localState(io, options.state);
    const verdicts = await source.verdictsFor(watchlist.entities.map((entity) => entity.id));
    const judged = [...new Set(verdicts.map((verdict) => verdict.entityId))];
    const alerts = judged.length === 0 ? [] : await source.knownAlerts(judged);
    const feedback = summarizeFeedback(verdicts, alerts, watchlist.entities);
    const patch = watchlistPatch(
      readFileSync(file, 'utf8'),
      patchPath(io.cwd, file),
      feedback.map((entity) => ({
        entityId: entity.entityId,
        addExclude: entity.suggestedExclude?.phrase,
        dropContext: entity.suggestedContextDrop?.phrase,
      })),
    );
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ entities: feedback.map(feedbackJson), patch: patch ?? null })}\n`);
    } else if (feedback.length === 0) io.stdout.write('No verdicts recorded.\n');
    else {
      io.stdout.write(feedback.map(feedbackText).join('\n'));
      if (patch !== undefined) {
        io.stdout.write(
          `\nThe suggested edits as a diff of ${patchPath(io.cwd, file)} (review it, then apply it from this ` +
            'directory: `news-alerts feedback | git apply`, or `patch -p1`):\n\n',
        );
        io.stdout.write(patch);
      }
    }
    return EXIT.ok;
  } catch (error) {
    if (client && /region is missing/i.test((error as Error).message)) {
      throw new Error('no AWS region for --table: set AWS_REGION (or a region in your AWS profile)');
    }
    throw error;
  } finally {
    client?.destroy();
  }
}

function localState(io: CliIo, state: string | undefined): FeedbackSource {
  const file = path.resolve(io.cwd, state ?? DEFAULT_STATE_FILE);
  if (!existsSync(file)) io.stderr.write(`news-alerts feedback: no state file at ${file} yet (run news-alerts poll)\n`);
  return new FileStateStore(file);
}

/** The watchlist's path as the diff names it: from the working directory, where `git apply` runs. */
function patchPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}

const iso = (time: number) => new Date(time).toISOString();

function feedbackJson(entity: EntityFeedback) {
  return {
    entityId: entity.entityId,
    entityName: entity.entityName,
    alerts: entity.alerts,
    wrongShare: entity.wrongShare ?? null,
    verdicts: entity.verdicts.map((verdict) => ({
      alertId: verdict.alertId,
      recordedAt: iso(verdict.recordedAt),
      title: verdict.title ?? null,
    })),
    suggestedExclude: entity.suggestedExclude ?? null,
    suggestedContextDrop: entity.suggestedContextDrop ?? null,
  };
}

function feedbackText(entity: EntityFeedback): string {
  const count = entity.verdicts.length;
  const share =
    entity.wrongShare === undefined
      ? ''
      : ` (${Math.round(entity.wrongShare * 100)}% of the ${entity.alerts} alert${entity.alerts === 1 ? '' : 's'} the state holds)`;
  const lines = [
    `${entity.entityName} (${entity.entityId}): ${count} alert${count === 1 ? '' : 's'} marked not about it${share}`,
  ];
  for (const verdict of entity.verdicts) {
    const title = verdict.title ?? '(no longer in the state)';
    lines.push(`  ${iso(verdict.recordedAt).slice(0, 16).replace('T', ' ')} UTC  ${title}  [${verdict.alertId}]`);
  }
  const exclude = entity.suggestedExclude;
  if (exclude) {
    lines.push(
      `  Suggested exclude, in ${exclude.wrongAlerts} of the wrong alerts and none of the others: ` +
        `excludes: [..., ${JSON.stringify(exclude.phrase)}]`,
    );
  } else {
    lines.push('  No exclude to suggest: no pair of words holding its name is shared by two wrong alerts alone.');
  }
  const drop = entity.suggestedContextDrop;
  if (drop) {
    lines.push(
      `  Suggested context phrase to drop, in ${drop.wrongAlerts} of the ${count} wrong alerts and ` +
        `${drop.rightAlerts} of the others: ${JSON.stringify(drop.phrase)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
