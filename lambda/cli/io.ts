// What a subcommand may touch of its process (streams, working directory) and the command's exit codes.
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Progress lines go to stderr only when it is a terminal. */
  stderrIsTty: boolean;
  cwd: string;
}

export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    stderrIsTty: process.stderr.isTTY === true,
    cwd: process.cwd(),
  };
}

/** The documented exit codes: scripts depend on them. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Bad command line: exit 2 with the usage text. */
export class UsageError extends Error {
  override name = 'UsageError';
}
