// Parses and validates a watchlist (YAML text or a plain object) into a Watchlist, listing every problem with its path.
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { foldPhrase } from './text-fold';
import type { Watchlist } from './types';
import {
  comparePaths,
  formatPath,
  type LocatedProblem,
  lineOf,
  type PathSegment,
  problemsFromIssues,
  WatchlistError,
} from './watchlist-problems';

export { WatchlistError, type WatchlistProblem } from './watchlist-problems';

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
        message:
          'needs at least one phrase: an ambiguous term counts beside a context phrase, or without one unless the ' +
          "item's words lean away from the entity's topic profile, which items with a context phrase teach",
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
    // Entities the feed's search names in full; [] says none, when its query would say otherwise.
    about: z.array(z.string().trim().min(1, { message: 'must not be empty' })).optional(),
  })
  .transform(({ url, name, intervalMinutes, about }) => ({
    url,
    name: name ?? new URL(url).host,
    ...(intervalMinutes === undefined ? {} : { intervalMinutes }),
    ...(about === undefined ? {} : { about }),
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
  // The local archive of items read, for `news-alerts backtest` (core/archive.ts): 0 days keeps none.
  archiveDays: z
    .number()
    .int({ message: 'must be a whole number' })
    .min(0, { message: 'must be 0 or more (days; 0 keeps no archive)' })
    .max(90, { message: 'must be at most 90' })
    .optional(),
  archiveMegabytes: z
    .number()
    .min(1, { message: 'must be at least 1' })
    .max(1024, { message: 'must be at most 1024' })
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
  const references = (section: string, field: string) =>
    arrayAt(value, section).forEach((entry, index) => {
      const wanted = fieldOf(entry, field);
      if (!Array.isArray(wanted)) return;
      wanted.forEach((id, position) => {
        if (typeof id === 'string' && !known.has(id)) {
          problems.push({
            segments: [section, index, field, position],
            message: `unknown entity "${id}" (known: ${knownList})`,
          });
        }
      });
    });
  references('subscribers', 'entities');
  references('feeds', 'about');
  return problems;
}

function validate(
  value: unknown,
  fileName: string,
  lineAt: (segments: PathSegment[]) => number | undefined,
): Watchlist {
  const parsed = watchlistSchema.safeParse(value, { reportInput: true });
  const problems = [
    ...(parsed.success ? [] : problemsFromIssues(parsed.error.issues, KNOWN_KEYS)),
    ...crossProblems(value),
  ];
  if (parsed.success && problems.length === 0) return parsed.data;
  // File order when lines are known (YAML), path order otherwise.
  const located = problems.map((problem) => ({ ...problem, line: lineAt(problem.segments) }));
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
