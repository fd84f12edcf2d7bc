// Entry point of the `news-alerts` command: parses argv, runs a subcommand and maps failures to exit codes.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { systemClock } from '../adapters/system-clock';
import { closestName } from '../core/did-you-mean';
import { WatchlistError } from '../core/watchlist';
import { runBacktest } from './backtest';
import { COMMANDS, type Command, commandHelp, globalHelp, isCommand } from './commands';
import { runDemo } from './demo/run';
import { runDigest } from './digest';
import { runFeedback } from './feedback';
import { type CliIo, EXIT, processIo, UsageError } from './io';
import { runMatch } from './match';
import { runPoll } from './poll';
import { runValidate } from './validate';

const HELP_FLAGS = new Set(['--help', '-h']);

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      io.stderr.write(globalHelp());
      return EXIT.usage;
    }
    if (HELP_FLAGS.has(name)) return help(io);
    if (name === 'help') return help(io, rest);
    if (name === '--version' || name === '-V') {
      io.stdout.write(`${require('../../package.json').version}\n`);
      return EXIT.ok;
    }
    if (!isCommand(name)) throw unknownCommand(name);
    if (rest.some((arg) => HELP_FLAGS.has(arg))) {
      io.stdout.write(commandHelp(name));
      return EXIT.ok;
    }
    return await run(name, parseCommandLine(name, rest), io);
  } catch (error) {
    return reportFailure(io, error, isCommand(name) ? name : undefined);
  }
}

/** `help` or `--help`: every command; `help <command>`: that command's options and examples. */
function help(io: CliIo, args: string[] = []): number {
  const [topic, ...extra] = args;
  if (extra.length > 0) throw new UsageError(`help takes one command, not "${args.join(' ')}"`);
  if (topic === undefined) {
    io.stdout.write(globalHelp());
    return EXIT.ok;
  }
  if (!isCommand(topic)) throw unknownCommand(topic);
  io.stdout.write(commandHelp(topic));
  return EXIT.ok;
}

type Values = Record<string, string | boolean | undefined>;

async function run(name: Command, values: Values, io: CliIo): Promise<number> {
  const text = (option: string) => (typeof values[option] === 'string' ? (values[option] as string) : undefined);
  const flag = (option: string) => values[option] === true;
  const watchlist = text('watchlist');
  switch (name) {
    case 'poll':
      return await runPoll(io, {
        watchlist,
        state: text('state'),
        dryRun: flag('dry-run'),
        json: flag('json'),
        explain: flag('explain'),
        force: flag('force'),
        topicArn: text('topic-arn'),
      });
    case 'match':
      return await runMatch(io, { watchlist, explain: flag('explain'), clock: systemClock });
    case 'validate':
      return runValidate(io, { watchlist, json: flag('json') });
    case 'digest':
      return await runDigest(io, {
        watchlist,
        state: text('state'),
        date: text('date'),
        json: flag('json'),
        clock: systemClock,
      });
    case 'feedback':
      return await runFeedback(io, { watchlist, state: text('state'), table: text('table'), json: flag('json') });
    case 'backtest':
      return await runBacktest(io, {
        watchlist,
        current: text('current'),
        state: text('state'),
        archive: text('archive'),
        since: text('since'),
        json: flag('json'),
        clock: systemClock,
      });
    case 'demo':
      return await runDemo(io);
  }
}

function unknownCommand(name: string): UsageError {
  const meant = closestName(name, Object.keys(COMMANDS));
  return new UsageError(`unknown command "${name}"${meant === undefined ? '' : ` (did you mean ${meant}?)`}`);
}

/** The command's options, strictly: an unknown flag, a missing value or a stray argument is a UsageError. */
function parseCommandLine(command: Command, args: string[]): Values {
  const known = COMMANDS[command].options as Record<string, { type: 'string' | 'boolean' }>;
  const options: NonNullable<ParseArgsConfig['options']> = Object.fromEntries(
    Object.entries(known).map(([option, { type }]) => [option, { type }]),
  );
  try {
    // Every option is a string or a boolean flag, none repeatable.
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Values;
  } catch (error) {
    throw new UsageError(parseArgsProblem(error as Error & { code?: string }, Object.keys(known)));
  }
}

/** parseArgs' messages, some of them three lines long, as one short line naming the option. */
function parseArgsProblem(error: Error & { code?: string }, known: string[]): string {
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  const option = quoted.split(' ')[0] ?? quoted;
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const meant = closestName(option.replace(/^-+/, ''), known);
      return `unknown option ${option}${meant === undefined ? '' : ` (did you mean --${meant}?)`}`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${quoted}": this command takes options only`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(error.message)
        ? `${option} is a flag and takes no value`
        : `${option} needs a value`;
    default:
      return error.message.split('\n')[0] ?? error.message;
  }
}

function reportFailure(io: CliIo, error: unknown, command: Command | undefined): number {
  if (error instanceof UsageError) {
    const helpCommand = command === undefined ? 'news-alerts --help' : `news-alerts ${command} --help`;
    const where = command === undefined ? 'news-alerts' : `news-alerts ${command}`;
    io.stderr.write(`${where}: ${error.message}; see \`${helpCommand}\`\n`);
    return EXIT.usage;
  }
  if (error instanceof WatchlistError) {
    io.stderr.write(`${error.message}\n`);
    return EXIT.usage;
  }
  io.stderr.write(`news-alerts: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT.failed;
}
