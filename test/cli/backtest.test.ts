// `news-alerts backtest` on a state file written by a real poll over local feeds: an exclude drops exactly the alerts
// it names, an alias adds exactly the items it names, and the state file is read, never written.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FeedServer } from '../support/feed-server';
import { runCli, watchlistYaml } from './run-cli';

const ITEMS = [
  { id: 'scholarship-debate', title: 'Krebs scholarship fund hosts county election debate for school board seats' },
  { id: 'scholarship-flood', title: 'Flooding closes the Krebs scholarship polling place days before the election' },
  { id: 'sues', title: 'Former CISA director Chris Krebs sues Trump campaign lawyer for defamation' },
  { id: 'testifies', title: 'Chris Krebs testifies to Senate panel on election security' },
  // Matches no one today: the agency is named by a phrase the watchlist does not know.
  { id: 'directive', title: "America's cyber defense agency orders voting machine vendors to patch" },
  { id: 'weather', title: 'Snow expected across the Midwest this weekend' },
];

interface BacktestAlert {
  title: string;
  link: string | null;
  entities: string[];
  evidence: { entityId: string; phrase: string }[];
}
interface BacktestJson {
  added: BacktestAlert[];
  dropped: BacktestAlert[];
  unchanged: number;
}

let server: FeedServer;
let dir: string;
let polledTitles: string[];

const sha256 = (file: string) =>
  createHash('sha256')
    .update(readFileSync(path.join(dir, file)))
    .digest('hex');
const titleOf = (id: string) => ITEMS.find((item) => item.id === id)!.title;
const backtest = (...args: string[]) =>
  runCli(['backtest', '--current', 'watchlist.yaml', '--state', 'state.json', ...args], { cwd: dir });

