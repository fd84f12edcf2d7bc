// StateStore in a local file: the memory store's semantics; changes journaled in order, fsynced in batches.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ArchivedItem } from '../core/archive';
import { ArchiveFile } from './archive-file';
import type { StateChange, StateSnapshot } from './memory-state-snapshot';
import { MemoryStateStore, type StateStoreOptions } from './memory-state-store';
import { snapshotSchema } from './state-file-schema';

/** The state file cannot be read or is not a state file. Never answered by starting afresh: that would re-alert. */
export class StateFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'StateFileError';
  }
}

const KEEP_FILE_ADVICE = 'it is left untouched: repair it, or move it away to start afresh (items may alert again)';

/** The journal may grow to this many bytes, or to the snapshot's size if larger, before the file is rewritten whole. */
const MIN_JOURNAL_BYTES = 256 * 1024;
/**
 * A save starts at most this long after the previous one started. Back to back, a poll's saves came every few
 * milliseconds (hundreds of appends and fsyncs a cycle, each with its CPU); spaced, each takes more changes. A flush,
 * and so an alert, waits at most this much longer.
 */
const SAVE_SPACING_MS = 20;

/**
 * The file is JSON Lines: a snapshot of the whole state on the first line, then one line per change since (the call
 * that made it, replayed through the memory store's own methods on load). A change is acknowledged once it is made in
 * memory and queued for the file; one writer appends the queued lines and fsyncs, taking all the changes made since
 * the previous append started (at least SAVE_SPACING_MS before), so a poll's thousands of small changes cost few
 * appends and never wait on the disk one by one. `flush()` waits for every change made so far: the poll calls
 * it before it publishes an alert and before it returns. The journal is always a prefix of the changes in the order
 * they were made, so a crash loses at most the latest changes, never one from the middle, and none that an alert
 * depended on. Once the journal outgrows the snapshot the file is rewritten whole (temp file, fsync, rename). A line
 * cut off by a crash was never flushed and is dropped on load; a file of one plain JSON document (older versions) is
 * read as a snapshot. The archive of items read is in a file of its own beside it (archive-file.ts), which no alert
 * waits for.
 */
export class FileStateStore extends MemoryStateStore {
  private loading?: Promise<void>;
  /** Lines of the changes made since the last save started, waiting for the next one. */
  private pendingLines: string[] = [];
  /** The save that will include every change made so far, while it has not started. */
  private queuedSave?: Promise<void>;
  private lastSave: Promise<void> = Promise.resolve();
  private snapshotBytes = 0;
  private journalBytes = 0;
  /** Set until the file holds a whole snapshot this store can append to: at first, and after a failed save. */
  private rewriteWhole = true;
  private replaying = false;
  /**
   * The journal, open for appending while saves follow one another: opening and closing it for each of a poll's
   * hundreds of appends was a third of what the file cost the poll's CPU. Closed once no save is queued.
   */
  private journal?: fs.FileHandle;
  private lastSaveStartedAt = Number.NEGATIVE_INFINITY;
  private readonly archiveFile: ArchiveFile;
  private archiveLoading?: Promise<void>;

  constructor(
    readonly file: string,
    options: StateStoreOptions = {},
  ) {
    super(options);
    this.archiveFile = new ArchiveFile(`${file}.archive.jsonl`);
  }

  /** Resolves once the archive's writes are done (not part of flush(): no alert waits for them). */
  drain(): Promise<void> {
    return this.archiveFile.drain();
  }

  // The archive file is read when the archive is first used: `digest` and `feedback` never read it.
  override async archiveItems(entries: ArchivedItem[]): Promise<void> {
    await this.archiveLoaded();
    return super.archiveItems(entries);
  }

  override async archivedItems(since: number): Promise<ArchivedItem[]> {
    await this.archiveLoaded();
    return super.archivedItems(since);
  }

  private archiveLoaded(): Promise<void> {
    this.archiveLoading ??= this.ready().then(async () => this.archive.restore(await this.archiveFile.load()));
    return this.archiveLoading;
  }

