// Two `poll` runs on one state file at once (a cron run and a run by hand): the second waits for the first, so each
// item alerts once and neither run's records are lost. The lock itself: test/adapters/state-file-lock.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FeedServer } from '../support/feed-server';
import { runCli } from './run-cli';

const HOUR = 3_600_000;

interface Item {
  guid: string;
  title: string;
  hoursAgo: number;
}

function rss(items: Item[], now = Date.now()): string {
  const entries = items.map(
    (item) =>
      `<item><title>${item.title}</title><guid isPermaLink="false">${item.guid}</guid>` +
      `<link>https://news.example.test/${item.guid}</link>` +
      `<pubDate>${new Date(now - item.hoursAgo * HOUR).toUTCString()}</pubDate></item>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>${entries.join('')}</channel></rss>`;
}

const KREBS: Item = { guid: 'a1', title: 'Chris Krebs testifies to the Senate', hoursAgo: 1 };
const RAFF: Item = { guid: 'n1', title: 'Brad Raffensperger certifies Georgia results', hoursAgo: 0.1 };
const WEATHER: Item = { guid: 'w1', title: 'Sunny spells across the region', hoursAgo: 1 };

/** Lines of a poll's stdout that start an alert (`[Entity] title`). */
const alertLines = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('['));

describe('two polls at once on one state file', () => {
  let server: FeedServer;
  let dir: string;
  // What feed A serves, and how long both feeds wait before answering, decided when a request arrives.
  let feedA = rss([KREBS]);
  let delayMs = 2500;

  beforeEach(async () => {
    feedA = rss([KREBS]);
    delayMs = 2500;
    server = await FeedServer.start({
      routes: {
        '/a.rss': () => ({ body: feedA, delayMs, headers: { 'content-type': 'application/rss+xml' } }),
        '/b.rss': () => ({ body: rss([WEATHER]), delayMs, headers: { 'content-type': 'application/rss+xml' } }),
      },
    });
    dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-concurrent-'));
    writeFileSync(
      path.join(dir, 'watchlist.yaml'),
      `entities:
  - id: krebs
    name: Christopher Krebs
    aliases: [Christopher Krebs, Chris Krebs]
  - id: raffensperger
    name: Brad Raffensperger
    aliases: [Brad Raffensperger]
feeds:
  - url: ${server.url('/a.rss')}
    name: Feed A
  - url: ${server.url('/b.rss')}
    name: Feed B
settings:
  backfillHours: 24
`,
    );
  });

  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const poll = () => runCli(['poll', '--watchlist', 'watchlist.yaml', '--state', 'state.json'], { cwd: dir });

  it('alerts each item once when a run by hand overlaps the cron run, and the next run sends nothing', async () => {
    // The cron run starts; its feeds are slow to answer.
    const cron = poll();
    while (server.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    // Meanwhile a new item is published, and the user runs a poll by hand: it waits for the cron run's save.
    feedA = rss([KREBS, RAFF]);
    delayMs = 0;
    const manual = await poll();
    const cronRun = await cron;
    const next = await poll();

    expect([cronRun.code, manual.code, next.code]).toEqual([0, 0, 0]);
    const all = [cronRun, manual, next].flatMap((run) => alertLines(run.stdout));
    expect({
      krebs: all.filter((line) => line.includes('Chris Krebs')).length,
      raffensperger: all.filter((line) => line.includes('Raffensperger')).length,
      nextRun: alertLines(next.stdout),
    }).toEqual({ krebs: 1, raffensperger: 1, nextRun: [] });
  });
});
