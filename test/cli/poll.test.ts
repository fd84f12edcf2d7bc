// `news-alerts poll` run as a user runs it, against feeds served on 127.0.0.1, with a temp watchlist and state file.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../lambda/cli/main';
import { conditionalFeed, FeedServer } from '../support/feed-server';
import { runCli, watchlistYaml } from './run-cli';

const HOUR = 3_600_000;

function rss(items: { guid: string; title: string; link: string; hoursAgo: number; description?: string }[]): string {
  const entries = items.map(
    (item) =>
      `<item><title>${item.title}</title><guid isPermaLink="false">${item.guid}</guid><link>${item.link}</link>` +
      `<description>${item.description ?? ''}</description>` +
      `<pubDate>${new Date(Date.now() - item.hoursAgo * HOUR).toUTCString()}</pubDate></item>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>${entries.join('')}</channel></rss>`;
}

const KREBS_FIRED = {
  guid: 'bbc-54982360',
  title: 'Trump fires US election security official Christopher Krebs',
  link: 'https://www.bbc.co.uk/news/world-us-canada-54982360',
  hoursAgo: 2,
  description: 'The president fired the director of the Cybersecurity and Infrastructure Security Agency.',
};
const BRIAN_KREBS = {
  guid: 'kos-1',
  title: 'Brian Krebs: phishing kits now target election offices',
  link: 'https://krebsonsecurity.example.test/2020/11/kits',
  hoursAgo: 1,
};
const OLD_MATCH = {
  guid: 'bbc-old',
  title: 'Chris Krebs says the election was the most secure in history',
  link: 'https://www.bbc.co.uk/news/old',
  hoursAgo: 72,
};
const NPR_ITEM = {
  guid: 'npr-1',
  title: 'Chris Krebs, ex-CISA chief, joins Stanford Internet Observatory',
  link: 'https://www.npr.example.test/krebs',
  hoursAgo: 1,
};

interface PollJson {
  feeds: {
    url: string;
    name: string;
    status: string;
    items: number;
    matches: number;
    alerts: number;
    error?: string;
  }[];
  alerts: { entities: string[]; title: string; link: string | null; feed: string }[];
}

describe('news-alerts poll', () => {
  let server: FeedServer;
  let dir: string;
  let feeds: { url: string; name: string }[];

  beforeEach(async () => {
    server = await FeedServer.start({
      routes: {
        '/bbc.rss': conditionalFeed(rss([KREBS_FIRED, BRIAN_KREBS, OLD_MATCH]), { etag: '"bbc-v1"' }),
        '/npr.rss': { headers: { 'content-type': 'application/rss+xml' }, body: rss([NPR_ITEM]) },
      },
    });
    dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-cli-'));
    feeds = [
      { url: server.url('/bbc.rss'), name: 'BBC US' },
      { url: server.url('/missing.rss'), name: 'Gone missing' },
      { url: server.url('/npr.rss'), name: 'NPR Politics' },
    ];
    writeFileSync(path.join(dir, 'watchlist.yaml'), watchlistYaml(feeds));
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--json writes one JSON object with every feed and the new alerts; a failed feed is reported, exit 0', async () => {
    const result = await runCli(['poll', '--watchlist', 'watchlist.yaml', '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as PollJson;
    expect(report.feeds).toEqual([
      expect.objectContaining({ url: feeds[0]!.url, name: 'BBC US', status: 'ok', items: 3, matches: 2, alerts: 1 }),
      expect.objectContaining({ url: feeds[1]!.url, status: 'error', error: expect.stringContaining('404') }),
      expect.objectContaining({ url: feeds[2]!.url, status: 'ok', items: 1, matches: 1, alerts: 1 }),
    ]);
    expect(report.alerts).toEqual([
      expect.objectContaining({
        entities: ['krebs', 'cisa'],
        title: KREBS_FIRED.title,
        link: KREBS_FIRED.link,
        feed: 'BBC US',
      }),
      expect.objectContaining({ entities: ['krebs', 'cisa'], title: NPR_ITEM.title, feed: 'NPR Politics' }),
    ]);
    expect(existsSync(path.join(dir, '.news-alerts-state.json'))).toBe(true);

    const again = await runCli(['poll', '--watchlist', 'watchlist.yaml', '--json'], { cwd: dir });
    const second = JSON.parse(again.stdout) as PollJson;
    expect(second.alerts).toEqual([]);
    expect(second.feeds.map((feed) => feed.status)).toEqual(['not-modified', 'skipped', 'ok']);
    expect(server.requestsTo('/bbc.rss').at(-1)?.headers['if-none-match']).toBe('"bbc-v1"');
  });

  it('prints the alerts, then a per-feed summary, and no progress when stderr is not a terminal', async () => {
    const result = await runCli(['poll', '--watchlist', 'watchlist.yaml', '--state', 'my-state.json'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const [alerts, summary] = result.stdout.split(/\n(?=feed +status)/);
    expect(alerts).toContain(KREBS_FIRED.title);
    expect(alerts).toContain(NPR_ITEM.title);
    expect(alerts).not.toContain('Brian Krebs');
    expect(alerts).not.toContain(OLD_MATCH.title);
    expect(summary).toMatch(/BBC US +ok +3 +2 +1 +1 older match\(es\) recorded without alert/);
    expect(summary).toMatch(/Gone missing +ERROR .*404/);
    expect(summary).toContain('3 feed(s): 2 ok, 0 unchanged (304), 1 failed');
    expect(existsSync(path.join(dir, 'my-state.json'))).toBe(true);
  });

  it('--dry-run shows the would-be alerts and leaves no state behind, so the real poll still alerts', async () => {
    const dry = await runCli(['poll', '--watchlist', 'watchlist.yaml', '--dry-run'], { cwd: dir });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run: 2 would-be alert(s)');
    expect(dry.stdout).toContain(KREBS_FIRED.title);
    expect(existsSync(path.join(dir, '.news-alerts-state.json'))).toBe(false);

    const real = await runCli(['poll', '--watchlist', 'watchlist.yaml', '--json'], { cwd: dir });
    expect((JSON.parse(real.stdout) as PollJson).alerts).toHaveLength(2);
  });

  it('resolves relative item links against where a redirected feed was found, not the configured URL', async () => {
    server.route('/old/feed.rss', { status: 301, headers: { location: '/news/rss.xml' } });
    server.route('/news/rss.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss([{ ...KREBS_FIRED, link: '2020/11/krebs-fired.html' }]),
    });
    writeFileSync(path.join(dir, 'moved.yaml'), watchlistYaml([{ url: server.url('/old/feed.rss'), name: 'Moved' }]));
    const result = await runCli(['poll', '--watchlist', 'moved.yaml', '--json'], { cwd: dir });
    expect((JSON.parse(result.stdout) as PollJson).alerts).toEqual([
      expect.objectContaining({ title: KREBS_FIRED.title, link: server.url('/news/2020/11/krebs-fired.html') }),
    ]);
  });

  it('stops with exit 2 and every problem listed for a bad watchlist, before fetching anything', async () => {
    writeFileSync(
      path.join(dir, 'bad.yaml'),
      'entities:\n  - id: Krebs!\n    name: Christopher Krebs\n    aliases: ["  "]\nfeeds:\n  - url: not a url\n',
    );
    const result = await runCli(['poll', '--watchlist', 'bad.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/bad\.yaml: entities\[0\]\.id: /);
    expect(result.stderr).toMatch(/bad\.yaml: entities\[0\]\.aliases\[0\]: must not be empty/);
    expect(result.stderr).toMatch(/bad\.yaml: feeds\[0\]\.url: is not a valid URL/);
    expect(server.requests).toHaveLength(0);
  });

  it('rejects an unknown flag with exit 2 and one line, before fetching anything', async () => {
    const result = await runCli(['poll', '--wachtlist', 'watchlist.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'news-alerts poll: unknown option --wachtlist (did you mean --watchlist?); see `news-alerts poll --help`\n',
    );
    expect(server.requests).toHaveLength(0);
  });

  it('shows progress on stderr when it is a terminal, keeping stdout for the results', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const collect = (stream: PassThrough) => {
      let text = '';
      stream.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      return () => text;
    };
    const [out, err] = [collect(stdout), collect(stderr)];
    const io = { stdin: new PassThrough(), stdout, stderr, stderrIsTty: true, cwd: dir };
    expect(await main(['poll', '--watchlist', 'watchlist.yaml', '--json'], io)).toBe(0);
    expect(err()).toContain('[3/3] ');
    for (const feed of feeds) expect(err()).toContain(`${feed.name}: `);
    expect(JSON.parse(out()).feeds).toHaveLength(3);
  });

  it("sends the watchlist's User-Agent to every feed, so a publisher can tell who is polling", async () => {
    const ua = 'news-alerts/0.1 (+mailto:ops@example.org)';
    writeFileSync(path.join(dir, 'watchlist.yaml'), `${watchlistYaml(feeds)}  userAgent: "${ua}"\n`);
    expect((await runCli(['poll', '--watchlist', 'watchlist.yaml', '--json'], { cwd: dir })).code).toBe(0);
    expect(server.requests.map((request) => request.headers['user-agent'])).toEqual(feeds.map(() => ua));
  });

  it('polls a watchlist large enough to parse on worker threads with the same per-feed results', async () => {
    // 60 feeds (the worker threads start at 50): each has its own matching item, every tenth is not a feed.
    const many = Array.from({ length: 60 }, (_, index) => {
      const route = `/many/${index}.rss`;
      server.route(
        route,
        index % 10 === 9
          ? { headers: { 'content-type': 'text/html' }, body: '<html><body>Moved</body></html>' }
          : {
              headers: { 'content-type': 'application/rss+xml' },
              body: rss([{ ...NPR_ITEM, guid: `many-${index}`, link: `https://www.npr.example.test/krebs/${index}` }]),
            },
      );
      return { url: server.url(route), name: `Feed ${index}` };
    });
    writeFileSync(path.join(dir, 'watchlist.yaml'), watchlistYaml(many));
    const result = await runCli(['poll', '--watchlist', 'watchlist.yaml', '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as PollJson;
    expect(report.feeds).toHaveLength(60);
    report.feeds.forEach((feed, index) => {
      if (index % 10 === 9) {
        expect(feed).toMatchObject({ status: 'error', error: 'parse: got an HTML page, not an RSS or Atom feed' });
      } else expect(feed).toMatchObject({ status: 'ok', items: 1, matches: 1 });
    });
    // One event reported by 54 feeds: the first to be filed alerts, the rest join its story.
    expect(report.alerts).toHaveLength(1);
  });

  it('fails with exit 1 when the state cannot be saved, reporting it on every feed', async () => {
    const result = await runCli(['poll', '--watchlist', 'watchlist.yaml', '--state', 'no-such-dir/state.json'], {
      cwd: dir,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/BBC US +ERROR .*no-such-dir\/state\.json: cannot save the state file/);
  });

  it('fails with exit 1 naming a damaged state file, and leaves the file as it was', async () => {
    const stateFile = path.join(dir, '.news-alerts-state.json');
    writeFileSync(stateFile, '{"version":1,"feeds":[');
    const result = await runCli(['poll', '--watchlist', 'watchlist.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(stateFile);
    expect(readFileSync(stateFile, 'utf8')).toBe('{"version":1,"feeds":[');
    expect(server.requests).toHaveLength(0);
  });
});
