// `news-alerts validate`: checks a watchlist; a bad one is every problem on stderr (or in the JSON) and exit 2.
import { WatchlistError } from '../core/watchlist';
import { type CliIo, EXIT } from './io';
import { loadWatchlistFrom } from './watchlist-path';

export function runValidate(io: CliIo, options: { watchlist?: string; json?: boolean }): number {
  if (!options.json) {
    // A WatchlistError goes up to main, which prints its problems and exits 2.
    const { file, watchlist } = loadWatchlistFrom(io, options.watchlist);
    const counts = [
      plural(watchlist.entities.length, 'entity', 'entities'),
      plural(watchlist.feeds.length, 'feed', 'feeds'),
      plural(watchlist.subscribers.length, 'subscriber', 'subscribers'),
    ];
    io.stdout.write(`${file}: valid: ${counts.join(', ')}\n`);
    return EXIT.ok;
  }
  try {
    const { file, watchlist } = loadWatchlistFrom(io, options.watchlist);
    const counts = {
      entities: watchlist.entities.length,
      feeds: watchlist.feeds.length,
      subscribers: watchlist.subscribers.length,
    };
    io.stdout.write(`${JSON.stringify({ file, valid: true, ...counts })}\n`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof WatchlistError)) throw error;
    const problems = error.problems.map(
      (problem) => `${problem.path}: ${problem.message}${problem.line ? ` (line ${problem.line})` : ''}`,
    );
    io.stdout.write(`${JSON.stringify({ file: error.file, valid: false, problems })}\n`);
    return EXIT.usage;
  }
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
