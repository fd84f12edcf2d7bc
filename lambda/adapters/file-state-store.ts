// StateStore in a local JSON file: the memory store's semantics, saved atomically (temp file, fsync, rename) on change.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { MemoryStateStore, type StateSnapshot, type StateStoreOptions } from './memory-state-store';

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

const optionalNumber = z.number().optional();
const optionalString = z.string().optional();
const strings = z.array(z.string());
const signatureSchema = z.looseObject({ title: strings, terms: strings });
const headlineFields = { id: z.string(), title: z.string(), entities: strings, firstSeenAt: z.number() };
const expiresAt = z.number();

// Story rows (docs/stories.md), absent from files written before stories existed.
const storiesSchema = z.looseObject({
  bands: z.record(
    z.string(),
    z.looseObject({
      storyId: z.string(),
      entities: strings,
      signature: signatureSchema,
      origin: signatureSchema,
      seenAt: z.number(),
      expiresAt,
    }),
  ),
  records: z.record(
    z.string(),
    z.looseObject({
      ...headlineFields,
      signature: signatureSchema,
      lastSeenAt: z.number(),
      sources: z.array(
        z.looseObject({ publisher: optionalString, link: optionalString, title: z.string(), seenAt: z.number() }),
      ),
      expiresAt,
    }),
  ),
  headlines: z.record(z.string(), z.record(z.string(), z.looseObject({ ...headlineFields, expiresAt }))),
  smsHours: z.record(z.string(), z.looseObject({ sent: z.number(), expiresAt })),
  smsHeld: z.looseObject({ count: z.number(), since: z.number(), expiresAt }).optional(),
});

// Loose objects keep fields this version does not know, so an older CLI does not drop a newer one's state.
const snapshotSchema = z.looseObject({
  version: z.literal(1),
  feeds: z.array(
    z.looseObject({
      url: z.string(),
      etag: optionalString,
      lastModified: optionalString,
      firstPolledAt: optionalNumber,
      lastSuccessAt: optionalNumber,
      lastAttemptAt: optionalNumber,
      consecutiveFailures: z.number(),
      failingSince: optionalNumber,
      nextAttemptAt: optionalNumber,
      lastError: optionalString,
      gone: z.boolean().optional(),
    }),
  ),
  items: z.record(
    z.string(),
    z.looseObject({
      status: z.enum(['claimed', 'sent', 'recorded']),
      feedUrl: z.string(),
      title: z.string(),
      aliasKeys: z.array(z.string()),
      leaseUntil: optionalNumber,
      sentAt: optionalNumber,
      alertId: optionalString,
      storyId: optionalString,
      expiresAt: z.number(),
    }),
  ),
  aliases: z.record(z.string(), z.string()),
  stories: storiesSchema.optional(),
});

export class FileStateStore extends MemoryStateStore {
  private loading?: Promise<void>;
  /** The save that will include every change made so far, while it has not started. */
  private queuedSave?: Promise<void>;
  private lastSave: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    options: StateStoreOptions = {},
  ) {
    super(options);
  }

  protected override ready(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  /** Changes made while a save is running are written together by the next one: one file write per burst. */
  protected override changed(): Promise<void> {
    if (this.queuedSave === undefined) {
      this.queuedSave = this.lastSave
        .catch(() => undefined)
        .then(() => {
          this.queuedSave = undefined;
          return this.write(this.snapshot());
        });
      this.lastSave = this.queuedSave;
    }
    return this.queuedSave;
  }

  private async load(): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new StateFileError(this.file, `cannot read the state file: ${(error as Error).message}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new StateFileError(this.file, `not a valid state file (${(error as Error).message}); ${KEEP_FILE_ADVICE}`);
    }
    const parsed = snapshotSchema.safeParse(data);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`);
      throw new StateFileError(this.file, `not a valid state file (${problems.join('; ')}); ${KEEP_FILE_ADVICE}`);
    }
    this.restore(parsed.data as StateSnapshot);
  }

  /** A reader sees the old file or the new one, never half of one, even if the process dies mid-write. */
  private async write(snapshot: StateSnapshot): Promise<void> {
    const temp = `${this.file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      const handle = await fs.open(temp, 'wx');
      try {
        await handle.writeFile(`${JSON.stringify(snapshot, null, 1)}\n`);
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
