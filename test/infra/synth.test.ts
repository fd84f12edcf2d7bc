// `cdk synth` as a user runs it: offline, without credentials; a bad watchlist or a mistyped context key stops it;
// a stack that would alert or alarm no one is synthesized with a warning saying so.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const BAD_WATCHLIST = join(__dirname, 'fixtures', 'bad-watchlist.yaml');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command in the project root with no AWS credentials and the CDK's network checks off. */
function run(command: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && !name.startsWith('CDK_')),
  );
  Object.assign(env, {
    CDK_DISABLE_VERSION_CHECK: 'true',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    // No instance-metadata lookups for credentials or region: synth must not need them.
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extraEnv,
  });
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: ROOT, env, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const cdk = join(ROOT, 'node_modules', '.bin', 'cdk');
let outDir: string;

beforeEach(() => {
  outDir = mkdtempSync(join(tmpdir(), 'news-alerts-synth-'));
});
afterEach(() => rmSync(outDir, { recursive: true, force: true }));

test('npx cdk synth --quiet succeeds offline with the default watchlist, cdk-nag included, and warns that no one would receive alerts or alarms', async () => {
  const result = await run(cdk, ['synth', '--quiet', '--output', outDir]);
  expect(result.stderr).not.toMatch(/AwsSolutions-/);
  expect(result.code).toBe(0);
  expect(result.stdout).not.toContain('AWSTemplateFormatVersion');
  expect(result.stderr).toContain('No one will receive alerts: no -c email= or -c sms= and no subscribers');
  expect(result.stderr).toContain('No one will receive alarms');
  const template = JSON.parse(readFileSync(join(outDir, 'NewsAlerts.template.json'), 'utf8'));
  expect(Object.values(template.Resources).map((resource) => (resource as { Type: string }).Type)).toContain(
    'AWS::Scheduler::Schedule',
  );
}, 300_000);

test('a bad watchlist stops the app with exit 2 and exactly the messages of news-alerts validate', async () => {
  const validate = await run(process.execPath, [join(ROOT, 'cli.cjs'), 'validate', '--watchlist', BAD_WATCHLIST]);
  expect(validate.code).toBe(2);
  expect(validate.stderr).toContain('entities[0].aliases[0]: must not be empty');

  // The app as cdk.json runs it, with the context the CLI would pass.
  const app = await run(join(ROOT, 'node_modules', '.bin', 'tsx'), ['bin/news-alerts.ts'], {
    CDK_CONTEXT_JSON: JSON.stringify({ watchlist: BAD_WATCHLIST }),
    CDK_OUTDIR: outDir,
  });
  expect(app.code).toBe(2);
  expect(app.stderr).toBe(validate.stderr);
  expect(existsSync(join(outDir, 'NewsAlerts.template.json'))).toBe(false);
}, 120_000);

test('cdk synth -c watchlist=<bad file> fails (the CDK CLI exits 1) and shows every problem', async () => {
  const result = await run(cdk, ['synth', '--quiet', '--output', outDir, '-c', `watchlist=${BAD_WATCHLIST}`]);
  expect(result.code).toBe(1);
  for (const problem of [
    'entities[0].aliases[0]: must not be empty',
    'entities[1].id: duplicate of entities[0].id (krebs)',
    'feeds[0].url: is not a valid URL ("not a url")',
  ]) {
    expect(result.stderr).toContain(`${BAD_WATCHLIST}: ${problem}`);
  }
  expect(existsSync(join(outDir, 'NewsAlerts.template.json'))).toBe(false);
}, 300_000);

test('a mistyped context key stops synth, naming the key meant and the known ones: the app exits 2, the CDK CLI 1', async () => {
  const problem =
    'emial: not a context key of this app (did you mean email?); known keys: watchlist, email, sms, opsEmail, ' +
    'schedule, digestSchedule, tracing, archive';
  const app = await run(join(ROOT, 'node_modules', '.bin', 'tsx'), ['bin/news-alerts.ts'], {
    CDK_CONTEXT_JSON: JSON.stringify({ emial: 'me@example.com' }),
    CDK_OUTDIR: outDir,
  });
  expect(app.code).toBe(2);
  expect(app.stderr).toBe(`Invalid context:\n  ${problem}\n`);

  const synth = await run(cdk, ['synth', '--quiet', '--output', outDir, '-c', 'emial=me@example.com']);
  expect(synth.code).toBe(1);
  expect(synth.stderr).toContain(problem);
  expect(existsSync(join(outDir, 'NewsAlerts.template.json'))).toBe(false);
}, 120_000);
