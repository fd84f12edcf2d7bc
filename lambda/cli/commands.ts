// The `news-alerts` commands as the user sees them: options, help text and examples, from one table main parses by.

/** An option of one command: a flag (`boolean`) or one value (`string`, shown as `value` in the help). */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The value's placeholder in the help: `--watchlist FILE`. */
  value?: string;
  help: string;
}

export interface CommandSpec {
  summary: string;
  usage: string;
  /** What the command does, a paragraph. */
  description: string;
  options: Record<string, OptionSpec>;
  /** `[command line, what it does]` */
  examples: [string, string][];
}

const WATCHLIST: OptionSpec = {
  type: 'string',
  value: 'FILE',
  help: 'the watchlist (default: config/watchlist.yaml in the package)',
};
const STATE: OptionSpec = {
  type: 'string',
  value: 'FILE',
  help: 'the state file (default: .news-alerts-state.json in the current directory)',
};

export const COMMANDS = {
  poll: {
    summary: "poll the watchlist's feeds once: print new alerts and a per-feed summary",
    usage:
      'news-alerts poll [--watchlist FILE] [--state FILE] [--dry-run] [--force] [--explain] [--json] [--topic-arn ARN]',
    description:
      'Fetches every feed that is due (a conditional GET, so an unchanged feed costs a 304), matches new items ' +
      "against the watchlist's entities, prints each new alert, then one row per feed: ok, 304 unchanged, ERROR " +
      'with the reason, or skipped with why and until when. A failing feed is reported and retried with backoff; it ' +
      'does not fail the run. The state file records what was alerted, so the next poll alerts only what is new; the ' +
      'first poll of a feed alerts only items from the last backfillHours (24) and records older ones silently.',
    options: {
      watchlist: WATCHLIST,
      state: STATE,
      'dry-run': { type: 'boolean', help: 'show what would alert; publish and record nothing' },
      force: {
        type: 'boolean',
        help: 'fetch every feed now, even one backing off after failures, not due yet or gone (410)',
      },
      explain: { type: 'boolean', help: 'also list the items that joined a story already alerted, and why' },
      json: { type: 'boolean', help: 'write one JSON object to stdout instead of text' },
      'topic-arn': {
        type: 'string',
        value: 'ARN',
        help:
          'also publish the alerts to this SNS topic; credentials from the AWS environment or profile, the ' +
          'region from the ARN (AWS_ENDPOINT_URL_SNS points it at a local emulator). Exit 1 when an alert could ' +
          'not be published: it stays unsent and the next poll retries it',
      },
    },
    examples: [
      ['npx news-alerts poll', "poll the default watchlist's feeds"],
      ['npx news-alerts poll --watchlist mine.yaml --dry-run', 'try a watchlist without recording anything'],
      ["npx news-alerts poll --json | jq -r '.alerts[].title'", 'the titles of the new alerts'],
      ['npx news-alerts poll --topic-arn arn:aws:sns:us-east-1:123456789012:alerts', 'also publish to SNS'],
    ],
  },
  match: {
    summary: 'read headlines or JSON Lines items on stdin, write the entities each one matches',
    usage: 'news-alerts match [--watchlist FILE] [--explain]',
    description:
      'Reads one item per line: a headline as plain text, or {"id"?, "title", "summary"?, "content"?, "link"?} ' +
      '(HTML in the text is fine; the id is the line number when absent), and writes one line per item, in order: ' +
      '{"id", "entities": [...]}. A line starting with "{" that is not such an item is answered in place with ' +
      '{"line", "error"} and named on stderr; the rest go on, and the exit code is 2 at the end.',
    options: {
      watchlist: WATCHLIST,
      explain: {
        type: 'boolean',
        help:
          'add the evidence for each entity, and file the lines on stories among themselves (optional "publisher" ' +
          'and "published" fields) to show which story each started or joined',
      },
    },
    examples: [
      [
        `echo '{"id":"1","title":"Trump fires election official Christopher Krebs"}' | npx news-alerts match`,
        'prints {"id":"1","entities":["krebs"]}',
      ],
      [
        "echo 'Krebs: foreign hackers did not change a single vote' | npx news-alerts match --explain",
        'why it matched',
      ],
      ['npx news-alerts match --explain < headlines.jsonl', 'why each headline matched'],
    ],
  },
  validate: {
    summary: 'check a watchlist and list every problem',
    usage: 'news-alerts validate [--watchlist FILE] [--json]',
    description:
      'Checks the watchlist as poll and cdk deploy will read it: prints a one-line summary, or every problem with ' +
      'the file, the field and what is wrong, and exits 2.',
    options: {
      watchlist: WATCHLIST,
      json: {
        type: 'boolean',
        help: 'write {"file", "valid", ...} to stdout: the counts, or "problems" (a list of strings)',
      },
    },
    examples: [
      ['npx news-alerts validate', 'check the default watchlist'],
      ['npx news-alerts validate --watchlist mine.yaml', 'check your own before polling or deploying it'],
    ],
  },
  digest: {
    summary: "print a day's stories from the state file, as the daily digest email shows them",
    usage: 'news-alerts digest [--watchlist FILE] [--state FILE] [--date YYYY-MM-DD] [--json]',
    description:
      "Groups a UTC day's stories by entity, each with its reports and links, from the state file a poll keeps. " +
      'On a day without stories it says so (no digest would be sent).',
    options: {
      watchlist: WATCHLIST,
      state: STATE,
      date: { type: 'string', value: 'YYYY-MM-DD', help: 'the UTC day (default: today)' },
      json: { type: 'boolean', help: 'write one JSON object to stdout instead of text' },
    },
    examples: [
      ['npx news-alerts digest', "today's stories"],
      ['npx news-alerts digest --date 2020-11-18 --json', 'one day, as JSON'],
    ],
  },
  feedback: {
    summary: 'list the "not about this entity" verdicts recorded from alert links, with suggested watchlist edits',
    usage: 'news-alerts feedback [--watchlist FILE] [--state FILE | --table TABLE] [--json]',
    description:
      'Lists, for each entity, the alerts readers marked as not about it, the share of its alerts that were, an ' +
      'exclude phrase the wrong alerts share and a context phrase to drop (docs/verdicts.md gives the rules), then ' +
      'those edits as a unified diff of the watchlist file, which `git apply` or `patch -p1` applies. It changes ' +
      'nothing: the watchlist is yours to edit.',
    options: {
      watchlist: WATCHLIST,
      state: STATE,
      table: {
        type: 'string',
        value: 'TABLE',
        help:
          "read the deployed stack's state table instead (its name is the stack output StateTableName); credentials " +
          'and region from the AWS environment or profile (AWS_ENDPOINT_URL_DYNAMODB points it at a local emulator)',
      },
      json: { type: 'boolean', help: 'write one JSON object to stdout instead of text; "patch" holds the diff' },
    },
    examples: [
      ['npx news-alerts feedback', 'the verdicts by entity, with the suggested edits as a diff'],
      ['npx news-alerts feedback --watchlist mine.yaml | git apply', 'apply the suggested edits to mine.yaml'],
      ['AWS_REGION=us-east-1 npx news-alerts feedback --table NewsAlerts-StateTable --json', 'from the deployed stack'],
    ],
  },
  backtest: {
    summary: 'replay the items read through the current watchlist and a new one: the alerts it would add and drop',
    usage:
      'news-alerts backtest --watchlist FILE [--current FILE] [--state FILE | --archive s3://BUCKET/PREFIX] ' +
      '[--since 7d] [--json]',
    description:
      'Replays the items polls have read (the state file keeps 14 days of them; the deployed poller writes them to ' +
      'S3) through the current watchlist and through the one given, matching and filing stories in memory as a ' +
      'poll does, and prints the alerts the new watchlist would add and drop, with the evidence for each. Nothing is ' +
      'sent and nothing is written: the state file is only read.',
    options: {
      watchlist: { type: 'string', value: 'FILE', help: 'the watchlist to try (required)' },
      current: {
        type: 'string',
        value: 'FILE',
        help: 'the watchlist in use, to compare with (default: config/watchlist.yaml in the package)',
      },
      state: { ...STATE, help: `${STATE.help}, whose archive is replayed` },
      archive: {
        type: 'string',
        value: 's3://BUCKET/PREFIX',
        help:
          'replay the archive the deployed poller wrote to S3 instead (the ItemArchiveLocation output); credentials ' +
          'and region from the AWS environment or profile',
      },
      since: {
        type: 'string',
        value: 'DURATION',
        help: 'replay the items read in this last while: 7d, 36h, 90m (default 7d)',
      },
      json: {
        type: 'boolean',
        help: 'write {"added": [...], "dropped": [...], "unchanged": N} to stdout, each alert with title, link, entities and evidence',
      },
    },
    examples: [
      ['npx news-alerts backtest --watchlist mine.yaml', 'what mine.yaml would change in the last 7 days of alerts'],
      [
        "npx news-alerts backtest --watchlist mine.yaml --since 14d --json | jq '.dropped[].title'",
        'the alerts it would no longer send',
      ],
      [
        'npx news-alerts backtest --watchlist mine.yaml --archive s3://my-archive-bucket/items',
        'replay what the deployed poller read',
      ],
    ],
  },
  demo: {
    summary: 'serve sample feeds on 127.0.0.1 and poll them twice (no network needed)',
    usage: 'news-alerts demo',
    description:
      'Serves three bundled sample feeds on 127.0.0.1 and polls them twice with the default watchlist and a ' +
      'temporary state file: the first poll prints the alerts, the second sends nothing new. Nothing is sent ' +
      'anywhere and nothing is left behind.',
    options: {},
    examples: [['npx news-alerts demo', 'see what poll does, offline']],
  },
} satisfies Record<string, CommandSpec>;

