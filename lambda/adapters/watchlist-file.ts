// Reads the watchlist YAML file from disk; every failure, a missing file included, is a WatchlistError naming the file.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Watchlist } from '../core/types';
import { parseWatchlist, WatchlistError } from '../core/watchlist';

/** The default watchlist shipped with the package: config/watchlist.yaml. */
export const DEFAULT_WATCHLIST_PATH = resolve(__dirname, '..', '..', 'config', 'watchlist.yaml');

export function loadWatchlist(path: string = DEFAULT_WATCHLIST_PATH): Watchlist {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a file' : message;
    throw new WatchlistError(path, [{ path: '(file)', message: reason }]);
  }
  return parseWatchlist(text.replace(/^\uFEFF/, ''), path);
}
