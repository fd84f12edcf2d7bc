// Reads the watchlist YAML file from disk; every failure, a missing file included, is a WatchlistError naming the file.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Watchlist } from '../core/types';
import { loadWatchlistWith } from '../core/watchlist';

/** The default watchlist shipped with the package: config/watchlist.yaml. */
export const DEFAULT_WATCHLIST_PATH = resolve(__dirname, '..', '..', 'config', 'watchlist.yaml');

export function loadWatchlist(path: string = DEFAULT_WATCHLIST_PATH): Watchlist {
  return loadWatchlistWith(path, (file) => readFileSync(file, 'utf8'));
}
