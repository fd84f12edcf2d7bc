// The local archive of items read, as the memory and file stores keep it: each item once, bounded in age and bytes.
import {
  type ArchivedItem,
  type ArchiveLimits,
  archiveLimits,
  entriesToDrop,
  entryBytes,
  type SizedEntry,
} from '../core/archive';

type Shelved = SizedEntry & { entry: ArchivedItem };

export class ArchiveShelf {
  /** Item key -> entry, in the order first read (entries arrive oldest read first), so the oldest are at the front. */
  private entries = new Map<string, Shelved>();
  private totalBytes = 0;

  constructor(private readonly limits: ArchiveLimits = archiveLimits({})) {}

  /** Shelves the items not shelved yet and returns them; then drops what the limits say (core/archive.ts). */
  add(entries: readonly ArchivedItem[]): ArchivedItem[] {
    const added: ArchivedItem[] = [];
    let now = Number.NEGATIVE_INFINITY;
    for (const entry of entries) {
      now = Math.max(now, entry.readAt);
      if (this.entries.has(entry.key)) continue;
      this.put(entry);
      added.push(entry);
    }
    if (added.length > 0) this.prune(now);
    return added;
  }

  since(since: number): ArchivedItem[] {
    return [...this.entries.values()].filter((shelved) => shelved.readAt >= since).map((shelved) => shelved.entry);
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** Oldest read first, as plain JSON sharing the live objects (the snapshot's `archive`). */
  list(): ArchivedItem[] {
    return [...this.entries.values()].map((shelved) => shelved.entry);
  }

  restore(entries: readonly ArchivedItem[] | undefined): void {
    this.entries = new Map();
    this.totalBytes = 0;
    // Each item's first read: an item dropped and read again later is in an archive file twice.
    let latest = Number.NEGATIVE_INFINITY;
    for (const entry of [...(entries ?? [])].sort((a, b) => a.readAt - b.readAt)) {
      latest = entry.readAt;
      if (!this.entries.has(entry.key)) this.put(entry);
    }
    // A file may still hold entries dropped since it was last compacted, or was written under other limits.
    this.prune(latest);
  }

  private put(entry: ArchivedItem): void {
    const bytes = entryBytes(entry);
    this.entries.set(entry.key, { key: entry.key, readAt: entry.readAt, bytes, entry });
    this.totalBytes += bytes;
  }

  private prune(now: number): void {
    let drop = entriesToDrop(this.entries.values(), this.totalBytes, now, this.limits);
    for (const [key, shelved] of this.entries) {
      if (drop-- <= 0) break;
      this.entries.delete(key);
      this.totalBytes -= shelved.bytes;
    }
  }
}
