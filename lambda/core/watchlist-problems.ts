// A watchlist's problems in its own words, each at its path and, in YAML, its line; the error that lists them all.
import { type Document, isMap, isNode, isScalar, isSeq, type LineCounter } from 'yaml';
import type { core } from 'zod';

export interface WatchlistProblem {
  /** Where in the watchlist: `entities[3].aliases[0]`, or `line 5, column 3` for YAML syntax. */
  path: string;
  message: string;
  /** 1-based line in the YAML file, when known. */
  line?: number;
}

/** A watchlist that cannot be used; `message` lists every problem as `<file>: <path>: <message>`, one a line. */
export class WatchlistError extends Error {
  constructor(
    readonly file: string,
    readonly problems: WatchlistProblem[],
  ) {
    super(
      `${file}: invalid watchlist (${problems.length} problem${problems.length === 1 ? '' : 's'})\n` +
        problems
          .map(
            (problem) => `${file}: ${problem.path}: ${problem.message}${problem.line ? ` (line ${problem.line})` : ''}`,
          )
          .join('\n'),
    );
    this.name = 'WatchlistError';
  }
}

export type PathSegment = string | number;

export interface LocatedProblem {
  segments: PathSegment[];
  message: string;
}

export function formatPath(segments: readonly PathSegment[]): string {
  if (segments.length === 0) return '(top level)';
  return segments
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`))
    .join('');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function unknownKeyMessage(key: string, knownKeys: readonly string[]): string {
  const guess = knownKeys
    .map((known) => ({ known, distance: editDistance(key.toLowerCase(), known.toLowerCase()) }))
    .filter(({ distance }) => distance <= 2)
    .sort((a, b) => a.distance - b.distance)[0];
  return guess ? `unknown key (did you mean "${guess.known}"?)` : 'unknown key';
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

const EXPECTED_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  array: 'a list',
  object: 'a mapping',
};

/**
 * Zod's issues in the watchlist's own words; unknown keys become one problem per key, at the key, with the closest of
 * `knownKeys` as a guess.
 */
export function problemsFromIssues(issues: readonly core.$ZodIssue[], knownKeys: readonly string[]): LocatedProblem[] {
  return issues.flatMap((issue): LocatedProblem[] => {
    const segments = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ segments: [...segments, key], message: unknownKeyMessage(key, knownKeys) }));
    }
    if (issue.code === 'invalid_type') {
      const { input } = issue;
      if (input === undefined) return [{ segments, message: 'is required' }];
      if (input === null && issue.expected === 'string') return [{ segments, message: 'must not be empty' }];
      const expected = EXPECTED_WORDS[issue.expected] ?? issue.expected;
      const hint =
        issue.expected === 'string' && input !== null && typeof input !== 'object' ? ' (put it in quotes)' : '';
      return [{ segments, message: `must be ${expected}, not ${describe(input)}${hint}` }];
    }
    if (issue.code === 'invalid_value') {
      return [{ segments, message: `must be one of ${issue.values.join(', ')} (got ${describe(issue.input)})` }];
    }
    return [{ segments, message: issue.message }];
  });
}

export function comparePaths(a: readonly PathSegment[], b: readonly PathSegment[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    const [left, right] = [a[index]!, b[index]!];
    if (left === right) continue;
    if (typeof left === 'number' && typeof right === 'number') return left - right;
    return String(left) < String(right) ? -1 : 1;
  }
  return a.length - b.length;
}

/** The line of the key or item at `segments`, or of the nearest enclosing one that exists in the document. */
export function lineOf(document: Document, lineCounter: LineCounter, segments: PathSegment[]): number | undefined {
  for (let depth = segments.length; depth > 0; depth--) {
    const parent = depth === 1 ? document.contents : document.getIn(segments.slice(0, depth - 1), true);
    const last = segments[depth - 1];
    const node = isMap(parent)
      ? parent.items.find((pair) => isScalar(pair.key) && pair.key.value === last)?.key
      : isSeq(parent) && typeof last === 'number'
        ? parent.items[last]
        : undefined;
    const offset = isNode(node) ? node.range?.[0] : undefined;
    if (offset !== undefined) return lineCounter.linePos(offset).line;
  }
  return undefined;
}
