// `news-alerts poll`: one poll of the watchlist's feeds with file state, alerts on stdout, a per-feed summary.
import path from 'node:path';
import { ConsoleAlertSink } from '../adapters/console-sink';
import { FileStateStore } from '../adapters/file-state-store';
import { HttpFeedSource } from '../adapters/http-feed-source';
import { systemClock } from '../adapters/system-clock';
import { documentReaderFor } from '../adapters/worker-document-reader';
import { formatConsole } from '../core/format';
import { compileMatcher } from '../core/match';
import type { Alert, FeedConfig, Watchlist } from '../core/types';
import {
  DEFAULT_SMS_PER_HOUR,
  type FeedOutcome,
  type FeedSkip,
  type PollPorts,
  pollFeeds,
  type StoryJoin,
} from '../pipeline';
import { startTopicLearning } from '../pipeline/topic-learning';
import type { AlertSink, PublishResult } from '../ports';
import { type CliIo, EXIT } from './io';
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
  try {
    const { watchlist } = loadWatchlistFrom(io, options.watchlist);
    const state = new FileStateStore(path.resolve(io.cwd, options.state ?? DEFAULT_STATE_FILE));
    // A damaged state file stops the run before any fetch, with the file's name (StateFileError -> exit 1).
    await state.listFeeds();
    reading = documentReaderFor(watchlist.feeds.length);
    const outcomes = await pollAndReport(io, watchlist, watchlist.feeds, {
      ports: {
        source: new HttpFeedSource({ addressPolicy: 'any', userAgent: watchlist.settings.userAgent }),
        state,
        clock: systemClock,
        reader: reading.reader,
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

/** The `poll --json` document: the fields DESIGN.md promises, and a few more. */
export function pollReport(outcomes: FeedOutcome[], dryRun: boolean) {
  return {
    dryRun,
    feeds: outcomes.map((outcome) => ({
      url: outcome.url,
      name: outcome.name,
      status: outcome.status,
      items: outcome.items,
      matches: outcome.matches,
      alerts: outcome.alerts.length,
      failedAlerts: outcome.failedAlerts,
      backfilled: outcome.backfilled,
      joined: outcome.joined.length,
      ...(outcome.error === undefined ? {} : { error: outcome.error, errorCode: outcome.errorCode ?? 'internal' }),
      ...(outcome.skip && skipJson(outcome.skip)),
    })),
    alerts: outcomes.flatMap((outcome) => outcome.alerts.map(alertJson)),
    /** Matching items recorded on a story already alerted instead of alerting, with why. */
    joined: outcomes.flatMap((outcome) => outcome.joined),
  };
}

/** Why a feed was skipped: `skipReason`, and when it will be polled again (ISO) or the failures that led here. */
function skipJson(skip: FeedSkip) {
  switch (skip.reason) {
    case 'gone':
      return { skipReason: skip.reason, lastError: skip.lastError ?? null };
    case 'backing-off':
      return {
        skipReason: skip.reason,
        nextAttemptAt: new Date(skip.until).toISOString(),
        consecutiveFailures: skip.failures,
        lastError: skip.lastError ?? null,
      };
    case 'not-due':
      return { skipReason: skip.reason, nextAttemptAt: new Date(skip.until).toISOString() };
  }
}

function alertJson(alert: Alert) {
  return {
    id: alert.id,
    entities: alert.entities,
    entityNames: alert.entityNames,
    title: alert.title,
    link: alert.link ?? null,
    feed: alert.feed,
    feedUrl: alert.feedUrl,
    publisher: alert.publisher ?? null,
    publishedAt: alert.publishedAt === undefined ? null : new Date(alert.publishedAt).toISOString(),
    summary: alert.summary,
    evidence: alert.evidence,
    storyId: alert.storyId ?? null,
    followUp: alert.followUp
      ? { title: alert.followUp.title, firstSeenAt: new Date(alert.followUp.firstSeenAt).toISOString() }
      : null,
    partOf: alert.partOf
      ? { title: alert.partOf.title, firstSeenAt: new Date(alert.partOf.firstSeenAt).toISOString() }
      : null,
    alsoIn: alert.alsoIn ?? [],
  };
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

const STATUS_WORDS: Record<FeedOutcome['status'], string> = {
  ok: 'ok',
  'not-modified': '304 unchanged',
  error: 'ERROR',
  skipped: 'skipped',
};

/** One row per feed (status, items, matches, alerts, what went wrong or why it was skipped) and a totals line. */
export function summaryTable(
  outcomes: FeedOutcome[],
  dryRun: boolean,
  now: number,
  paint: Palette = palette(false),
): string {
  const fetched = (outcome: FeedOutcome, value: number) => (outcome.status === 'ok' ? String(value) : '-');
  const rows = outcomes.map((outcome) => [
    truncate(oneLine(outcome.name), 40),
    STATUS_WORDS[outcome.status],
    fetched(outcome, outcome.items),
    fetched(outcome, outcome.matches),
    fetched(outcome, outcome.alerts.length),
    oneLine(note(outcome, now)),
  ]);
  const header = ['feed', 'status', 'items', 'matches', dryRun ? 'would alert' : 'alerts', 'note'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const numeric = new Set([2, 3, 4]);
  const render = (cells: string[], colour?: (text: string) => string) =>
    cells
      .map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .map((cell, column) => (column === 1 && colour ? colour(cell) : cell))
      .join('  ')
      .trimEnd();
  const statusColour = (outcome: FeedOutcome) => paint[STATUS_COLOURS[outcome.status]];
  const count = (status: FeedOutcome['status']) => outcomes.filter((outcome) => outcome.status === status).length;
  const alerts = outcomes.reduce((sum, outcome) => sum + outcome.alerts.length, 0);
  const totals =
    `${outcomes.length} feed(s): ${count('ok')} ok, ${count('not-modified')} unchanged (304), ` +
    `${count('error')} failed, ${skippedCounts(outcomes)}; ${alerts} ${dryRun ? 'would-be ' : 'new '}alert(s).`;
  const failedAlerts = outcomes.reduce((sum, outcome) => sum + outcome.failedAlerts, 0);
  const failures =
    failedAlerts > 0
      ? `${paint.red(`${failedAlerts} alert(s) failed to publish; they will be retried on the next poll.`)}\n`
      : '';
  const lines = [render(header), ...rows.map((row, index) => render(row, statusColour(outcomes[index]!)))];
  return `${lines.join('\n')}\n${totals}\n${failures}${hint(outcomes)}`;
}

type Palette = Record<'green' | 'red' | 'yellow' | 'dim', (text: string) => string>;

const STATUS_COLOURS: Record<FeedOutcome['status'], keyof Palette> = {
  ok: 'green',
  'not-modified': 'dim',
  error: 'red',
  skipped: 'yellow',
};

/** ANSI colours, or none (not a terminal, NO_COLOR). */
function palette(color: boolean): Palette {
  const sgr = (open: number, close: number) => (text: string) =>
    color ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return { green: sgr(32, 39), red: sgr(31, 39), yellow: sgr(33, 39), dim: sgr(2, 22) };
}

/** `3 skipped (2 backing off, 1 not due)` */
function skippedCounts(outcomes: FeedOutcome[]): string {
  const reasons = new Map<string, number>();
  for (const { skip } of outcomes)
    if (skip) reasons.set(SKIP_WORDS[skip.reason], (reasons.get(SKIP_WORDS[skip.reason]) ?? 0) + 1);
  const total = [...reasons.values()].reduce((sum, n) => sum + n, 0);
  const detail = [...reasons].map(([words, n]) => `${n} ${words}`).join(', ');
  return `${total} skipped${total > 0 ? ` (${detail})` : ''}`;
}

const SKIP_WORDS: Record<FeedSkip['reason'], string> = {
  'backing-off': 'backing off',
  'not-due': 'not due',
  gone: 'gone',
};

/** What to try next when the poll reached nothing: the demo when offline, --force when every feed was held back. */
function hint(outcomes: FeedOutcome[]): string {
  if (outcomes.length === 0) return '';
  if (outcomes.every((outcome) => outcome.errorCode === 'network')) {
    return 'No feed could be reached. Offline? `npx news-alerts demo` runs on bundled sample feeds.\n';
  }
  if (outcomes.every((outcome) => outcome.skip?.reason === 'backing-off')) {
    return 'All feeds are backing off after failures; `npx news-alerts poll --force` polls them now.\n';
  }
  if (outcomes.every((outcome) => outcome.skip !== undefined)) {
    return 'No feed was due; `npx news-alerts poll --force` polls every feed now.\n';
  }
  return '';
}

function note(outcome: FeedOutcome, now: number): string {
  if (outcome.error !== undefined) return withoutFeedUrl(outcome.error, outcome.url);
  if (outcome.skip) return skipNote(outcome.skip, outcome.url, now);
  const notes: string[] = [];
  if (outcome.backfilled > 0) notes.push(`${outcome.backfilled} older match(es) recorded without alert (first poll)`);
  if (outcome.joined.length > 0) notes.push(`${outcome.joined.length} joined a story already alerted`);
  if (outcome.failedAlerts > 0) notes.push(`${outcome.failedAlerts} alert(s) failed, retried next poll`);
  return notes.join('; ');
}

/** Why a feed was not fetched, and when it will be. */
function skipNote(skip: FeedSkip, url: string, now: number): string {
  switch (skip.reason) {
    case 'gone':
      return 'gone (410): remove it from the watchlist (`poll --force` tries it again)';
    case 'backing-off': {
      const failures = `${skip.failures} failure${skip.failures === 1 ? '' : 's'}`;
      const lastError = skip.lastError === undefined ? '' : `: ${withoutFeedUrl(skip.lastError, url)}`;
      return `backing off until ${timeFromNow(skip.until, now)} after ${failures}${lastError}`;
    }
    case 'not-due':
      return `not due until ${timeFromNow(skip.until, now)} (every ${duration(skip.intervalMinutes * 60_000)})`;
  }
}

/**
 * The table names the feed already: `network: https://feed/url: could not resolve host` -> `network: could not
 * resolve host` (a redirect keeps its `(redirected to ...)`).
 */
function withoutFeedUrl(message: string, url: string): string {
  return message.replace(`${url}: `, '').replace(`${url} (redirected`, '(redirected');
}

/** `11:32 UTC (in 5 min)`, with the day when it is not today: `26 Nov 02:10 UTC (in 14 h)`. */
function timeFromNow(at: number, now: number): string {
  const iso = new Date(at).toISOString();
  const sameDay = iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  const day = sameDay
    ? ''
    : `${new Date(at).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })} `;
  return `${day}${iso.slice(11, 16)} UTC (in ${duration(at - now)})`;
}

/** `under a minute`, `5 min`, `2 h`, `1 h 40 min`, `3 days` (minutes rounded up: "in 5 min" is never early). */
function duration(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) {
    const rest = minutes % 60;
    return `${Math.floor(minutes / 60)} h${rest > 0 ? ` ${rest} min` : ''}`;
  }
  return `${Math.round(minutes / (24 * 60))} days`;
}

/** Feed names and server messages end up in a terminal: no control characters, one line. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
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
