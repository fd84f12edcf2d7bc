// `news-alerts feedback` on a state file written by a real poll over local feeds, with verdicts recorded in it as the
// verdict endpoint records them: the verdicts by entity, the share marked wrong, and the suggested exclude.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileStateStore } from '../../lambda/adapters/file-state-store';
import { FeedServer } from '../support/feed-server';
import { runCli, watchlistYaml } from './run-cli';

/** Two alerts about a county clerk named Krebs (wrong for Christopher Krebs), two about him. */
const ITEMS = [
  { id: 'clerk-results', title: 'County clerk Krebs certifies school board election results' },
  { id: 'clerk-flood', title: 'Flooding forces clerk Krebs to move a polling place days before the election' },
  { id: 'testifies', title: 'Chris Krebs testifies to Senate panel on election security' },
  { id: 'sues', title: 'Former CISA director Chris Krebs sues Trump campaign lawyer for defamation' },
];
const WRONG = ['clerk-results', 'clerk-flood'];

let server: FeedServer;
let dir: string;

beforeAll(async () => {
  const now = Date.now();
  const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>${ITEMS.map(
    (item, index) =>
      `<item><title>${item.title}</title><link>https://news.example.test/${item.id}</link><guid>${item.id}</guid><pubDate>${new Date(now - (index + 1) * 3_600_000).toUTCString()}</pubDate></item>`,
  ).join('')}</channel></rss>`;
  server = await FeedServer.start({
    routes: { '/news.rss': { headers: { 'content-type': 'application/rss+xml' }, body: rss } },
  });
  dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-feedback-'));
  writeFileSync(path.join(dir, 'watchlist.yaml'), watchlistYaml([{ url: server.url('/news.rss'), name: 'Local' }]));
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const feedback = (...args: string[]) =>
  runCli(['feedback', '--watchlist', 'watchlist.yaml', '--state', 'state.json', ...args], { cwd: dir });

it('says there is nothing yet before any verdict, then lists them by entity with a suggested exclude', async () => {
  const poll = await runCli(['poll', '--watchlist', 'watchlist.yaml', '--state', 'state.json', '--json'], { cwd: dir });
  expect(poll.code).toBe(0);
  const polled = JSON.parse(poll.stdout) as { alerts: { title: string; entities: string[] }[] };
  // Every item alerted Christopher Krebs: four separate events.
  expect(
    polled.alerts
      .filter((alert) => alert.entities.includes('krebs'))
      .map((alert) => alert.title)
      .sort(),
  ).toEqual(ITEMS.map((item) => item.title).sort());

  const before = await feedback();
  expect(before.code).toBe(0);
  expect(before.stdout).toBe('No verdicts recorded.\n');

  // What the verdict endpoint records when a reader presses the button (in AWS, in the table).
  const state = new FileStateStore(path.join(dir, 'state.json'));
  const alerts = await state.knownAlerts(['krebs']);
  const idOf = (itemId: string) => alerts.find((alert) => alert.title === ITEMS.find((i) => i.id === itemId)!.title)!;
  const recordedAt = Date.parse('2026-11-18T12:00:00Z');
  for (const [index, itemId] of WRONG.entries()) {
    await state.recordVerdict({ entityId: 'krebs', alertId: idOf(itemId).alertId, recordedAt: recordedAt + index });
  }
  await state.flush();

  const json = await feedback('--json');
  expect(json.code).toBe(0);
  expect(JSON.parse(json.stdout)).toEqual({
    entities: [
      {
        entityId: 'krebs',
        entityName: 'Christopher Krebs',
        alerts: 4,
        wrongShare: 0.5,
        verdicts: [
          { alertId: idOf('clerk-flood').alertId, recordedAt: '2026-11-18T12:00:00.001Z', title: ITEMS[1]!.title },
          { alertId: idOf('clerk-results').alertId, recordedAt: '2026-11-18T12:00:00.000Z', title: ITEMS[0]!.title },
        ],
        suggestedExclude: { phrase: 'clerk krebs', wrongAlerts: 2 },
        // "election" is in both wrong alerts, but also in a right one of two: not few enough to drop.
        suggestedContextDrop: null,
      },
    ],
    patch: expect.stringContaining('+    excludes: [Brian Krebs, KrebsOnSecurity, Krebs cycle, clerk krebs]'),
  });

  const text = await feedback();
  expect(text.stdout).toContain('Christopher Krebs (krebs): 2 alerts marked not about it (50% of the 4 alerts');
  expect(text.stdout).toContain('excludes: [..., "clerk krebs"]');
  expect(text.stdout).not.toContain('CISA (cisa)');
});

describe('the suggested edits, as a diff of the watchlist the user applies', () => {
  /** Three alerts about a county clerk, each beside the loose context word "election"; five about him, none with it. */
  const WRONG_CLERK = [
    'County clerk Krebs hosts election debate for school board seats',
    'Flooding forces clerk Krebs to move a polling place days before the election',
    'Clerk Krebs says mail ballots for the election went out late',
  ];
  const RIGHT = [
    'Chris Krebs testifies to Senate panel on ransomware',
    'Former CISA director Chris Krebs sues campaign lawyer for defamation',
    'Christopher Krebs joins SentinelOne after leaving government',
    'Chris Krebs: disinformation is the biggest threat to democracy',
    'CISA chief Krebs warns of Iranian hackers targeting water systems',
  ];
  let hallDir: string;

  beforeAll(async () => {
    const now = Date.now();
    hallDir = mkdtempSync(path.join(tmpdir(), 'news-alerts-feedback-diff-'));
    const items = [...WRONG_CLERK, ...RIGHT].map(
      (title, index) =>
        `<item><title>${title}</title><link>https://news.example.test/h${index}</link><guid>h${index}</guid>` +
        `<pubDate>${new Date(now - (index + 1) * 3_600_000).toUTCString()}</pubDate></item>`,
    );
    const feedUrl = server.url('/hall.rss');
    server.route('/hall.rss', {
      headers: { 'content-type': 'application/rss+xml' },
      body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Hall</title>${items.join('')}</channel></rss>`,
    });
    writeFileSync(path.join(hallDir, 'watchlist.yaml'), watchlistYaml([{ url: feedUrl, name: 'Hall' }]));
    const poll = await runCli(['poll', '--watchlist', 'watchlist.yaml', '--json'], { cwd: hallDir });
    expect(poll.code).toBe(0);
    const state = new FileStateStore(path.join(hallDir, '.news-alerts-state.json'));
    const alerts = await state.knownAlerts(['krebs']);
    for (const title of WRONG_CLERK) {
      const alert = alerts.find((known) => known.title === title);
      await state.recordVerdict({ entityId: 'krebs', alertId: alert!.alertId, recordedAt: now });
    }
    await state.flush();
  });

  afterAll(() => rmSync(hallDir, { recursive: true, force: true }));

  const matched = async (watchlist: string) => {
    const input = [...WRONG_CLERK, ...RIGHT].map((title, id) => JSON.stringify({ id: String(id), title })).join('\n');
    const result = await runCli(['match', '--watchlist', watchlist], { cwd: hallDir, input });
    expect(result.code).toBe(0);
    return result.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { entities: string[] }).entities.includes('krebs'));
  };

  it('the next local polls count the verdicts on the entity profile, once', async () => {
    for (let poll = 0; poll < 2; poll++) {
      const result = await runCli(['poll', '--watchlist', 'watchlist.yaml', '--json'], { cwd: hallDir });
      expect(result.code).toBe(0);
    }
    const state = new FileStateStore(path.join(hallDir, '.news-alerts-state.json'));
    expect(await state.pendingVerdicts()).toEqual([]);
    const krebs = (await state.loadTopics()).find((profile) => profile.entityId === 'krebs');
    expect(krebs?.verdicts).toHaveLength(WRONG_CLERK.length);
    expect(krebs?.refused?.docs).toBe(WRONG_CLERK.length);
  });

  it('suggests the exclude and the loose context word, and the diff applies with git apply and with patch', async () => {
    const json = await runCli(['feedback', '--watchlist', 'watchlist.yaml', '--json'], { cwd: hallDir });
    const [krebs] = JSON.parse(json.stdout).entities;
    expect(krebs.suggestedExclude).toEqual({ phrase: 'clerk krebs', wrongAlerts: 3 });
    expect(krebs.suggestedContextDrop).toEqual({ phrase: 'election', wrongAlerts: 3, rightAlerts: 0 });
    const { patch } = JSON.parse(json.stdout) as { patch: string };
    expect(patch.split('\n').slice(0, 2)).toEqual(['--- a/watchlist.yaml', '+++ b/watchlist.yaml']);

    // Before: every wrong alert matches him. The diff, piped from the text output, applied as a user would.
    expect(await matched('watchlist.yaml')).toEqual([...WRONG_CLERK.map(() => true), ...RIGHT.map(() => true)]);
    writeFileSync(path.join(hallDir, 'copy.yaml'), readFileSync(path.join(hallDir, 'watchlist.yaml')));
    const text = await runCli(['feedback', '--watchlist', 'watchlist.yaml'], { cwd: hallDir });
    expect(text.stdout).toContain('Suggested context phrase to drop, in 3 of the 3 wrong alerts and 0 of the others');
    const applied = spawnSync('git', ['apply'], { cwd: hallDir, input: text.stdout, encoding: 'utf8' });
    expect(applied.stderr).toBe('');
    expect(applied.status).toBe(0);
    const edited = readFileSync(path.join(hallDir, 'watchlist.yaml'), 'utf8');
    expect(edited).toContain('context: [CISA]');
    expect(edited).toContain('excludes: [Brian Krebs, KrebsOnSecurity, Krebs cycle, clerk krebs]');
    // The same diff with patch(1), on the copy.
    const copyPatch = patch.replaceAll('watchlist.yaml', 'copy.yaml');
    const patched = spawnSync('patch', ['-p1'], { cwd: hallDir, input: copyPatch, encoding: 'utf8' });
    expect(patched.status).toBe(0);
    expect(readFileSync(path.join(hallDir, 'copy.yaml'), 'utf8')).toBe(edited);

    // The edited watchlist is valid, silences the wrong alerts and keeps every right one.
    const validate = await runCli(['validate', '--watchlist', 'watchlist.yaml'], { cwd: hallDir });
    expect(validate.code).toBe(0);
    expect(await matched('watchlist.yaml')).toEqual([...WRONG_CLERK.map(() => false), ...RIGHT.map(() => true)]);

    // Nothing left to suggest once applied: the feedback offers no diff.
    const after = JSON.parse(
      (await runCli(['feedback', '--watchlist', 'watchlist.yaml', '--json'], { cwd: hallDir })).stdout,
    );
    expect(after.patch).toBeNull();
  });
});
