// `news-alerts feedback` on a state file written by a real poll over local feeds, with verdicts recorded in it as the
// verdict endpoint records them: the verdicts by entity, the share marked wrong, and the suggested exclude.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileStateStore } from '../../lambda/adapters/file-state-store';
import { FeedServer } from '../support/feed-server';
import { runCli, watchlistYaml } from './run-cli';

/** Two alerts about a hall named Krebs (wrong for Christopher Krebs), two about him. */
const ITEMS = [
  { id: 'hall-debate', title: 'Krebs Hall hosts county election debate for school board seats' },
  { id: 'hall-flood', title: 'Flooding closes Krebs Hall polling place days before the election' },
  { id: 'testifies', title: 'Chris Krebs testifies to Senate panel on election security' },
  { id: 'sues', title: 'Former CISA director Chris Krebs sues Trump campaign lawyer for defamation' },
];
const WRONG = ['hall-debate', 'hall-flood'];

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
  const alerts = await state.knownAlerts();
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
          { alertId: idOf('hall-flood').alertId, recordedAt: '2026-11-18T12:00:00.001Z', title: ITEMS[1]!.title },
          { alertId: idOf('hall-debate').alertId, recordedAt: '2026-11-18T12:00:00.000Z', title: ITEMS[0]!.title },
        ],
        suggestedExclude: { phrase: 'krebs hall', wrongAlerts: 2 },
      },
    ],
  });

  const text = await feedback();
  expect(text.stdout).toContain('Christopher Krebs (krebs): 2 alerts marked not about it (50% of the 4 alerts');
  expect(text.stdout).toContain('excludes: [..., "krebs hall"]');
  expect(text.stdout).not.toContain('CISA (cisa)');
});
