// Node.js in a fresh child process, started from the project root, with what it printed: for tests that need a
// process of their own (that it exits by itself, which modules it loads, what survives its crash).
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ChildOptions {
  /** Added to this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Sees each stdout line as it arrives, with the child, so a test can act at a precise point of its run (kill it). */
  onLine?: (line: string, child: ChildProcess) => void;
}

/** Runs `node <argv>` to its end. */
export function runNodeChild(argv: string[], options: ChildOptions = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) options.onLine?.(line, child);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs a TypeScript file (an absolute path) through tsx, with `args` after it and `nodeArgs` (a heap limit) before. */
export function runTsChild(
  script: string,
  options: ChildOptions & { args?: string[]; nodeArgs?: string[] } = {},
): Promise<ChildResult> {
  return runNodeChild([...(options.nodeArgs ?? []), '--import', 'tsx', script, ...(options.args ?? [])], options);
}
