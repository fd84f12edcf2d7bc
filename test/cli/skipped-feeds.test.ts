// `news-alerts poll` after failures: a skipped feed says why and until when, and `poll --force` polls it now.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileStateStore } from '../../lambda/adapters/file-state-store';
import { FeedServer } from '../support/feed-server';
import { runCli, watchlistYaml } from './run-cli';

function rss(guid: string, title: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>
<item><title>${title}</title><guid>${guid}</guid><link>https://news.example.test/${guid}</link>
<pubDate>${new Date().toUTCString()}</pubDate></item></channel></rss>`;
}
const KREBS_FIRED = 'Trump fires US election security official Christopher Krebs';
const RSS_HEADERS = { 'content-type': 'application/rss+xml; charset=utf-8' };

/** A pattern for the time the summary prints: `HH:MM UTC`, after the day when that is not today (`26 Nov `). */
function utcTime(ms: number): string {
  return `(\\d+ \\w+ )?${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

/** A loopback port nothing listens on: connecting is refused, as when a laptop is offline. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The summary row of one feed. */
function row(stdout: string, name: string): string {
  return stdout.split('\n').find((line) => line.startsWith(`${name} `)) ?? `(no row for ${name})`;
}

describe('news-alerts poll: skipped feeds', () => {
  let server: FeedServer;
  let dir: string;

  beforeEach(async () => {
    server = await FeedServer.start();
    dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-skip-'));
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says why each feed is skipped and until when; --force polls them all now, gone ones too', async () => {
    server.route('/bbc.rss', { status: 503, body: 'down for maintenance' });
    server.route('/old.rss', { status: 410, body: 'gone' });
    server.route('/npr.rss', {
      headers: RSS_HEADERS,
      body: rss('npr-1', 'Chris Krebs, ex-CISA chief, joins Stanford Internet Observatory'),
    });
    const feeds = [
      { url: server.url('/bbc.rss'), name: 'BBC US' },
      { url: server.url('/old.rss'), name: 'Old feed' },
      { url: server.url('/npr.rss'), name: 'NPR Politics', intervalMinutes: 15 },
    ];
    writeFileSync(path.join(dir, 'watchlist.yaml'), watchlistYaml(feeds));
    const poll = (...flags: string[]) => runCli(['poll', '--watchlist', 'watchlist.yaml', ...flags], { cwd: dir });

    const first = await poll();
    expect(first.code).toBe(0);
    expect(row(first.stdout, 'BBC US')).toMatch(/ERROR .*http-status: HTTP 503/);
    // The table names the feed; its URL is not repeated in the note.
    expect(row(first.stdout, 'BBC US')).not.toContain(feeds[0]!.url);

    const state = new FileStateStore(path.join(dir, '.news-alerts-state.json'));
    const bbc = await state.getFeed(feeds[0]!.url);
    const npr = await state.getFeed(feeds[2]!.url);

    server.route('/bbc.rss', { headers: RSS_HEADERS, body: rss('bbc-54982360', KREBS_FIRED) });
    const second = await poll();
    expect(second.code).toBe(0);
    expect(row(second.stdout, 'BBC US')).toMatch(
      new RegExp(
        `skipped +- +- +- +backing off until ${utcTime(bbc!.nextAttemptAt!)} \\(in \\d+ min\\) after 1 failure: ` +
          'http-status: HTTP 503',
      ),
    );
    expect(row(second.stdout, 'Old feed')).toMatch(
      /skipped .* gone \(410\): tried again at .*; remove it from the watchlist if it is gone for good/,
    );
    expect(row(second.stdout, 'NPR Politics')).toMatch(
      new RegExp(
        `skipped .* not due until ${utcTime(npr!.lastAttemptAt! + 15 * 60_000)} \\(in \\d+ min\\) \\(every 15 min\\)`,
      ),
    );
    expect(second.stdout).toContain('3 skipped (1 backing off, 1 gone, 1 not due)');
    expect(second.stdout).toContain('No feed was due; `npx news-alerts poll --force` polls every feed now.');
    expect(server.requestsTo('/bbc.rss')).toHaveLength(1);

    const forced = await poll('--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(KREBS_FIRED);
    expect(row(forced.stdout, 'BBC US')).toMatch(/ok +1 +1 +1/);
    expect(row(forced.stdout, 'Old feed')).toMatch(/ERROR .*gone: HTTP 410/);
    expect(row(forced.stdout, 'NPR Politics')).toMatch(/ok +1 +1 +0/);
    expect(server.requestsTo('/bbc.rss')).toHaveLength(2);
    expect(server.requestsTo('/old.rss')).toHaveLength(2);
    expect(server.requestsTo('/npr.rss')).toHaveLength(2);
  });

  it('--json gives each skipped feed its reason, next attempt and last error', async () => {
    server.route('/bbc.rss', { status: 503 });
    const url = server.url('/bbc.rss');
    writeFileSync(path.join(dir, 'watchlist.yaml'), watchlistYaml([{ url, name: 'BBC US' }]));
    await runCli(['poll', '--watchlist', 'watchlist.yaml'], { cwd: dir });
    const bbc = await new FileStateStore(path.join(dir, '.news-alerts-state.json')).getFeed(url);

    const result = await runCli(['poll', '--watchlist', 'watchlist.yaml', '--json'], { cwd: dir });
    expect(JSON.parse(result.stdout).feeds).toEqual([
      {
        url,
        name: 'BBC US',
        status: 'skipped',
        items: 0,
        matches: 0,
        alerts: 0,
        failedAlerts: 0,
        backfilled: 0,
        joined: 0,
        skipReason: 'backing-off',
        nextAttemptAt: new Date(bbc!.nextAttemptAt!).toISOString(),
        consecutiveFailures: 1,
        lastError: expect.stringContaining('HTTP 503'),
      },
    ]);
  });

  it('after an offline poll, says every feed is backing off and how to poll them anyway', async () => {
    const port = await closedPort();
    const feeds = ['a', 'b'].map((name) => ({ url: `http://127.0.0.1:${port}/${name}.rss`, name: `Feed ${name}` }));
    writeFileSync(path.join(dir, 'watchlist.yaml'), watchlistYaml(feeds));

    const offline = await runCli(['poll', '--watchlist', 'watchlist.yaml'], { cwd: dir });
    expect(offline.stdout).toContain('No feed could be reached. Offline?');

    const again = await runCli(['poll', '--watchlist', 'watchlist.yaml'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(row(again.stdout, 'Feed a')).toMatch(/backing off until .* after 1 failure: network: connection refused/);
    expect(again.stdout.trimEnd().split('\n').at(-1)).toBe(
      'All feeds are backing off after failures; `npx news-alerts poll --force` polls them now.',
    );
  });
});
