// Entry point of the `news-alerts` command: parses argv, runs a subcommand and maps failures to exit codes.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { systemClock } from '../adapters/system-clock';
import { WatchlistError } from '../core/watchlist';
import { runDemo } from './demo/run';
import { runDigest } from './digest';
import { type CliIo, EXIT, processIo, UsageError } from './io';
import { runMatch } from './match';
import { runPoll } from './poll';
import { runValidate } from './validate';

export const USAGE = `Usage: news-alerts <command> [options]

Commands:
  poll       one poll of the watchlist's feeds: prints new alerts and a per-feed summary
  match      reads JSON Lines items on stdin, writes the entities each one matches
  validate   checks a watchlist and lists every problem
  digest     prints the day's stories from the state file, as the daily digest email shows them
  demo       serves sample feeds on 127.0.0.1 and polls them twice (no network needed)

Options:
  --watchlist F   watchlist file (default: config/watchlist.yaml in the package)
  --state F       poll, digest: state file (default: .news-alerts-state.json in the current directory)
  --date D        digest: the UTC day, YYYY-MM-DD (default: today)
  --dry-run       poll: show what would alert; publish and record nothing
  --force         poll: fetch every feed now, even one backing off after failures, not due
                  yet (intervalMinutes) or gone (410)
  --topic-arn A   poll: also publish the alerts to this SNS topic (credentials from the
                  AWS environment or profile, region from the ARN; AWS_ENDPOINT_URL_SNS
                  points it at a local emulator)
  --json          poll, digest: write one JSON object to stdout instead of text
  --explain       match: add the evidence for each entity and the story each item joined;
                  poll: list the items that joined a story already alerted, and why
  -h, --help      show this help

Exit codes: 0 success (failed feeds are reported, not fatal), 1 the run itself failed,
2 bad usage or a bad watchlist.
`;

const OPTIONS_BY_COMMAND = {
  poll: {
    watchlist: { type: 'string' },
    state: { type: 'string' },
    'dry-run': { type: 'boolean' },
    force: { type: 'boolean' },
    'topic-arn': { type: 'string' },
    json: { type: 'boolean' },
    explain: { type: 'boolean' },
  },
  match: { watchlist: { type: 'string' }, explain: { type: 'boolean' } },
  validate: { watchlist: { type: 'string' } },
  digest: {
    watchlist: { type: 'string' },
    state: { type: 'string' },
    date: { type: 'string' },
    json: { type: 'boolean' },
  },
  demo: {},
} as const;

type Command = keyof typeof OPTIONS_BY_COMMAND;

function isCommand(name: string | undefined): name is Command {
  return name !== undefined && Object.hasOwn(OPTIONS_BY_COMMAND, name);
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  try {
    if (!isCommand(name)) throw new UsageError(name === undefined ? 'no command given' : `unknown command "${name}"`);
    const { values } = parseCommandLine(name, rest);
    if (values.help) {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    const watchlist = typeof values.watchlist === 'string' ? values.watchlist : undefined;
    switch (name) {
      case 'poll':
        return await runPoll(io, {
          watchlist,
          state: typeof values.state === 'string' ? values.state : undefined,
          dryRun: values['dry-run'] === true,
          json: values.json === true,
          explain: values.explain === true,
          force: values.force === true,
          topicArn: typeof values['topic-arn'] === 'string' ? values['topic-arn'] : undefined,
        });
      case 'match':
        return await runMatch(io, { watchlist, explain: values.explain === true, clock: systemClock });
      case 'validate':
        return runValidate(io, { watchlist });
      case 'digest':
        return await runDigest(io, {
          watchlist,
          state: typeof values.state === 'string' ? values.state : undefined,
          date: typeof values.date === 'string' ? values.date : undefined,
          json: values.json === true,
          clock: systemClock,
        });
      case 'demo':
        return await runDemo(io);
    }
  } catch (error) {
    return reportFailure(io, error);
  }
}

function parseCommandLine(command: Command, args: string[]): { values: Record<string, string | boolean | undefined> } {
  try {
    const options: NonNullable<ParseArgsConfig['options']> = {
      ...OPTIONS_BY_COMMAND[command],
      help: { type: 'boolean', short: 'h' },
    };
    const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
    // Every option is a string or a boolean flag, none repeatable.
    return { values: values as Record<string, string | boolean | undefined> };
  } catch (error) {
    // parseArgs explains unknown flags, missing values and stray arguments in plain words.
    throw new UsageError(`${command}: ${(error as Error).message}`);
  }
}

function reportFailure(io: CliIo, error: unknown): number {
  if (error instanceof UsageError) {
    io.stderr.write(`news-alerts: ${error.message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (error instanceof WatchlistError) {
    io.stderr.write(`${error.message}\n`);
    return EXIT.usage;
  }
  io.stderr.write(`news-alerts: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT.failed;
}
