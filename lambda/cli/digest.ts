// `news-alerts digest`: the day's stories from the local state file, as the daily digest email would show them.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { FileStateStore } from '../adapters/file-state-store';
import { buildDigest, type Digest } from '../core/digest';
import { formatDigestEmail } from '../core/format';
import type { Clock } from '../ports';
import { type CliIo, EXIT, UsageError } from './io';
import { DEFAULT_STATE_FILE } from './poll';
import { loadWatchlistFrom } from './watchlist-path';

export interface DigestCommandOptions {
  watchlist?: string;
  state?: string;
  /** YYYY-MM-DD (a UTC day); today when absent. */
  date?: string;
  json: boolean;
  clock: Clock;
}

const DAY_MS = 86_400_000;

export async function runDigest(io: CliIo, options: DigestCommandOptions): Promise<number> {
  const from = options.date === undefined ? startOfUtcDay(options.clock.now()) : parseDay(options.date);
  const period = { from, to: from + DAY_MS };
  const day = new Date(from).toISOString().slice(0, 10);
  const { watchlist } = loadWatchlistFrom(io, options.watchlist);
  const file = path.resolve(io.cwd, options.state ?? DEFAULT_STATE_FILE);
  if (!existsSync(file)) {
    // A path the user typed that is not there is a typo, not an empty day: an empty digest would hide the mistake.
    if (options.state !== undefined) throw new UsageError(`--state ${file}: no such file (poll writes it)`);
    io.stderr.write(`news-alerts digest: no state file at ${file} yet (run news-alerts poll)\n`);
  }
  const state = new FileStateStore(file);
  const entityIds = watchlist.entities.map((entity) => entity.id);
  const digest = buildDigest(await state.storiesBetween(entityIds, period.from, period.to), watchlist.entities, period);
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ date: day, digest: digest ? digestJson(digest) : null })}\n`);
  } else if (digest) {
    io.stdout.write(`${formatDigestEmail(digest)}\n`);
  } else {
    io.stdout.write(`No stories on ${day} (UTC): no digest would be sent.\n`);
  }
  return EXIT.ok;
}

function startOfUtcDay(time: number): number {
  return Math.floor(time / DAY_MS) * DAY_MS;
}

/** A real calendar day written YYYY-MM-DD, as its UTC midnight; anything else is bad usage. */
function parseDay(text: string): number {
  const time = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== text) {
    throw new UsageError(`--date "${text}" is not a day written YYYY-MM-DD`);
  }
  return time;
}

const iso = (time: number) => new Date(time).toISOString();

/** The `digest --json` document: the digest with ISO times, or null on a day without stories. */
function digestJson(digest: Digest) {
  return {
    from: iso(digest.period.from),
    to: iso(digest.period.to),
    storyCount: digest.storyCount,
    groups: digest.groups.map((group) => ({
      entityId: group.entityId,
      entityName: group.entityName,
      stories: group.stories.map((story) => ({
        id: story.id,
        title: story.title,
        firstSeenAt: iso(story.firstSeenAt),
        alsoAbout: story.alsoAbout,
        sources: story.sources.map((source) => ({
          publisher: source.publisher ?? null,
          link: source.link ?? null,
          title: source.title,
          seenAt: iso(source.seenAt),
        })),
      })),
    })),
  };
}
