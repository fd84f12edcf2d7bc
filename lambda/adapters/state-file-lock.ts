// One poll at a time per state file: a run that finds another at work waits for it, then reads what it saved.
import lockfile from 'proper-lockfile';
import { StateFileError } from './file-state-store';

export interface StateFileLockOptions {
  /** How long a run waits for another poll of the same state file to finish before giving up. */
  waitMs?: number;
}

/** A lock its holder stopped refreshing this long ago was left by a run that died: it is taken over. */
const STALE_MS = 30_000;

/**
 * Takes the state file's lock (`<file>.lock`), waiting while another run holds it; resolves with its release. Two
 * polls at once would each alert what the other is alerting, and the last to save would drop the other's records.
 */
export async function lockStateFile(file: string, options: StateFileLockOptions = {}): Promise<() => Promise<void>> {
  const waitMs = options.waitMs ?? 300_000;
  const attempt = (retries: number) =>
    lockfile.lock(file, {
      realpath: false,
      stale: STALE_MS,
      retries: { retries, factor: 1, minTimeout: 1_000, maxTimeout: 1_000 },
      // A lock found stale while held (the event loop stalled past STALE_MS) costs at worst an alert sent twice.
      onCompromised: () => undefined,
    });
  try {
    // At once first: only a lock held by another run is waited for. A directory where no lock can be made holds no
    // state either, and the run's save says so with the file's name.
    return await attempt(0);
  } catch (error) {
    if (codeOf(error) !== 'ELOCKED') return async () => undefined;
  }
  try {
    return await attempt(Math.ceil(waitMs / 1_000));
  } catch (error) {
    if (codeOf(error) !== 'ELOCKED') throw error;
    throw new StateFileError(
      file,
      `another poll has been using this state file for over ${Math.round(waitMs / 1_000)} s (its lock: ${file}.lock); ` +
        'this run polled nothing. Run one poll at a time per state file',
    );
  }
}

const codeOf = (error: unknown) => (error as { code?: string }).code;
