// The archive of items read, in S3: each batch's items as one gzipped JSON Lines object, and the reader `backtest` uses.
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type ArchivedItem, archiveObjectKey, archiveObjectTime, fromJsonLines, toJsonLines } from '../core/archive';
import type { ArchiveSource, Clock, ItemArchive } from '../ports';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export interface S3ArchiveLocation {
  bucket: string;
  /** Key prefix without a trailing slash; the poll function may write under it alone. */
  prefix: string;
}

/**
 * Collects the items of a batch's feeds (archiveItems never fails) and writes them as one object on drain(), which the
 * poll handler calls once the batch's alerts are out: a failed write loses the batch's archive, never an alert.
 */
export class S3ItemArchive implements ItemArchive {
  private pending: ArchivedItem[] = [];
  private client?: S3Client;

  /** `client`: built on the first write (a function's cold start should not pay for a client it may not use yet). */
  constructor(
    private readonly makeClient: () => S3Client,
    private readonly location: S3ArchiveLocation,
    private readonly clock: Clock,
  ) {}

  async archiveItems(entries: ArchivedItem[]): Promise<void> {
    this.pending.push(...entries);
  }

  /** Writes what was collected since the last drain (nothing when nothing was read); the batch is dropped either way. */
  async drain(): Promise<{ items: number; bytes: number }> {
    const entries = this.pending;
    this.pending = [];
    if (entries.length === 0) return { items: 0, bytes: 0 };
    const body = await gzipAsync(toJsonLines(entries));
    this.client ??= this.makeClient();
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.location.bucket,
        Key: archiveObjectKey(this.location.prefix, this.clock.now(), randomBytes(6).toString('hex')),
        Body: body,
        ContentType: 'application/x-ndjson',
        ContentEncoding: 'gzip',
      }),
    );
    return { items: entries.length, bytes: body.byteLength };
  }
}

/** Reads the objects S3ItemArchive wrote under a prefix; skips those its key dates before `since`. */
export class S3ArchiveReader implements ArchiveSource {
  constructor(
    private readonly client: S3Client,
    private readonly location: S3ArchiveLocation,
  ) {}

  async archivedItems(since: number): Promise<ArchivedItem[]> {
    const keys = await this.keysSince(since);
    const entries: ArchivedItem[] = [];
    for (const key of keys) {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: key }));
      const bytes = await object.Body?.transformToByteArray();
      if (bytes === undefined) continue;
      // An object is stored gzipped; a client that already inflated it (Content-Encoding) hands over plain text.
      const text = isGzip(bytes) ? (await gunzipAsync(bytes)).toString('utf8') : Buffer.from(bytes).toString('utf8');
      const source = `s3://${this.location.bucket}/${key}`;
      entries.push(...fromJsonLines(text, source).filter((entry) => entry.readAt >= since));
    }
    return entries;
  }

  /** An object's key holds when it was written, at or after each of its items was read. */
  private async keysSince(since: number): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    const prefix = this.location.prefix === '' ? undefined : `${this.location.prefix.replace(/\/+$/, '')}/`;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        const written = object.Key === undefined ? undefined : archiveObjectTime(object.Key);
        if (object.Key !== undefined && written !== undefined && written >= since) keys.push(object.Key);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return keys.sort();
  }
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}