beforeAll(async () => {
  const now = Date.now();
  const document = (items: typeof ITEMS) =>
    `<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>${items
      .map(
        (item, index) =>
          `<item><title>${item.title.replace("'", '&apos;')}</title><link>https://news.example.test/${item.id}</link>` +
          `<guid>${item.id}</guid><pubDate>${new Date(now - (index + 1) * 3_600_000).toUTCString()}</pubDate></item>`,
      )
      .join('')}</channel></rss>`;
  server = await FeedServer.start({
    routes: {
      '/politics.rss': { headers: { 'content-type': 'application/rss+xml' }, body: document(ITEMS.slice(0, 3)) },
      '/national.rss': { headers: { 'content-type': 'application/rss+xml' }, body: document(ITEMS.slice(3)) },
    },
  });
  dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-backtest-'));
  const current = watchlistYaml([
    { url: server.url('/politics.rss'), name: 'Politics' },
    { url: server.url('/national.rss'), name: 'National' },
  ]);
  writeFileSync(path.join(dir, 'watchlist.yaml'), current);
  const excluded = current.replace('excludes: [Brian Krebs,', 'excludes: [Krebs scholarship, Brian Krebs,');
  const aliased = current.replace(
    'aliases: [Cybersecurity and Infrastructure Security Agency]',
    'aliases: [Cybersecurity and Infrastructure Security Agency, cyber defense agency]',
  );
  expect(excluded).not.toBe(current);
  expect(aliased).not.toBe(current);
  writeFileSync(path.join(dir, 'exclude-scholarship.yaml'), excluded);
  writeFileSync(path.join(dir, 'alias-agency.yaml'), aliased);

  const poll = await runCli(['poll', '--watchlist', 'watchlist.yaml', '--state', 'state.json', '--json'], { cwd: dir });
  expect(poll.code).toBe(0);
  polledTitles = (JSON.parse(poll.stdout) as { alerts: { title: string }[] }).alerts.map((alert) => alert.title);
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

it('the poll alerted the scholarship items and Krebs, not the directive nor the weather', () => {
  expect(polledTitles.sort()).toEqual(
    ['scholarship-debate', 'scholarship-flood', 'sues', 'testifies'].map(titleOf).sort(),
  );
});

it('adding an exclude drops exactly the alerts it names, with their evidence; the rest are unchanged', async () => {
  const result = await backtest('--watchlist', 'exclude-scholarship.yaml', '--json');
  expect(result).toMatchObject({ code: 0, stderr: '' });
  const json = JSON.parse(result.stdout) as BacktestJson;
  expect(json.added).toEqual([]);
  expect(json.dropped.map((alert) => alert.title).sort()).toEqual(
    [titleOf('scholarship-debate'), titleOf('scholarship-flood')].sort(),
  );
  for (const alert of json.dropped) {
    expect(alert.entities).toEqual(['krebs']);
    expect(alert.link).toMatch(/^https:\/\/news\.example\.test\/scholarship-/);
    expect(alert.evidence).toContainEqual(expect.objectContaining({ entityId: 'krebs', phrase: 'Krebs' }));
  }
  // The replay of the current watchlist finds the alerts the poll sent: the two dropped and the two kept.
  expect(json.unchanged).toBe(polledTitles.length - 2);
});

it('adding an alias adds exactly the items it names', async () => {
  const result = await backtest('--watchlist', 'alias-agency.yaml', '--json');
  expect(result.code).toBe(0);
  const json = JSON.parse(result.stdout) as BacktestJson;
  expect(json.dropped).toEqual([]);
  expect(json.added).toEqual([
    expect.objectContaining({
      title: titleOf('directive'),
      link: 'https://news.example.test/directive',
      entities: ['cisa'],
      evidence: [expect.objectContaining({ entityId: 'cisa', phrase: 'cyber defense agency' })],
    }),
  ]);
  expect(json.unchanged).toBe(polledTitles.length);
});

it('prints the changes with their evidence as text, and writes nothing to the state file', async () => {
  const files = ['state.json', 'state.json.archive.jsonl'];
  const fingerprint = () => files.map((file) => [sha256(file), statSync(path.join(dir, file)).mtimeMs]);
  const before = fingerprint();
  const result = await backtest('--watchlist', 'exclude-scholarship.yaml');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/: 0 alert\(s\) added, 2 dropped, 2 unchanged\. Nothing was sent or written\./);
  expect(result.stdout).toContain(`Dropped:\n- `);
  expect(result.stdout).toContain(titleOf('scholarship-flood'));
  expect(result.stdout).toMatch(/why: Christopher Krebs: "Krebs" with "election"/);
  await backtest('--watchlist', 'alias-agency.yaml', '--json');
  expect(fingerprint()).toEqual(before);
});

it('replays only what was read within --since', async () => {
  const result = await backtest('--watchlist', 'exclude-scholarship.yaml', '--since', '0m', '--json');
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ added: [], dropped: [], unchanged: 0 });
});

it('keeps no archive with archiveDays: 0, nor in a dry run', async () => {
  const none = `${readFileSync(path.join(dir, 'watchlist.yaml'), 'utf8')}  archiveDays: 0\n`;
  writeFileSync(path.join(dir, 'no-archive.yaml'), none);
  const poll = (watchlist: string, state: string, ...flags: string[]) =>
    runCli(['poll', '--watchlist', watchlist, '--state', state, ...flags], { cwd: dir });
  expect((await poll('no-archive.yaml', 'unarchived.json')).code).toBe(0);
  expect((await poll('watchlist.yaml', 'dry.json', '--dry-run')).code).toBe(0);
  expect(existsSync(path.join(dir, 'unarchived.json'))).toBe(true);
  expect(existsSync(path.join(dir, 'unarchived.json.archive.jsonl'))).toBe(false);
  expect(existsSync(path.join(dir, 'dry.json.archive.jsonl'))).toBe(false);
});

describe('usage errors exit 2 with one line', () => {
  it.each([
    [[], '--watchlist is required: the watchlist to try'],
    [
      ['--watchlist', 'exclude-scholarship.yaml', '--archive', 's3://bucket/items'],
      '--state and --archive name two archives: give one',
    ],
    [
      ['--watchlist', 'exclude-scholarship.yaml', '--since', 'a week'],
      '--since "a week" is not a duration like 7d, 36h or 90m',
    ],
  ])('%j', async (args, problem) => {
    const result = await backtest(...args);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `news-alerts backtest: ${problem}; see \`news-alerts backtest --help\`\n`,
    });
  });

  it('an --archive that is not an S3 location', async () => {
    const result = await runCli(['backtest', '--watchlist', 'exclude-scholarship.yaml', '--archive', 'my-bucket'], {
      cwd: dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--archive "my-bucket" is not an S3 location (s3://bucket/prefix)');
  });

  it('a missing state file is a failed run naming it, not an empty backtest', async () => {
    const result = await runCli(['backtest', '--watchlist', 'exclude-scholarship.yaml', '--state', 'none.json'], {
      cwd: dir,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no state file at ${path.join(dir, 'none.json')}`);
  });
});
