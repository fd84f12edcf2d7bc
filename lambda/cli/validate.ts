// `news-alerts validate`: checks a watchlist; a bad one throws WatchlistError, which main reports with exit 2.
import { type CliIo, EXIT } from './io';
import { loadWatchlistFrom } from './watchlist-path';

export function runValidate(io: CliIo, options: { watchlist?: string }): number {
  const { file, watchlist } = loadWatchlistFrom(io, options.watchlist);
  const counts = [
    plural(watchlist.entities.length, 'entity', 'entities'),
    plural(watchlist.feeds.length, 'feed', 'feeds'),
    plural(watchlist.subscribers.length, 'subscriber', 'subscribers'),
  ];
  io.stdout.write(`${file}: valid: ${counts.join(', ')}\n`);
  return EXIT.ok;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
