// `news-alerts poll`: one poll of the watchlist's feeds with file state, alerts on stdout, a per-feed summary.
import path from 'node:path';
import { ConsoleAlertSink } from '../adapters/console-sink';
import { FileStateStore } from '../adapters/file-state-store';
import { HttpFeedSource } from '../adapters/http-feed-source';
import { lockStateFile } from '../adapters/state-file-lock';
import { systemClock } from '../adapters/system-clock';
import { documentReaderFor } from '../adapters/worker-document-reader';
import { archiveLimits } from '../core/archive';
import { formatConsole } from '../core/format';
import { compileMatcher } from '../core/match';
import type { Alert, FeedConfig, Watchlist } from '../core/types';
import { DEFAULT_SMS_PER_HOUR, type FeedOutcome, type PollPorts, pollFeeds, type StoryJoin } from '../pipeline';
import { startTopicLearning } from '../pipeline/topic-learning';
import type { AlertSink, PublishResult } from '../ports';
import { type CliIo, EXIT } from './io';
import { pollReport } from './poll-report';
import { palette, summaryTable } from './poll-summary';
import { oneLine, truncate } from './terminal-text';
import { snsTopicSink } from './topic-sink';
import { loadWatchlistFrom } from './watchlist-path';

export const DEFAULT_STATE_FILE = '.news-alerts-state.json';

export interface PollCommandOptions {
  watchlist?: string;
  state?: string;
  dryRun: boolean;
  json: boolean;
  /** Print which story each item that did not alert joined, and why. */
  explain: boolean;
  /** Fetch every feed now, whatever its backoff, interval or an earlier 410. */
  force: boolean;
  /** Also publish the alerts to this SNS topic (they are still printed). */
  topicArn?: string;
}

export async function runPoll(io: CliIo, options: PollCommandOptions): Promise<number> {
  const topic = options.topicArn === undefined ? undefined : snsTopicSink(options.topicArn);
  let reading: ReturnType<typeof documentReaderFor> | undefined;
  let unlock: (() => Promise<void>) | undefined;
  try {
    const { watchlist } = loadWatchlistFrom(io, options.watchlist);
    const file = path.resolve(io.cwd, options.state ?? DEFAULT_STATE_FILE);
    // Read only after another poll of this file has saved (a dry run writes nothing, so it waits for none).
    if (!options.dryRun) unlock = await lockStateFile(file);
    const state = new FileStateStore(file, { archive: archiveLimits(watchlist.settings) });
    // A damaged state file stops the run before any fetch, with the file's name (StateFileError -> exit 1).
    await state.listFeeds();
    reading = documentReaderFor(watchlist.feeds.length);
    const outcomes = await pollAndReport(io, watchlist, watchlist.feeds, {
      ports: {
        source: new HttpFeedSource({ addressPolicy: 'any', userAgent: watchlist.settings.userAgent }),
        state,
        clock: systemClock,
        reader: reading.reader,
        // The items read, kept in the state for `news-alerts backtest` (settings.archiveDays: 0 keeps none).
        ...(watchlist.settings.archiveDays !== 0 && { archive: state }),
      },
      delivery: topic?.sink,
      dryRun: options.dryRun,
      json: options.json,
      explain: options.explain,
      force: options.force,
    });
    return exitCodeFor(outcomes);
  } finally {
    await reading?.close();
    topic?.client.destroy();
    await unlock?.();
  }
}

/** Where alerts go besides the terminal: nowhere, unless `poll --topic-arn` gave an SNS topic. */
const NO_DELIVERY: AlertSink = {
  publish: async (alerts) => alerts.map((alert) => ({ alertId: alert.id, ok: true })),
};

/**
 * Polls `feeds` and prints what happened: the alerts (as they are delivered) and a summary, or one JSON object. An
 * alert the delivery sink refused is not printed as sent: it is named on stderr with the reason and counted in the
 * summary, and the pipeline leaves its item unsent for the next poll to retry.
 */
