// The per-feed summary table a poll prints: status, counts, why a feed failed or was skipped, and what to try next.
import type { FeedOutcome, FeedSkip } from '../pipeline';
import { oneLine, truncate } from './terminal-text';

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

export type Palette = Record<'green' | 'red' | 'yellow' | 'dim', (text: string) => string>;

const STATUS_COLOURS: Record<FeedOutcome['status'], keyof Palette> = {
  ok: 'green',
  'not-modified': 'dim',
  error: 'red',
  skipped: 'yellow',
};

/** ANSI colours, or none (not a terminal, NO_COLOR). */
export function palette(color: boolean): Palette {
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
  if (outcome.turnedOver)
    notes.push('turned over since the last read: items may have rolled off unread (poll more often)');
  return notes.join('; ');
}

/** Why a feed was not fetched, and when it will be. */
function skipNote(skip: FeedSkip, url: string, now: number): string {
  switch (skip.reason) {
    case 'gone':
      return `gone (410): tried again at ${timeFromNow(skip.until, now)}; remove it from the watchlist if it is gone for good`;
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
