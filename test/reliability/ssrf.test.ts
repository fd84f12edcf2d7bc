// SSRF through the real pipeline: with the Lambda's public-only policy no feed URL, redirect or DNS answer reaches a
// loopback, private or link-local address (a trap server on 127.0.0.2 counts any that would); the local command,
// on the user's own machine, fetches from loopback; configuration refuses schemes other than http(s).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isPublicAddress } from '../../lambda/adapters/address-guard';
import { MemoryStateStore } from '../../lambda/adapters/memory-state-store';
import { parseFeedJob } from '../../lambda/contract/feed-job';
import type { FeedConfig } from '../../lambda/core/types';
import { parseWatchlist, WatchlistError } from '../../lambda/core/watchlist';
import { type FeedOutcome, pollFeeds } from '../../lambda/pipeline';
import { runCli, watchlistYaml } from '../cli/run-cli';
import { FeedServer } from '../support/feed-server';
import { pollPorts } from '../support/poll-ports';
import { CapturingSink, ManualClock, MINUTE, newsFeed, pollOptions, RSS_HEADERS, T0, testFeedSource } from './harness';

/** A server on 127.0.0.2 (loopback, never allowed in AWS) that records every request that reaches it. */
interface Trap {
  hits: string[];
  server: Server;
}

async function startTrap(port: number, body: string): Promise<Trap> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(request.url ?? '/');
    response.writeHead(200, RSS_HEADERS).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.2', () => resolve());
  });
  return { hits, server };
}

/** The Lambda's rule, with the test server on 127.0.0.1 standing in for a public web server. */
const publicOrStandIn = (ip: string) => ip === '127.0.0.1' || isPublicAddress(ip);

let standIn: FeedServer;
let trap: Trap;
const healthy = newsFeed('ssrfhealthy', 3, 1);
/** DNS as the tests want it; a name with several answers in turn gives the next one on each lookup. */
let dns: Record<string, string[][]>;
const lookups: string[] = [];
const resolve = async (hostname: string): Promise<string[]> => {
  lookups.push(hostname);
  const answers = dns[hostname];
  if (!answers) throw Object.assign(new Error(`no such host ${hostname}`), { code: 'ENOTFOUND' });
  return (answers.length > 1 ? answers.shift() : answers[0]) ?? [];
};

function cycle(
  feeds: FeedConfig[],
  addressPolicy: 'public-only' | ((ip: string) => boolean),
  clock = new ManualClock(),
) {
  const store = new MemoryStateStore();
  const sink = new CapturingSink();
  const ports = pollPorts({ source: testFeedSource({ addressPolicy, resolve }), state: store, sink, clock });
  return { store, sink, ports, run: () => pollFeeds(feeds, ports, { ...pollOptions(), concurrency: feeds.length }) };
}

const feedsOf = (urls: string[]): FeedConfig[] => urls.map((url, index) => ({ url, name: `feed ${index}` }));

beforeAll(async () => {
  standIn = await FeedServer.start({ routes: { '/feed': { headers: RSS_HEADERS, body: healthy.body } } });
  trap = await startTrap(standIn.port, newsFeed('trapped', 2, 1).body);
  dns = {};
});

afterAll(async () => {
  await standIn.close();
  await new Promise((done) => trap.server.close(done));
});

beforeEach(() => {
  trap.hits.length = 0;
  lookups.length = 0;
});

function expectBlocked(outcome: FeedOutcome | undefined, target: string): void {
  expect(outcome).toMatchObject({ status: 'error', errorCode: 'blocked-address', alerts: [] });
  expect(outcome?.error).toMatch(/^blocked-address: .*is not a public address$/);
  expect(outcome?.error).toContain(target);
}

