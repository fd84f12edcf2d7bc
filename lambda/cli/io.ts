// What a subcommand may touch of its process (streams, working directory) and the command's exit codes.
/** The documented exit codes: scripts depend on them. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Progress lines go to stderr only when it is a terminal. */
  stderrIsTty: boolean;
  /** ANSI colour on stdout: only on a terminal that shows colour, and never with NO_COLOR set. */
  color?: boolean;
  cwd: string;
}

export function processIo(): CliIo {
  // `news-alerts match | head`: once the reader is gone there is no one to write for, so stop quietly (state writes
  // are atomic, and an item claimed but not recorded is retried by the next poll).
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(EXIT.ok);
  });
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    stderrIsTty: process.stderr.isTTY === true,
    color: wantsColor(process.stdout, process.env),
    cwd: process.cwd(),
  };
}

/** https://no-color.org: a non-empty NO_COLOR turns colour off; else a terminal that has colours (FORCE_COLOR, TERM). */
export function wantsColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && typeof stream.hasColors === 'function' && stream.hasColors();
}

/** Bad command line: exit 2 with one line saying what is wrong and where the command's help is. */
export class UsageError extends Error {
  override name = 'UsageError';
}
