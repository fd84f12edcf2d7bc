// The state file's archive of items read, in a file of its own beside it: appended without fsync, never awaited by an
// alert, compacted once dropped entries outweigh the kept ones.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { type ArchivedItem, toJsonLines } from '../core/archive';

/** The file is compacted once it is this many times the entries it still holds, and at least this big. */
const COMPACT_RATIO = 2;
const MIN_COMPACT_BYTES = 1024 * 1024;

/**
 * JSON Lines, one entry a line, oldest read first. Best effort by design: a backtest aid, not a record alerts depend on,
 * so a crash may cost its last lines (a cut-off line is skipped on load) and nothing here makes an alert wait.
 */
export class ArchiveFile {
  private writing: Promise<void> = Promise.resolve();
  private failure?: Error;
  private fileBytes = 0;

  constructor(readonly file: string) {}

  /** The entries in the file, in the order written; a line that is not JSON (cut off by a crash) is skipped. */
  async load(): Promise<ArchivedItem[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new Error(`${this.file}: cannot read the archive: ${(error as Error).message}`);
    }
    this.fileBytes = Buffer.byteLength(text);
    const entries: ArchivedItem[] = [];
    for (const line of text.split('\n')) {
      if (line === '') continue;
      try {
        entries.push(JSON.parse(line) as ArchivedItem);
      } catch {
        // Cut off by a crash mid-append: the entry is lost to the archive, nothing else.
      }
    }
    return entries;
  }

  /**
   * Queues the entries' lines; `kept` tells what the archive holds now (the bytes of its entries, and the entries), for
   * compaction. Never throws: a failed write is kept for drain() to report, and the next writes go on.
   */
  append(entries: readonly ArchivedItem[], kept: { bytes: () => number; entries: () => ArchivedItem[] }): void {
    const lines = toJsonLines(entries);
    this.writing = this.writing.then(async () => {
      try {
        await fs.appendFile(this.file, lines);
        this.fileBytes += Buffer.byteLength(lines);
        if (this.fileBytes > Math.max(MIN_COMPACT_BYTES, COMPACT_RATIO * kept.bytes()))
          await this.rewrite(kept.entries());
      } catch (error) {
        this.failure = new Error(`${this.file}: cannot save the archive: ${(error as Error).message}`);
      }
    });
  }

  /** Resolves once every queued write is done; rejects (once) if one failed. */
  async drain(): Promise<void> {
    await this.writing;
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure;
  }

  /** A reader sees the old file or the new one (temp file, rename). */
  private async rewrite(entries: readonly ArchivedItem[]): Promise<void> {
    const text = toJsonLines(entries);
    const temp = `${this.file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      await fs.writeFile(temp, text, { flag: 'wx' });
      await fs.rename(temp, this.file);
      this.fileBytes = Buffer.byteLength(text);
    } finally {
      await fs.rm(temp, { force: true });
    }
  }
}
