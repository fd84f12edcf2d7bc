// Parses and validates a watchlist (YAML text or a plain object) into a Watchlist, listing every problem with its path.
import { type Document, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { type core, z } from 'zod';
import { foldPhrase } from './text-fold';
import type { Watchlist } from './types';

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

export const ENTITY_ID_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
/** Longer than any real name or title; longer phrases are pasted paragraphs that would never match. */
export const MAX_PHRASE_LENGTH = 100;
const E164_PATTERN = /^\+[1-9]\d{1,14}$/;
const DEFAULT_BACKFILL_HOURS = 24;

const phrase = z
  .string()
  .trim()
  .superRefine((value, context) => {
    if (value === '') context.addIssue({ code: 'custom', message: 'must not be empty' });
    else if (!/[\p{L}\p{N}]/u.test(value)) {
      context.addIssue({ code: 'custom', message: 'must contain a letter or digit (punctuation alone matches noise)' });
    } else if (value.length > MAX_PHRASE_LENGTH) {
      context.addIssue({
        code: 'custom',
        message: `is too long (${value.length} characters, at most ${MAX_PHRASE_LENGTH})`,
      });
    }
  });

/** An optional list; a key left empty in YAML (`excludes:`) is null and means none. */
function list<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((value) => value ?? []);
}

const entitySchema = z
  .strictObject({
    id: z.string().regex(ENTITY_ID_PATTERN, {
      message: 'must be 1-40 characters: a lower-case letter, then lower-case letters, digits or hyphens',
    }),
    name: z.string().trim().min(1, { message: 'must not be empty' }),
    aliases: list(phrase),
    ambiguous: list(phrase),
    context: list(phrase),
    excludes: list(phrase),
    topics: list(phrase),
  })
  .superRefine((entity, context) => {
    if (entity.aliases.length + entity.ambiguous.length === 0) {
      context.addIssue({ code: 'custom', path: ['aliases'], message: 'needs at least one alias or ambiguous term' });
    }
    if (entity.ambiguous.length > 0 && entity.context.length === 0) {
      context.addIssue({
        code: 'custom',
        path: ['context'],
        message: 'needs at least one phrase: ambiguous terms count only when a context phrase is in the same item',
      });
    }
    if (entity.topics.length > 0 && entity.ambiguous.length === 0) {
      context.addIssue({
        code: 'custom',
        path: ['topics'],
        message: "has no effect: topics teach the entity's profile who its ambiguous terms mean, and it has none",
      });
    }
    const excluded = new Map(entity.excludes.map((phrase) => [foldPhrase(phrase), phrase]));
    for (const key of ['aliases', 'ambiguous'] as const) {
      entity[key].forEach((phrase, index) => {
        const exclude = excluded.get(foldPhrase(phrase));
        if (exclude !== undefined) {
          context.addIssue({
            code: 'custom',
            path: [key, index],
            message: `is also an exclude ("${exclude}"), so it could never match`,
          });
        }
      });
    }
  });

const feedSchema = z
  .strictObject({
    url: z
      .string()
      .trim()
      .superRefine((value, context) => {
        if (!URL.canParse(value)) context.addIssue({ code: 'custom', message: `is not a valid URL ("${value}")` });
        else {
          const { protocol } = new URL(value);
          if (protocol !== 'http:' && protocol !== 'https:') {
            context.addIssue({ code: 'custom', message: `must be an http or https URL (got ${protocol})` });
          }
        }
      }),
    name: z.string().trim().min(1, { message: 'must not be empty' }).optional(),
    intervalMinutes: z
      .number()
      .int({ message: 'must be a whole number of minutes' })
      .min(1, { message: 'must be at least 1 (minutes)' })
      .optional(),
  })
  .transform(({ url, name, intervalMinutes }) => ({
    url,
    name: name ?? new URL(url).host,
    ...(intervalMinutes === undefined ? {} : { intervalMinutes }),
  }));

const subscriberSchema = z
  .strictObject({
    email: z.email({ message: 'must be an email address' }).optional(),
    phone: z
      .string()
      .regex(E164_PATTERN, {
        message: 'must be an E.164 phone number: + then country code and number, e.g. +14155550123',
      })
      .optional(),
    entities: z
      .array(z.string())
      .min(1, { message: 'must not be empty (leave it out to receive every entity)' })
      .optional(),
    mode: z.enum(['instant', 'digest']).default('instant'),
  })
  .superRefine((subscriber, context) => {
    if ((subscriber.email === undefined) === (subscriber.phone === undefined)) {
      context.addIssue({ code: 'custom', message: 'needs exactly one of email or phone' });
    }
  });

const settingsSchema = z.strictObject({
  backfillHours: z
    .number()
    .min(0, { message: 'must be 0 or more (hours)' })
    .max(24 * 30, { message: 'must be at most 720 (30 days)' })
    .default(DEFAULT_BACKFILL_HOURS),
  smsPerHour: z
    .number()
    .int({ message: 'must be a whole number' })
    .min(0, { message: 'must be 0 or more (0 sends every alert by email only)' })
    .max(1000, { message: 'must be at most 1000' })
    .optional(),
  // Sent to every feed: publishers that block unknown fetchers can be told who is asking (add a contact address).
  userAgent: z
    .string()
    .regex(/^[\x20-\x7e]{1,200}$/, { message: 'must be 1 to 200 printable ASCII characters (it is sent as a header)' })
    .optional(),
});

const watchlistSchema = z.strictObject({
  entities: z.array(entitySchema).min(1, { message: 'must list at least one entity' }),
  feeds: list(feedSchema),
  subscribers: list(subscriberSchema),
  settings: settingsSchema.nullish().transform((value) => value ?? { backfillHours: DEFAULT_BACKFILL_HOURS }),
});

