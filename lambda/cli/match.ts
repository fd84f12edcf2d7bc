// `news-alerts match`: headlines or JSON Lines items on stdin -> one `{id, entities}` line each, in input order.
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { MemoryStateStore } from '../adapters/memory-state-store';
import { feedSubjects } from '../core/feed-subjects';
import { compileMatcher, type Refusal } from '../core/match';
import { htmlToText } from '../core/normalize';
import { signatureTerms, storyContext } from '../core/story';
import { TopicModel } from '../core/topic-model';
import { fileOnStory, type StoryFiling } from '../pipeline';
import { TOPIC_SEED } from '../pipeline/topic-learning';
import type { Clock } from '../ports';
import { type CliIo, EXIT } from './io';
import { loadWatchlistFrom } from './watchlist-path';

// Extra fields are allowed (a script may pipe whole records through); the text fields may carry HTML, as feeds do.
const inputSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).optional(),
  title: z.string(),
  summary: z.string().nullish(),
  content: z.string().nullish(),
  link: z.string().nullish(),
  // Used by --explain to file items on stories: who published it, and when (any date Date.parse reads).
  publisher: z.string().nullish(),
  // The watchlist feed it came from, by name: a search feed for a full name makes a bare surname in it count.
  feed: z.string().nullish(),
  published: z
    .string()
    .refine((text) => !Number.isNaN(Date.parse(text)), { message: 'must be a date, e.g. 2020-11-18T00:41:00Z' })
    .nullish(),
});

/**
 * An input line that is not a valid item gets an `{line, error}` output line in its place (so outputs still pair
 * with inputs) and a message on stderr; the rest go on, and the exit code is 2 at the end. Blank lines are skipped.
 * With --explain, matching items are also filed on stories among the input lines themselves (in memory, in input
 * order, at their `published` time or now), and each line says which story it started or joined, and why.
 */
export async function runMatch(
  io: CliIo,
  options: { watchlist?: string; explain: boolean; clock: Clock },
): Promise<number> {
  const { watchlist } = loadWatchlistFrom(io, options.watchlist);
  // The shipped seed and the watchlist's topics decide bare names, as on a first poll (nothing learned yet).
  const topics = TopicModel.build(watchlist.entities, { seed: TOPIC_SEED, now: options.clock.now() });
  const matcher = compileMatcher(watchlist.entities, { topics });
  const stories = new MemoryStateStore();
  const feedsByName = new Map(watchlist.feeds.map((feed) => [feed.name, feed]));
  // The input lines are the news this run reads: they weigh story terms by how common they are among them.
  const context = storyContext(watchlist.entities);
  let lineNumber = 0;
  let invalid = 0;
  for await (const line of createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    const parsed = parseLine(line, lineNumber);
    let output: object;
    if (parsed.ok) {
      const { title, summary, content, link, publisher, published, feed } = parsed.item;
      const id = parsed.item.id ?? lineNumber;
      const text = {
        title: htmlToText(title),
        summary: summary ? htmlToText(summary) : undefined,
        content: content ? htmlToText(content) : undefined,
      };
      if (options.explain) context.rarity.observe(signatureTerms({ ...text, publisher: publisher ?? undefined }));
      const refusals: Refusal[] | undefined = options.explain ? [] : undefined;
      const source = feed ? feedsByName.get(feed) : undefined;
      const matches = matcher.match(
        { ...text, link: link ?? undefined, publisher: publisher ?? undefined },
        {
          ...(feed ? { feed, about: source ? feedSubjects(source, watchlist.entities) : [] } : {}),
          ...(refusals && { refusals }),
        },
      );
      const entities = matches.map((match) => match.entityId);
      let story: StoryFiling | undefined;
      if (options.explain && entities.length > 0) {
        const now = options.clock.now();
        const at = published ? Math.min(Date.parse(published), now) : now;
        const item = {
          ...text,
          key: `line:${lineNumber}:${id}`,
          link: link ?? undefined,
          publisher: publisher ?? undefined,
        };
        story = await fileOnStory(stories, item, entities, at, context);
      }
      output = {
        id,
        entities,
        ...(options.explain
          ? {
              evidence: matches.flatMap((match) => match.evidence),
              ...(refusals && refusals.length > 0 ? { refused: refusals } : {}),
              ...(story ? { story: storyJson(story) } : {}),
            }
          : {}),
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

/** Which story an item started (and the earlier story it follows up) or joined, and why. */
function storyJson(filing: StoryFiling) {
  if (filing.joined) {
    const { reason, weight, sharedEntities, sharedTerms } = filing.joined;
    return {
      id: filing.story.id,
      joined: true,
      title: filing.story.title,
      reason,
      weight,
      sharedEntities,
      sharedTerms,
    };
  }
  const followUp = filing.followUp;
  return {
    id: filing.story.id,
    joined: false,
    title: filing.story.title,
    followUp: followUp
      ? { id: followUp.id, title: followUp.title, firstSeenAt: new Date(followUp.firstSeenAt).toISOString() }
      : null,
    // The story it resembles and why it did not join it: too little shared, an act that story never mentioned, or
    // another state.
    ...(filing.related && {
      resembles: {
        id: filing.related.storyId,
        title: filing.related.storyTitle,
        weight: filing.related.weight,
        sharedTerms: filing.related.sharedTerms,
        ...(filing.related.newActs.length > 0 && { newActs: filing.related.newActs }),
        ...(filing.related.otherPlaces.length > 0 && { otherPlaces: filing.related.otherPlaces }),
        ...(filing.related.otherNames.length > 0 && { otherNames: filing.related.otherNames }),
        ...(filing.related.swapped.length > 0 && { swapped: filing.related.swapped }),
      },
    }),
  };
}

type ParsedLine = { ok: true; item: z.infer<typeof inputSchema> } | { ok: false; error: string; id?: string | number };

/** A line not starting with "{" is a headline as typed: the quickest way to try one against a watchlist. */
function parseLine(line: string, lineNumber: number): ParsedLine {
  const text = line.trim();
  if (!text.startsWith('{')) return { ok: true, item: { id: lineNumber, title: text } };
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
    error: `not an item {id?, title, summary?, content?, link?, publisher?, published?} (${problems.join('; ')})`,
    ...(typeof id === 'string' || typeof id === 'number' ? { id } : {}),
  };
}
