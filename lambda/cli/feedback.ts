// `news-alerts feedback`: the verdicts recorded from alert links, by entity, with a suggested exclude per entity.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { FileStateStore } from '../adapters/file-state-store';
import { type EntityFeedback, summarizeFeedback } from '../core/feedback';
import { type CliIo, EXIT } from './io';
import { DEFAULT_STATE_FILE } from './poll';
import { loadWatchlistFrom } from './watchlist-path';

export interface FeedbackCommandOptions {
  watchlist?: string;
  state?: string;
  json: boolean;
}

export async function runFeedback(io: CliIo, options: FeedbackCommandOptions): Promise<number> {
  const { watchlist } = loadWatchlistFrom(io, options.watchlist);
  const file = path.resolve(io.cwd, options.state ?? DEFAULT_STATE_FILE);
  if (!existsSync(file)) io.stderr.write(`news-alerts feedback: no state file at ${file} yet (run news-alerts poll)\n`);
  const state = new FileStateStore(file);
  const verdicts = await state.verdictsFor(watchlist.entities.map((entity) => entity.id));
  const feedback = summarizeFeedback(verdicts, await state.knownAlerts(), watchlist.entities);
  if (options.json) io.stdout.write(`${JSON.stringify({ entities: feedback.map(feedbackJson) })}\n`);
  else io.stdout.write(feedback.length === 0 ? 'No verdicts recorded.\n' : `${feedback.map(feedbackText).join('\n')}`);
  return EXIT.ok;
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
      `  Suggested exclude, in ${exclude.wrongAlerts} of the wrong alerts and none of the others:`,
      `    entities: - id: ${entity.entityId}`,
      `                excludes: [..., ${JSON.stringify(exclude.phrase)}]`,
    );
  } else {
    lines.push('  No exclude to suggest: no pair of words holding its name is shared by two wrong alerts alone.');
  }
  return `${lines.join('\n')}\n`;
}