describe('public-only (the poll Lambda): feed URLs that lead inside are refused before connecting', () => {
  it('IP literals and names resolving to loopback, private, link-local and metadata addresses, IPv6 included', async () => {
    const port = standIn.port;
    dns = {
      localhost: [['127.0.0.1', '::1']],
      'loopback.example.com': [['127.0.0.1']],
      'metadata.example.com': [['169.254.169.254']],
      'mixed.example.com': [['93.184.216.34', '192.168.0.10']],
      'v6.example.com': [['fd00::5']],
    };
    const targets: [url: string, refused: string][] = [
      [`http://127.0.0.1:${port}/feed`, '127.0.0.1'],
      [`http://127.0.0.2:${port}/feed`, '127.0.0.2'],
      [`http://2130706433:${port}/feed`, '127.0.0.1'],
      [`http://[::1]:${port}/feed`, '::1'],
      [`http://[::ffff:127.0.0.2]:${port}/feed`, '::ffff:7f00:2'],
      ['http://10.0.0.1/feed', '10.0.0.1'],
      ['http://172.16.0.1/feed', '172.16.0.1'],
      ['http://172.31.255.254/feed', '172.31.255.254'],
      ['http://192.168.1.1/feed', '192.168.1.1'],
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
      ['http://[fd00::1]/feed', 'fd00::1'],
      ['http://[fe80::1]/feed', 'fe80::1'],
      ['http://[::ffff:169.254.169.254]/', '::ffff:a9fe:a9fe'],
      ['http://[64:ff9b::a9fe:a9fe]/', '64:ff9b::a9fe:a9fe'],
      [`http://localhost:${port}/feed`, 'localhost resolves to 127.0.0.1, ::1'],
      [`http://loopback.example.com:${port}/feed`, 'loopback.example.com resolves to 127.0.0.1'],
      ['http://metadata.example.com/latest/meta-data/', 'metadata.example.com resolves to 169.254.169.254'],
      ['http://mixed.example.com/feed', 'mixed.example.com resolves to 192.168.0.10'],
      ['http://v6.example.com/feed', 'v6.example.com resolves to fd00::5'],
    ];
    const { store, run } = cycle(feedsOf(targets.map(([url]) => url)), 'public-only');
    const outcomes = await run();
    for (const [index, [url, refused]] of targets.entries()) {
      expectBlocked(outcomes[index], refused);
      const state = await store.getFeed(url);
      expect(state).toMatchObject({ consecutiveFailures: 1, lastError: outcomes[index]?.error });
      expect(state?.nextAttemptAt).toBeGreaterThan(T0);
    }
    expect(standIn.requests).toEqual([]);
    expect(trap.hits).toEqual([]);
  });
});