  /** Resolves once every change made so far is in the file and fsynced; a failed save is retried here, whole. */
  async flush(): Promise<void> {
    if (this.queuedSave === undefined) {
      try {
        return await this.lastSave;
      } catch {
        // The file lacks changes memory holds: the retry writes them all (rewriteWhole is set).
        this.scheduleSave();
      }
    }
    return this.queuedSave;
  }

  protected override ready(): Promise<void> {
    if (this.replaying) return Promise.resolve();
    this.loading ??= this.load();
    return this.loading;
  }

  protected override changed(change: StateChange): void {
    if (this.replaying) return;
    if (change.op === 'archiveItems') {
      this.archiveFile.append(change.args[0], { bytes: () => this.archive.bytes, entries: () => this.archive.list() });
      return;
    }
    this.pendingLines.push(`${JSON.stringify(change)}\n`);
    this.scheduleSave();
  }

  /** Queues a save after the running one, unless one is queued already: it takes every change made until it starts. */
  private scheduleSave(): void {
    if (this.queuedSave !== undefined) return;
    const save = this.lastSave
      .catch(() => undefined)
      .then(() => {
        const wait = this.lastSaveStartedAt + SAVE_SPACING_MS - performance.now();
        return wait > 0 ? sleep(wait) : undefined;
      })
      .then(() => {
        this.queuedSave = undefined;
        this.lastSaveStartedAt = performance.now();
        return this.save();
      })
      .finally(() => (this.queuedSave === undefined ? this.closeJournal() : undefined));
    // Nobody may be waiting on this save: its failure is for flush() to report, not an unhandled rejection.
    save.catch(() => undefined);
    this.queuedSave = save;
    this.lastSave = save;
  }

  /** Appends the pending lines, or rewrites the file whole when the journal has outgrown the snapshot. */
  private async save(): Promise<void> {
    const lines = this.pendingLines.join('');
    this.pendingLines = [];
    const appended = this.journalBytes + Buffer.byteLength(lines);
    if (this.rewriteWhole || appended > Math.max(MIN_JOURNAL_BYTES, this.snapshotBytes)) {
      // Taken now, before any await: it holds exactly the changes made so far, the pending lines included.
      const { archive: _inItsOwnFile, ...snapshot } = this.snapshotView();
      const text = `${JSON.stringify(snapshot)}\n`;
      this.rewriteWhole = true; // until this rewrite succeeds, a later save must not append to a file without it
      await this.writeWhole(text);
      this.rewriteWhole = false;
      this.snapshotBytes = Buffer.byteLength(text);
      this.journalBytes = 0;
    } else {
      try {
        await this.append(lines);
      } catch (error) {
        this.rewriteWhole = true; // the file now lacks these lines (or holds part of them): only a snapshot mends it
        throw error;
      }
      this.journalBytes = appended;
    }
  }