export type Command = keyof typeof COMMANDS;

export function isCommand(name: string | undefined): name is Command {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

/** The documented exit codes: scripts depend on them. */
export const EXIT_CODES: [code: number, meaning: string][] = [
  [0, 'success (feeds that failed are reported, not fatal)'],
  [
    1,
    'the run failed: alerts left unsent (the next poll retries them), a state file that cannot be read or saved, ' +
      'or a bug',
  ],
  [2, 'bad usage or a bad watchlist'],
];

const WIDTH = 100;

/** The help of `news-alerts --help`: every command, the exit codes. */
export function globalHelp(): string {
  const names = Object.keys(COMMANDS) as Command[];
  const pad = Math.max(...names.map((name) => name.length)) + 3;
  return [
    'news-alerts: alerts about the people and agencies you track, from RSS/Atom news feeds',
    '',
    'Usage: news-alerts <command> [options]',
    '',
    'Commands:',
    ...names.map((name) => `  ${name.padEnd(pad)}${COMMANDS[name].summary}`),
    `  ${'help'.padEnd(pad)}help <command>: a command's options and examples`,
    '',
    "Run `news-alerts <command> --help` for a command's options and examples; `news-alerts --version` for the",
    'version.',
    '',
    'Exit codes:',
    ...EXIT_CODES.flatMap(([code, meaning]) => hanging(`  ${code}  `, meaning)),
    '',
  ].join('\n');
}

/** The help of `news-alerts <command> --help`. */
export function commandHelp(name: Command): string {
  const spec: CommandSpec = COMMANDS[name];
  const flags = Object.entries(spec.options).map(
    ([option, { value }]) => `--${option}${value === undefined ? '' : ` ${value}`}`,
  );
  flags.push('-h, --help');
  const pad = Math.max(...flags.map((flag) => flag.length)) + 2;
  const helps = [...Object.values(spec.options).map((option) => option.help), 'show this help'];
  return [
    `news-alerts ${name}: ${spec.summary}`,
    '',
    `Usage: ${spec.usage}`,
    '',
    ...wrap(spec.description, WIDTH),
    '',
    'Options:',
    ...flags.flatMap((flag, index) => hanging(`  ${flag.padEnd(pad)}`, helps[index]!)),
    '',
    'Examples:',
    ...spec.examples.flatMap(([command, what]) => [`  # ${what}`, `  ${command}`]),
    '',
    'Exit codes: see `news-alerts --help`.',
    '',
  ].join('\n');
}

/** `prefix` then `text` wrapped, later lines indented under the text. */
function hanging(prefix: string, text: string): string[] {
  const [first, ...rest] = wrap(text, WIDTH - prefix.length);
  return [`${prefix}${first}`, ...rest.map((line) => `${' '.repeat(prefix.length)}${line}`)];
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line];
}
