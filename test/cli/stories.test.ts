// Stories at the command line: match and poll --explain say which story an item joined and why; digest prints a day.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FeedServer } from '../support/feed-server';
import { type LabelledItem, labelledRss, loadItems } from '../support/story-stream';
import { runCli, watchlistYaml } from './run-cli';

const tune = loadItems('tune');
const byId = (...ids: string[]) => ids.map((id) => tune.find((item) => item.id === id)!);
const FIRED = byId('t-fired-cyberscoop', 't-fired-cnn', 't-fired-verge', 't-fired-sky');
const SUES = byId('t-sues-reuters');

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('news-alerts match --explain', () => {
  it('files the input lines on stories among themselves and says which story each joined, and why', async () => {
    const input = [...FIRED, ...SUES]
      .map(({ id, title, summary, link, publisher, publishedAt }) =>
        JSON.stringify({ id, title, summary, link, publisher, published: publishedAt }),
      )
      .join('\n');
    const result = await runCli(['match', '--explain'], { cwd: tmpdir(), input });
    expect(result.code).toBe(0);
    const stories = jsonLines(result.stdout).map((line) => line.story as Record<string, unknown>);
    const firstId = stories[0]?.id;
    expect(stories[0]).toEqual({ id: firstId, joined: false, title: FIRED[0]!.title, followUp: null });
    const firingStories = new Set([firstId]);
    for (const story of stories.slice(1, FIRED.length)) {
      if (story.joined) {
        // A join names the story, why, and the event terms that carried it with their weights.
        expect(firingStories.has(story.id)).toBe(true);
        expect(story).toEqual({
          id: story.id,
          joined: true,
          title: expect.any(String),
          reason: expect.stringMatching(/^(near-duplicate|same-act|reaction|rare-event-terms)$/),
          weight: expect.any(Number),
          sharedEntities: expect.arrayContaining(['krebs']),
          sharedTerms: expect.arrayContaining([{ term: 'fire', weight: expect.any(Number) }]),
        });
      } else {
        // Not sure it is the same event: it alerts, as a follow-up of the firing story it resembles.
        const resembles = story.resembles as { id: string; sharedTerms: unknown[] };
        expect(firingStories.has(resembles.id)).toBe(true);
        expect(resembles.sharedTerms).toEqual(expect.any(Array));
        expect(firingStories.has((story.followUp as { id: string }).id)).toBe(true);
        firingStories.add(story.id);
      }
    }
    const lawsuit = stories.at(-1)!;
    expect(lawsuit).toMatchObject({ joined: false, title: SUES[0]!.title });
    expect(firingStories.has(lawsuit.id)).toBe(false);
    expect(firingStories.has((lawsuit.followUp as { id: string }).id)).toBe(true);
  });

  it('refuses a published date it cannot read, on that line only', async () => {
    const input = [
      JSON.stringify({ id: 'a', title: 'Chris Krebs fired', published: 'last Tuesday' }),
      JSON.stringify({ id: 'b', title: 'Chris Krebs fired' }),
    ].join('\n');
    const result = await runCli(['match', '--explain'], { cwd: tmpdir(), input });
    expect(result.code).toBe(2);
    const [bad, good] = jsonLines(result.stdout);
    expect(bad).toEqual({ line: 1, id: 'a', error: expect.stringContaining('published: must be a date') });
    expect(good).toMatchObject({ id: 'b', entities: ['krebs'], story: { joined: false } });
  });
});