  private async load(): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new StateFileError(this.file, `cannot read the state file: ${(error as Error).message}`);
    }
    // An empty file (`touch`) holds no state, so starting afresh loses nothing; the first save writes it whole.
    if (text.trim() === '') return;
    const { snapshot, entries, snapshotBytes, appendable } = this.parseFile(text);
    const parsed = snapshotSchema.safeParse(snapshot);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`);
      throw new StateFileError(this.file, `not a valid state file (${problems.join('; ')}); ${KEEP_FILE_ADVICE}`);
    }
    this.restore(parsed.data as StateSnapshot);
    this.replaying = true;
    try {
      for (const entry of entries) await this.replay(entry);
    } finally {
      this.replaying = false;
    }
    this.snapshotBytes = snapshotBytes;
    this.journalBytes = Buffer.byteLength(text) - snapshotBytes;
    this.rewriteWhole = !appendable;
  }

  /**
   * The snapshot and journal of the file's text. Appending is safe only to a file of complete compact lines: not
   * after a line cut off by a crash (it would glue the next change to it), nor to one pretty-printed document.
   */
  private parseFile(text: string): {
    snapshot: unknown;
    entries: StateChange[];
    snapshotBytes: number;
    appendable: boolean;
  } {
    const invalid = (problem: string) =>
      new StateFileError(this.file, `not a valid state file (${problem}); ${KEEP_FILE_ADVICE}`);
    let wholeError: Error;
    try {
      const snapshot = JSON.parse(text);
      const oneLine = text.indexOf('\n') === text.length - 1;
      return { snapshot, entries: [], snapshotBytes: Buffer.byteLength(text), appendable: oneLine };
    } catch (error) {
      wholeError = error as Error;
    }
    const lines = text.split('\n');
    const cutOff = lines.pop() !== '';
    const [first, ...journal] = lines;
    let snapshot: unknown;
    try {
      snapshot = JSON.parse(first ?? '');
    } catch {
      throw invalid(wholeError.message);
    }
    const entries = journal.map((line, index) => {
      try {
        return JSON.parse(line) as StateChange;
      } catch (error) {
        throw invalid(`line ${index + 2}: ${(error as Error).message}`);
      }
    });
    return { snapshot, entries, snapshotBytes: Buffer.byteLength(`${first}\n`), appendable: !cutOff };
  }

  private async replay(entry: StateChange): Promise<void> {
    switch (entry?.op) {
      case 'putFeed':
        return this.putFeed(...entry.args);
      case 'claimItem':
        await this.claimItem(...entry.args);
        return;
      case 'markSent':
        return this.markSent(...entry.args);
      case 'releaseClaim':
        return this.releaseClaim(...entry.args);
      case 'recordSilently':
        return this.recordSilently(...entry.args);
      case 'saveStoryItem':
        await this.saveStoryItem(...entry.args);
        return;
      case 'markStoryAlerted':
        return this.markStoryAlerted(...entry.args);
      case 'addTermCounts':
        return this.addTermCounts(...entry.args);
      case 'saveTopic':
        // A first profile was saved on no stored one (undefined), which its JSON line holds as null.
        await this.saveTopic(entry.args[0], entry.args[1] ?? undefined);
        return;
      case 'recordVerdict':
        await this.recordVerdict(...entry.args);
        return;
      case 'settleVerdicts':
        return this.settleVerdicts(...entry.args);
      case 'takeSmsSlot': {
        // (limit, now), (limit, now, scope), or from before the sliding window (hourStart, limit, now).
        const args: (number | string | undefined)[] = entry.args;
        const scope = typeof args.at(-1) === 'string' ? (args.at(-1) as string) : undefined;
        const numbers = args.filter((arg): arg is number => typeof arg === 'number');
        await this.takeSmsSlot(numbers.at(-2) ?? 0, numbers.at(-1) ?? 0, scope);
        return;
      }
      default:
        throw new StateFileError(
          this.file,
          `not a valid state file (unknown change ${JSON.stringify(entry)}); ${KEEP_FILE_ADVICE}`,
        );
    }
  }

  private async append(lines: string): Promise<void> {
    try {
      this.journal ??= await fs.open(this.file, 'a');
      await this.journal.writeFile(lines);
      // The data and the file's new length, which is all an append changes (sync would also flush its times).
      await this.journal.datasync();
    } catch (error) {
      await this.closeJournal();
      throw new StateFileError(this.file, `cannot save the state file: ${(error as Error).message}`);
    }
  }

  private async closeJournal(): Promise<void> {
    const journal = this.journal;
    this.journal = undefined;
    await journal?.close().catch(() => undefined);
  }

  /** A reader sees the old file or the new one, never half of one, even if the process dies mid-write. */
  private async writeWhole(text: string): Promise<void> {
    // The open journal is the file this rename replaces: appends must go to the new one.
    await this.closeJournal();
    const temp = `${this.file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      const handle = await fs.open(temp, 'wx');
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temp, this.file);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw new StateFileError(this.file, `cannot save the state file: ${(error as Error).message}`);
    }
    await syncDirectory(path.dirname(this.file));
  }
}

/** Makes the rename itself durable; some platforms cannot open a directory, and there the rename is all we have. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(directory, 'r');
    await handle.sync();
  } catch {
    // Best effort only (see above).
  } finally {
    await handle?.close();
  }
}
