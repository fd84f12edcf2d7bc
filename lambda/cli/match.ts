// `news-alerts match`: JSON Lines items on stdin -> one `{id, entities}` line per item on stdout, in input order.
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { compileMatcher } from '../core/match';
import { htmlToText } from '../core/normalize';
import { type CliIo, EXIT } from './io';
import { loadWatchlistFrom } from './watchlist-path';

// Extra fields are allowed (a script may pipe whole records through); the text fields may carry HTML, as feeds do.
const inputSchema = z.looseObject({
  id: z.union([z.string(), z.number()]),
  title: z.string(),
  summary: z.string().nullish(),
  content: z.string().nullish(),
  link: z.string().nullish(),
});

/**
 * An input line that is not a valid item gets an `{line, error}` output line in its place (so outputs still pair
 * with inputs) and a message on stderr; the rest go on, and the exit code is 2 at the end. Blank lines are skipped.
 */
export async function runMatch(io: CliIo, options: { watchlist?: string; explain: boolean }): Promise<number> {
  const { watchlist } = loadWatchlistFrom(io, options.watchlist);
  const matcher = compileMatcher(watchlist.entities);
  let lineNumber = 0;
  let invalid = 0;
  for await (const line of createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    const parsed = parseLine(line);
    let output: object;
    if (parsed.ok) {
      const { id, title, summary, content } = parsed.item;
      const matches = matcher.match({
        title: htmlToText(title),
        summary: summary ? htmlToText(summary) : undefined,
        content: content ? htmlToText(content) : undefined,
      });
      output = {
        id,
        entities: matches.map((match) => match.entityId),
        ...(options.explain ? { evidence: matches.flatMap((match) => match.evidence) } : {}),
      };
    } else {
      invalid += 1;
      io.stderr.write(`news-alerts match: line ${lineNumber}: ${parsed.error}\n`);
      output = { line: lineNumber, ...(parsed.id === undefined ? {} : { id: parsed.id }), error: parsed.error };
    }
    // Wait when stdout is full, so a large input streams through instead of piling up in memory.
    if (!io.stdout.write(`${JSON.stringify(output)}\n`)) await once(io.stdout, 'drain');
  }
  return invalid > 0 ? EXIT.usage : EXIT.ok;
}

type ParsedLine = { ok: true; item: z.infer<typeof inputSchema> } | { ok: false; error: string; id?: string | number };

function parseLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: `not JSON (${(error as Error).message})` };
  }
  const result = inputSchema.safeParse(value);
  if (result.success) return { ok: true, item: result.data };
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`);
  const id = (value as { id?: unknown } | null)?.id;
  return {
    ok: false,
    error: `not an item {id, title, summary?, content?, link?} (${problems.join('; ')})`,
    ...(typeof id === 'string' || typeof id === 'number' ? { id } : {}),
  };
}