describe('news-alerts poll --explain and digest', () => {
  let server: FeedServer;
  let dir: string;
  /** The coverage re-dated to the last hours, as a live Google News search would list it. */
  let redated: LabelledItem[];

  beforeEach(async () => {
    const now = Date.now();
    redated = FIRED.map((item, index) => ({
      ...item,
      publishedAt: new Date(now - (4 - index) * 3_600_000).toISOString(),
    }));
    const rss = labelledRss('Google News: Krebs', redated);
    server = await FeedServer.start({
      routes: { '/news.rss': { headers: { 'content-type': 'application/rss+xml' }, body: rss } },
    });
    dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-stories-'));
    writeFileSync(
      path.join(dir, 'watchlist.yaml'),
      watchlistYaml([{ url: server.url('/news.rss'), name: 'Google News: Krebs' }]),
    );
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('alerts the story once, lists the reports that joined it with why, and the digest shows them all', async () => {
    const polledFrom = new Date().toISOString().slice(0, 10);
    const poll = await runCli(['poll', '--watchlist', 'watchlist.yaml', '--explain'], { cwd: dir });
    const polledTo = new Date().toISOString().slice(0, 10);
    expect(poll.code).toBe(0);
    // Alerts that start a story; a "Same story as" alert only brings a story to another entity's followers.
    const alerts = (poll.stdout.match(/^\[/gm)?.length ?? 0) - (poll.stdout.match(/^ +Same story as: /gm)?.length ?? 0);
    const joinedCount = Number(
      /(\d+) item\(s\) joined a story already alerted \(no new alert\):/.exec(poll.stdout)?.[1],
    );
    // Every report is either an alert (the first, or a follow-up of it) or a join that says why.
    expect(alerts).toBeGreaterThanOrEqual(1);
    expect(alerts + joinedCount).toBe(redated.length);
    expect(joinedCount).toBeGreaterThanOrEqual(1);
    const joins = poll.stdout.match(/^- ".*" \(.*\) joined ".*" \[st-\w+\]: .*$/gm) ?? [];
    expect(joins).toHaveLength(joinedCount);
    for (const join of joins) {
      expect(join).toMatch(
        /: (near duplicate|same act|rare event terms) \d+\.\d\d; shared entities: [a-z, ]+; shared terms: ([a-z0-9]+ [\d.]+(, )?)+$/,
      );
    }
    expect(poll.stdout.match(/Follow-up to: /g)?.length ?? 0).toBe(alerts - 1);

    // A digest lists the stories recorded on its day: the day of the poll (both, should the poll cross midnight).
    const days = [...new Set([polledFrom, polledTo])];
    const lines: string[] = [];
    let storyCount = 0;
    for (const day of days) {
      const digest = await runCli(['digest', '--watchlist', 'watchlist.yaml', '--date', day], { cwd: dir });
      expect(digest.code).toBe(0);
      lines.push(...digest.stdout.split('\n'));
      const json = await runCli(['digest', '--watchlist', 'watchlist.yaml', '--date', day, '--json'], { cwd: dir });
      const report = JSON.parse(json.stdout);
      expect(report.date).toBe(day);
      storyCount += report.digest?.storyCount ?? 0;
    }
    expect(lines).toContain(redated[0]!.title);
    for (const item of redated) expect(lines).toContain(`  - ${item.publisher}: ${item.link}`);
    expect(storyCount).toBe(alerts);
  });

  it('says there is nothing to send on a day without stories, and refuses a date that is not a day', async () => {
    await runCli(['poll', '--watchlist', 'watchlist.yaml'], { cwd: dir });
    const quiet = await runCli(['digest', '--watchlist', 'watchlist.yaml', '--date', '2020-01-01'], { cwd: dir });
    expect(quiet).toMatchObject({
      code: 0,
      stdout: 'No stories on 2020-01-01 (UTC): no digest would be sent.\n',
      stderr: '',
    });
    const json = await runCli(['digest', '--watchlist', 'watchlist.yaml', '--date', '2020-01-01', '--json'], {
      cwd: dir,
    });
    expect(JSON.parse(json.stdout)).toEqual({ date: '2020-01-01', digest: null });
    const bad = await runCli(['digest', '--watchlist', 'watchlist.yaml', '--date', '2020-02-30'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--date "2020-02-30" is not a day written YYYY-MM-DD');
    const typo = await runCli(['digest', '--watchlist', 'watchlist.yaml', '--state', 'stat.json'], { cwd: dir });
    expect(typo).toMatchObject({ code: 2, stdout: '' });
    expect(typo.stderr).toContain(`--state ${path.join(dir, 'stat.json')}: no such file (poll writes it)`);
  });
});
