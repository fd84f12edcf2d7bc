// The command helps the way gh and npm do: help per command with its options and examples, one-line usage errors
// with a did-you-mean and the way to the help, exit 2; colour only on a terminal, never with NO_COLOR.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { COMMANDS } from '../../lambda/cli/commands';
import { FeedServer } from '../support/feed-server';
import { CLI, runCli, watchlistYaml } from './run-cli';

const cwd = tmpdir();
const commands = Object.keys(COMMANDS) as (keyof typeof COMMANDS)[];

describe('news-alerts <command> --help', () => {
  it.each(commands)('%s --help describes the command, every one of its options and an example', async (command) => {
    const result = await runCli([command, '--help'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const help = result.stdout;
    expect(help.startsWith(`news-alerts ${command}: ${COMMANDS[command].summary}\n`)).toBe(true);
    expect(help).toContain(`\nUsage: news-alerts ${command}`);
    for (const option of Object.keys(COMMANDS[command].options))
      expect(help).toMatch(new RegExp(`\\n  --${option}\\b`));
    expect(help).toMatch(/\nExamples:\n {2}# .+\n {2}(npx news-alerts|echo .*\| npx news-alerts) /);
    // Not the global help: no other command's usage.
    for (const other of commands.filter((name) => name !== command))
      expect(help).not.toContain(`news-alerts ${other} [`);
  });

  it.each(commands)('help %s prints the same as %s --help, and -h does too', async (command) => {
    const [byHelp, byFlag, byShort] = await Promise.all([
      runCli(['help', command], { cwd }),
      runCli([command, '--help'], { cwd }),
      runCli([command, '-h'], { cwd }),
    ]);
    expect(byHelp).toEqual(byFlag);
    expect(byShort).toEqual(byFlag);
  });

  it("match's example prints what its help says it prints", async () => {
    const [command, what] = COMMANDS.match.examples[0]!;
    const input = /^echo '(.*)' \| npx news-alerts match$/.exec(command)?.[1];
    expect(input).toBeDefined();
    const result = await runCli(['match'], { cwd, input: `${input}\n` });
    expect(result.code).toBe(0);
    expect(what).toBe(`prints ${result.stdout.trim()}`);
  });

  it('--help anywhere after the command wins over bad options, so a user can always reach it', async () => {
    const result = await runCli(['poll', '--no-such-option', '--help'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: news-alerts poll');
  });
});

describe('news-alerts --help', () => {
  it('lists every command, how to get its help, and the exit codes', async () => {
    const result = await runCli(['--help'], { cwd });
    expect(result.code).toBe(0);
    for (const command of commands) expect(result.stdout).toContain(`  ${command} `);
    expect(result.stdout).toContain('`news-alerts <command> --help`');
    expect(result.stdout).toMatch(/Exit codes:\n {2}0 {2}success.*\n {2}1 {2}the run failed: alerts left unsent/);
    expect(result.stdout).toMatch(/\n {2}2 {2}bad usage or a bad watchlist\n/);
  });

  it('with no command at all: the same list on stderr, exit 2', async () => {
    const result = await runCli([], { cwd });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Commands:\n  poll ');
  });
});

describe('usage errors: one line naming the problem and the help to read, exit 2', () => {
  it.each([
    [['pol'], 'news-alerts: unknown command "pol" (did you mean poll?); see `news-alerts --help`'],
    [['frobnicate'], 'news-alerts: unknown command "frobnicate"; see `news-alerts --help`'],
    [['help', 'valdate'], 'news-alerts: unknown command "valdate" (did you mean validate?); see `news-alerts --help`'],
    [
      ['poll', '--dryrun'],
      'news-alerts poll: unknown option --dryrun (did you mean --dry-run?); see `news-alerts poll --help`',
    ],
    [['poll', '--state'], 'news-alerts poll: --state needs a value; see `news-alerts poll --help`'],
    [['poll', '--json=yes'], 'news-alerts poll: --json is a flag and takes no value; see `news-alerts poll --help`'],
    [
      ['validate', 'mine.yaml'],
      'news-alerts validate: unexpected argument "mine.yaml": this command takes options only; see `news-alerts validate --help`',
    ],
    [
      ['digest', '--date', 'yesterday'],
      'news-alerts digest: --date "yesterday" is not a day written YYYY-MM-DD; see `news-alerts digest --help`',
    ],
    [
      ['poll', '--topic-arn', 'alerts'],
      'news-alerts poll: --topic-arn "alerts" is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>); see `news-alerts poll --help`',
    ],
    [['demo', '--json'], 'news-alerts demo: unknown option --json; see `news-alerts demo --help`'],
  ])('news-alerts %j', async (args, line) => {
    const result = await runCli(args, { cwd });
    expect(result).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
  });
});

describe('news-alerts validate --json', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-validate-json-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a good watchlist: its counts, exit 0', async () => {
    writeFileSync(path.join(dir, 'mine.yaml'), watchlistYaml([{ url: 'https://feeds.example.test/a.rss', name: 'A' }]));
    const result = await runCli(['validate', '--watchlist', 'mine.yaml', '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      file: path.join(dir, 'mine.yaml'),
      valid: true,
      entities: 2,
      feeds: 1,
      subscribers: 0,
    });
  });

  it('a bad one: every problem in the JSON, nothing on stderr, exit 2', async () => {
    writeFileSync(path.join(dir, 'bad.yaml'), 'entities:\n  - id: krebs\n    name: K\n    aliases: [""]\nfeeds: []\n');
    const result = await runCli(['validate', '--watchlist', 'bad.yaml', '--json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as { file: string; valid: boolean; problems: string[] };
    expect(report).toMatchObject({ file: path.join(dir, 'bad.yaml'), valid: false });
    expect(report.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^entities\[0\]\.aliases\[0\]: /)]));
  });
});

/** `script` (util-linux) runs the command on a pseudo-terminal, as a user's shell does. */
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).stdout?.includes('util-linux') ?? false;

(hasScript ? describe : describe.skip)('colour', () => {
  let server: FeedServer;
  let dir: string;
  beforeAll(async () => {
    server = await FeedServer.start({
      routes: { '/feed.rss': { headers: { 'content-type': 'application/rss+xml' }, body: '<rss><channel/></rss>' } },
    });
    dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-colour-'));
    writeFileSync(path.join(dir, 'watchlist.yaml'), watchlistYaml([{ url: server.url('/feed.rss'), name: 'Local' }]));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const SGR = /\u001b\[[0-9;]*m/;
  // Asynchronously: the feed server answers from this process.
  const pollOnTerminal = (state: string, env: NodeJS.ProcessEnv) =>
    new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const command = `"${process.execPath}" "${CLI}" poll --watchlist watchlist.yaml --state ${state}`;
      const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
        cwd: dir,
        env: { ...env, PATH: process.env.PATH, TERM: 'xterm-256color', HOME: dir },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, output }));
    });

  it('colours the feed status on a terminal', async () => {
    const result = await pollOnTerminal('coloured.json', {});
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/Local +\u001b\[32mok/);
  });

  it('prints no colour on a terminal with NO_COLOR set', async () => {
    const result = await pollOnTerminal('no-color.json', { NO_COLOR: '1' });
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/Local +ok/);
    expect(result.output).not.toMatch(SGR);
  });

  it('prints no colour into a pipe', async () => {
    const result = await runCli(['poll', '--watchlist', 'watchlist.yaml', '--state', 'piped.json'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Local +ok/);
    expect(result.stdout).not.toMatch(SGR);
  });
});
