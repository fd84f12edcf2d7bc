// Runs the real `news-alerts` command (node cli.cjs) as a child process and collects what a user would see.
import { spawn } from 'node:child_process';
import path from 'node:path';

export const CLI = path.resolve(__dirname, '../../cli.cjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  options: { cwd: string; input?: string; env?: NodeJS.ProcessEnv },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** A small watchlist in the documented YAML format, tracking two entities and reading the given feeds. */
export function watchlistYaml(feeds: { url: string; name: string; intervalMinutes?: number }[]): string {
  return `entities:
  - id: krebs
    name: Christopher Krebs
    aliases: [Christopher Krebs, Chris Krebs]
    ambiguous: [Krebs]
    context: [CISA, election]
    excludes: [Brian Krebs, KrebsOnSecurity, Krebs cycle]
  - id: cisa
    name: CISA
    aliases: [Cybersecurity and Infrastructure Security Agency]
    ambiguous: [CISA]
    context: [agency, election, Krebs]
feeds:
${feeds
  .map(
    (feed) =>
      `  - url: ${feed.url}\n    name: ${JSON.stringify(feed.name)}` +
      (feed.intervalMinutes === undefined ? '' : `\n    intervalMinutes: ${feed.intervalMinutes}`),
  )
  .join('\n')}
settings:
  backfillHours: 24
`;
}