export async function pollAndReport(
  io: CliIo,
  watchlist: Watchlist,
  feeds: FeedConfig[],
  run: {
    ports: Omit<PollPorts, 'sink'>;
    delivery?: AlertSink;
    dryRun: boolean;
    json: boolean;
    explain?: boolean;
    force?: boolean;
  },
): Promise<FeedOutcome[]> {
  const progress = io.stderrIsTty ? new ProgressLine(io.stderr) : undefined;
  const consoleSink = new ConsoleAlertSink(io.stdout);
  const delivery = run.delivery ?? NO_DELIVERY;
  const sink: AlertSink = {
    publish: async (alerts) => {
      const results = await delivery.publish(alerts);
      progress?.clear(); // on a terminal, alerts and warnings start on a clean line
      const sent: Alert[] = [];
      const refused: string[] = [];
      alerts.forEach((alert, index) => {
        if (results[index]?.ok) sent.push(alert);
        else refused.push(`${publishFailure(alert, results[index])}\n`);
      });
      // With --json the alerts are part of the one JSON document.
      if (!run.json) await consoleSink.publish(sent);
      for (const line of refused) io.stderr.write(line);
      return results;
    },
  };
  const { state, clock } = run.ports;
  const topics = await startTopicLearning(state, watchlist.entities, compileMatcher(watchlist.entities), clock.now());
  const outcomes = await pollFeeds(
    feeds,
    { ...run.ports, sink },
    {
      matcher: topics.matcher,
      entities: watchlist.entities,
      backfillHours: watchlist.settings.backfillHours,
      dryRun: run.dryRun,
      force: run.force,
      // Alerts that reach a real topic may reach phones: the same SMS storm guard as the deployed poller.
      ...(run.delivery && { smsPerHour: watchlist.settings.smsPerHour ?? DEFAULT_SMS_PER_HOUR }),
      onProgress:
        progress && ((outcome, done, total) => progress.show(`[${done}/${total}] ${outcome.name}: ${outcome.status}`)),
    },
  );
  progress?.clear();
  // The alerts are out: an archive that cannot be written costs `backtest` these items, and the poll nothing else.
  const archiveError =
    outcomes.find((outcome) => outcome.archiveError !== undefined)?.archiveError ??
    (await run.ports.archive?.drain?.().then(
      () => undefined,
      (error: Error) => error.message,
    ));
  if (archiveError !== undefined) io.stderr.write(`news-alerts: items read not archived: ${oneLine(archiveError)}\n`);
  if (!run.dryRun) {
    // What the poll's items taught the topic profiles; a lesson lost here costs nothing but the lesson (and a state
    // file that cannot be saved is reported on every feed already).
    try {
      await topics.save(clock.now());
      await state.flush?.();
    } catch (error) {
      io.stderr.write(`news-alerts: topic profiles not saved: ${oneLine((error as Error).message)}\n`);
    }
  }
  if (run.json) {
    io.stdout.write(`${JSON.stringify(pollReport(outcomes, run.dryRun))}\n`);
  } else {
    if (run.dryRun) printWouldBeAlerts(io, outcomes);
    if (run.explain) printStoryJoins(io, outcomes);
    io.stdout.write(summaryTable(outcomes, run.dryRun, run.ports.clock.now(), palette(io.color === true)));
  }
  return outcomes;
}

/** `news-alerts: not published: "<title>" (NotFound: Topic does not exist); the next poll retries it` */
function publishFailure(alert: Alert, result: PublishResult | undefined): string {
  const reason = result && !result.ok ? result.error : 'no answer from the sink';
  return `news-alerts: not published: "${truncate(oneLine(alert.title), 100)}" (${oneLine(reason)}); the next poll retries it`;
}

/**
 * 0 even when feeds failed (reported, and retried with backoff: a feed's trouble is not the run's); 1 when an alert
 * was left unsent (a cron job must notice; the next poll retries it) or something of our own failed (state file, a bug).
 */
export function exitCodeFor(outcomes: FeedOutcome[]): number {
  const ownFailure = outcomes.some((outcome) => outcome.status === 'error' && outcome.errorCode === undefined);
  const unsent = outcomes.some((outcome) => outcome.failedAlerts > 0);
  return ownFailure || unsent ? EXIT.failed : EXIT.ok;
}

function printWouldBeAlerts(io: CliIo, outcomes: FeedOutcome[]): void {
  const alerts = outcomes.flatMap((outcome) => outcome.alerts);
  io.stdout.write(`Dry run: ${alerts.length} would-be alert(s); nothing was sent or recorded.\n\n`);
  for (const alert of alerts) io.stdout.write(`${formatConsole(alert)}\n\n`);
}

function printStoryJoins(io: CliIo, outcomes: FeedOutcome[]): void {
  const joins = outcomes.flatMap((outcome) => outcome.joined);
  if (joins.length === 0) return;
  io.stdout.write(`${joins.length} item(s) joined a story already alerted (no new alert):\n`);
  for (const join of joins) io.stdout.write(`${explainJoin(join)}\n`);
  io.stdout.write('\n');
}

/** `- "<title>" (NPR) joined "<story>" [st-..]: rare event terms 2.4; shared entities: krebs; terms: digenova 1, sue 0.9` */
export function explainJoin(join: Omit<StoryJoin, 'title'> & { title?: string }): string {
  const item =
    join.title === undefined ? '' : `"${oneLine(join.title)}"${join.publisher ? ` (${oneLine(join.publisher)})` : ''} `;
  return (
    `- ${item}joined "${oneLine(join.storyTitle)}" [${join.storyId}]: ${(join.reason ?? 'evidence').replace(/-/g, ' ')} ` +
    `${join.weight.toFixed(2)}; shared entities: ${join.sharedEntities.join(', ')}; shared terms: ` +
    join.sharedTerms.map((t) => `${t.term} ${t.weight}`).join(', ')
  );
}

/** A single status line rewritten in place on a terminal. */
class ProgressLine {
  constructor(private readonly out: NodeJS.WritableStream) {}

  show(text: string): void {
    this.out.write(`\r\u001b[K${truncate(oneLine(text), 100)}`);
  }

  clear(): void {
    this.out.write('\r\u001b[K');
  }
}
