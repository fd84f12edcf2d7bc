// Which watchlist a subcommand uses: --watchlist relative to the working directory, else the packaged default.
import path from 'node:path';
import { DEFAULT_WATCHLIST_PATH, loadWatchlist } from '../adapters/watchlist-file';
import type { Watchlist } from '../core/types';
import type { CliIo } from './io';

export function loadWatchlistFrom(io: CliIo, option: string | undefined): { file: string; watchlist: Watchlist } {
  const file = option === undefined ? DEFAULT_WATCHLIST_PATH : path.resolve(io.cwd, option);
  return { file, watchlist: loadWatchlist(file) };
}