describe('public-only, the 127.0.0.1 server standing in for a public one', () => {
  it('refuses every redirect that leads inside, while the public feed beside them alerts', async () => {
    const port = standIn.port;
    dns = { 'metadata.example.com': [['169.254.169.254']], 'intranet.example.com': [['10.20.30.40']] };
    const redirects: [path: string, location: string, refused: string][] = [
      ['/to-loopback', `http://127.0.0.2:${port}/trap`, '127.0.0.2'],
      ['/to-v6-loopback', `http://[::1]:${port}/trap`, '::1'],
      ['/to-mapped-loopback', `http://[::ffff:127.0.0.2]:${port}/trap`, '::ffff:7f00:2'],
      ['/to-10', 'http://10.1.2.3/admin', '10.1.2.3'],
      ['/to-172', 'http://172.16.9.9/', '172.16.9.9'],
      ['/to-192', 'http://192.168.0.1/', '192.168.0.1'],
      ['/to-metadata', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/', '169.254.169.254'],
      ['/to-mapped-metadata', 'http://[::ffff:169.254.169.254]/latest/meta-data/', '::ffff:a9fe:a9fe'],
      ['/to-ula', 'http://[fd12:3456::1]/', 'fd12:3456::1'],
      ['/to-link-local-v6', 'http://[fe80::1]/', 'fe80::1'],
      ['/to-metadata-name', 'http://metadata.example.com/latest/meta-data/', 'resolves to 169.254.169.254'],
      ['/to-intranet-name', 'http://intranet.example.com/', 'resolves to 10.20.30.40'],
    ];
    for (const [route, location] of redirects) standIn.route(route, { status: 302, headers: { location } });
    const feeds = feedsOf([standIn.url('/feed'), ...redirects.map(([route]) => standIn.url(route))]);
    const { sink, run } = cycle(feeds, publicOrStandIn);
    const outcomes = await run();

    expect(outcomes[0]).toMatchObject({ status: 'ok', failedAlerts: 0 });
    expect(sink.links().sort()).toEqual([...healthy.alertLinks].sort());
    for (const [index, [route, location, refused]] of redirects.entries()) {
      const outcome = outcomes[index + 1];
      expectBlocked(outcome, refused);
      expect(outcome?.error).toContain(`${standIn.url(route)}`);
      expect(outcome?.error).toContain(
        `redirect${location.includes('.example.com') ? 'ed' : ''} to ${new URL(location).href}`,
      );
    }
    expect(trap.hits).toEqual([]);
  });

  it('DNS rebinding between polls: a name that turns internal is refused on the next poll', async () => {
    dns = { 'rebind.example.com': [['127.0.0.1'], ['127.0.0.2']] };
    const url = `http://rebind.example.com:${standIn.port}/feed`;
    const clock = new ManualClock();
    const { sink, store, run } = cycle([{ url, name: 'rebinding' }], publicOrStandIn, clock);

    expect((await run())[0]).toMatchObject({ status: 'ok' });
    expect(sink.published).toHaveLength(healthy.alertLinks.length);
    clock.advance(10 * MINUTE);
    expectBlocked((await run())[0], 'rebind.example.com resolves to 127.0.0.2');
    expect(await store.getFeed(url)).toMatchObject({ consecutiveFailures: 1, lastSuccessAt: T0 });
    expect(trap.hits).toEqual([]);
  });

  it('DNS rebinding within a fetch: each hop is resolved once, checked, and connected to the checked address', async () => {
    dns = { 'flip.example.com': [['127.0.0.1'], ['127.0.0.2'], ['127.0.0.1']] };
    standIn.route('/hop', { status: 302, headers: { location: `http://flip.example.com:${standIn.port}/feed` } });
    const { run } = cycle([{ url: `http://flip.example.com:${standIn.port}/hop`, name: 'flip' }], publicOrStandIn);
    expectBlocked((await run())[0], 'flip.example.com resolves to 127.0.0.2');
    expect(lookups).toEqual(['flip.example.com', 'flip.example.com']);
    expect(trap.hits).toEqual([]);
  });
});

describe('the local command (the user’s own machine)', () => {
  it('polls feeds on 127.0.0.1, redirects to other loopback addresses included', async () => {
    standIn.route('/to-loopback', { status: 302, headers: { location: `http://127.0.0.2:${standIn.port}/trap` } });
    const dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-ssrf-'));
    try {
      const watchlist = path.join(dir, 'watchlist.yaml');
      const feeds = [
        { url: standIn.url('/feed'), name: 'Loopback' },
        { url: standIn.url('/to-loopback'), name: 'Redirected' },
      ];
      writeFileSync(watchlist, watchlistYaml(feeds));
      const args = ['poll', '--watchlist', watchlist, '--state', path.join(dir, 'state.json'), '--json'];
      const result = await runCli(args, { cwd: dir });
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as { feeds: { url: string; status: string }[] };
      expect(report.feeds).toEqual([
        expect.objectContaining({ url: feeds[0]?.url, status: 'ok' }),
        expect.objectContaining({ url: feeds[1]?.url, status: 'ok' }),
      ]);
      expect(trap.hits).toEqual(['/trap']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('configuration: only http(s) feed URLs get in', () => {
  const schemes = [
    'file:///etc/passwd',
    'gopher://127.0.0.1:25/',
    'ftp://files.example.com/feed',
    'javascript:alert(1)',
  ];

  it('the watchlist names every feed URL with another scheme, so synth and the command stop before any fetch', () => {
    const yaml = `entities:\n  - id: krebs\n    name: Christopher Krebs\n    aliases: [Christopher Krebs]\nfeeds:\n${schemes.map((url) => `  - url: "${url}"`).join('\n')}\n  - url: https://news.example.com/feed\n`;
    let error: unknown;
    try {
      parseWatchlist(yaml, 'watchlist.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WatchlistError);
    expect((error as WatchlistError).problems.map(({ path: where, message }) => `${where}: ${message}`)).toEqual(
      schemes.map((url, index) => `feeds[${index}].url: must be an http or https URL (got ${new URL(url).protocol})`),
    );
  });

  it('the poll Lambda refuses a queued job whose feed URL has another scheme', () => {
    for (const url of schemes) {
      expect(() => parseFeedJob(JSON.stringify({ feed: { url, name: 'x' } }))).toThrow(
        'invalid feed job: feed.url: must be an http(s) URL',
      );
    }
  });
});
