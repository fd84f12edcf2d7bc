// `news-alerts validate`: a one-line summary for a good watchlist, every problem and exit 2 for a bad one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, watchlistYaml } from './run-cli';

describe('news-alerts validate', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-validate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts the default watchlist', async () => {
    const result = await runCli(['validate'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/config\/watchlist\.yaml: valid: 5 entities, \d+ feeds, \d+ subscribers?\n$/);
  });

  it('counts what a given watchlist holds', async () => {
    writeFileSync(path.join(dir, 'mine.yaml'), watchlistYaml([{ url: 'https://feeds.example.test/a.rss', name: 'A' }]));
    const result = await runCli(['validate', '--watchlist', 'mine.yaml'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${path.join(dir, 'mine.yaml')}: valid: 2 entities, 1 feed, 0 subscribers\n`);
  });

  it('lists every problem with its path and exits 2', async () => {
    writeFileSync(
      path.join(dir, 'bad.yaml'),
      [
        'entities:',
        '  - id: krebs',
        '    name: Christopher Krebs',
        '    aliases: [Chris Krebs, ""]',
        '  - id: krebs',
        '    name: Someone else',
        '    aliases: [Krebs]',
        'feeds:',
        '  - url: ftp://example.test/feed',
        'subscribers:',
        '  - phone: "555-0100"',
      ].join('\n'),
    );
    const result = await runCli(['validate', '--watchlist', 'bad.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const problems = result.stderr.split('\n').filter((line) => line.startsWith(`${path.join(dir, 'bad.yaml')}: `));
    expect(problems.join('\n')).toMatch(/entities\[0\]\.aliases\[1\]: must not be empty/);
    expect(problems.join('\n')).toMatch(/entities\[1\]\.id: .*krebs/);
    expect(problems.join('\n')).toMatch(/feeds\[0\]\.url: must be an http or https URL/);
    expect(problems.join('\n')).toMatch(/subscribers\[0\]\.phone: must be an E\.164 phone number/);
  });

  it('reports a missing watchlist file with exit 2', async () => {
    const result = await runCli(['validate', '--watchlist', 'nope.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${path.join(dir, 'nope.yaml')}: (file): file not found`);
  });
});