const KNOWN_KEYS = [
  ...Object.keys(watchlistSchema.shape),
  ...Object.keys(entitySchema.shape),
  ...Object.keys(feedSchema.in.shape),
  ...Object.keys(subscriberSchema.shape),
  ...Object.keys(settingsSchema.shape),
];

type PathSegment = string | number;

interface LocatedProblem {
  segments: PathSegment[];
  message: string;
}

function formatPath(segments: readonly PathSegment[]): string {
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

function unknownKeyMessage(key: string): string {
  const guess = KNOWN_KEYS.map((known) => ({ known, distance: editDistance(key.toLowerCase(), known.toLowerCase()) }))
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

/** Zod's issues in the watchlist's own words; unknown keys become one problem per key, at the key. */
function problemsFromIssues(issues: readonly core.$ZodIssue[]): LocatedProblem[] {
  return issues.flatMap((issue): LocatedProblem[] => {
    const segments = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ segments: [...segments, key], message: unknownKeyMessage(key) }));
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

function arrayAt(value: unknown, key: string): unknown[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const child = (value as Record<string, unknown>)[key];
  return Array.isArray(child) ? child : [];
}

function fieldOf(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

/** Checks across entries (duplicates, references), run on the raw value so they show even when entries are invalid. */
function crossProblems(value: unknown): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  const firstSeen = (section: string, field: string, key: (raw: unknown) => string | undefined) => {
    const seen = new Map<string, number>();
    arrayAt(value, section).forEach((entry, index) => {
      const found = key(fieldOf(entry, field));
      if (found === undefined) return;
      const first = seen.get(found);
      if (first === undefined) seen.set(found, index);
      else
        problems.push({
          segments: [section, index, field],
          message: `duplicate of ${section}[${first}].${field} (${found})`,
        });
    });
  };
  const text = (raw: unknown) => (typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined);
  firstSeen('entities', 'id', text);
  firstSeen('feeds', 'url', (raw) => {
    const url = text(raw);
    return url !== undefined && URL.canParse(url) ? new URL(url).href : url;
  });
  firstSeen('subscribers', 'email', (raw) => text(raw)?.toLowerCase());
  firstSeen('subscribers', 'phone', text);

  const known = new Set(arrayAt(value, 'entities').map((entity) => fieldOf(entity, 'id')));
  const knownList = [...known].filter((id) => typeof id === 'string').join(', ');
  arrayAt(value, 'subscribers').forEach((subscriber, index) => {
    const wanted = fieldOf(subscriber, 'entities');
    if (!Array.isArray(wanted)) return;
    wanted.forEach((id, position) => {
      if (typeof id === 'string' && !known.has(id)) {
        problems.push({
          segments: ['subscribers', index, 'entities', position],
          message: `unknown entity "${id}" (known: ${knownList})`,
        });
      }
    });
  });
  return problems;
}

function comparePaths(a: readonly PathSegment[], b: readonly PathSegment[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    const [left, right] = [a[index]!, b[index]!];
    if (left === right) continue;
    if (typeof left === 'number' && typeof right === 'number') return left - right;
    return String(left) < String(right) ? -1 : 1;
  }
  return a.length - b.length;
}

function validate(
  value: unknown,
  fileName: string,
  lineOf: (segments: PathSegment[]) => number | undefined,
): Watchlist {
  const parsed = watchlistSchema.safeParse(value, { reportInput: true });
  const problems = [...(parsed.success ? [] : problemsFromIssues(parsed.error.issues)), ...crossProblems(value)];
  if (parsed.success && problems.length === 0) return parsed.data;
  // File order when lines are known (YAML), path order otherwise.
  const located = problems.map((problem) => ({ ...problem, line: lineOf(problem.segments) }));
  located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || comparePaths(a.segments, b.segments));
  throw new WatchlistError(
    fileName,
    located.map(({ segments, message, line }) => ({
      path: formatPath(segments),
      message,
      ...(line === undefined ? {} : { line }),
    })),
  );
}

/** Validates an already-parsed watchlist (for example from CDK context). */
export function validateWatchlistObject(value: unknown, fileName: string): Watchlist {
  return validate(value, fileName, () => undefined);
}

/** Parses watchlist YAML; YAML syntax errors and schema problems alike become one WatchlistError. */
export function parseWatchlist(text: string, fileName: string): Watchlist {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new WatchlistError(
      fileName,
      document.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { path: `line ${line}, column ${col}`, message: error.message.split('\n')[0]!, line };
      }),
    );
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new WatchlistError(fileName, [{ path: '(top level)', message: (error as Error).message }]);
  }
  if (value === null || value === undefined) {
    throw new WatchlistError(fileName, [{ path: '(top level)', message: 'the watchlist is empty' }]);
  }
  return validate(value, fileName, (segments) => lineOf(document, lineCounter, segments));
}

/**
 * Reads and parses a watchlist file through `readText` (the caller's file system); every failure, a missing file
 * included, is a WatchlistError naming the file.
 */
export function loadWatchlistWith(path: string, readText: (path: string) => string): Watchlist {
  let text: string;
  try {
    text = readText(path);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a file' : message;
    throw new WatchlistError(path, [{ path: '(file)', message: reason }]);
  }
  return parseWatchlist(text.replace(/^\uFEFF/, ''), path);
}

/** The line of the key or item at `segments`, or of the nearest enclosing one that exists in the document. */
function lineOf(document: Document, lineCounter: LineCounter, segments: PathSegment[]): number | undefined {
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
