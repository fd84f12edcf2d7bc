// A response body read within the byte cap and decompressed (gzip, deflate, br), capped again after each decoding.
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import {
  brotliDecompress,
  brotliDecompressSync,
  gunzip,
  gunzipSync,
  inflate,
  inflateRaw,
  inflateRawSync,
  inflateSync,
} from 'node:zlib';
import type { FeedError, FeedErrorCode } from '../core/feed-error';
import { errorCode } from './http-failure';

/** Makes the fetch's FeedError (its message names the feed and any redirect). */
export type FailWith = (code: FeedErrorCode, detail: string) => FeedError;

export interface BodyResponse {
  headers: IncomingHttpHeaders;
  body: Readable;
}

interface Decompressor {
  onThisThread(input: Buffer, options: { maxOutputLength: number }): Buffer;
  onThreadPool(
    input: Buffer,
    options: { maxOutputLength: number },
    callback: (error: Error | null, result: Buffer) => void,
  ): void;
}

const GUNZIP: Decompressor = { onThisThread: gunzipSync, onThreadPool: gunzip };

/** Decoders by Content-Encoding. `deflate` is meant to be zlib-wrapped, but some servers send raw DEFLATE. */
const DECOMPRESSORS: Record<string, (input: Buffer) => Decompressor> = {
  gzip: () => GUNZIP,
  'x-gzip': () => GUNZIP,
  deflate: (input) =>
    hasZlibHeader(input)
      ? { onThisThread: inflateSync, onThreadPool: inflate }
      : { onThisThread: inflateRawSync, onThreadPool: inflateRaw },
  br: () => ({ onThisThread: brotliDecompressSync, onThreadPool: brotliDecompress }),
};

/**
 * Bodies up to this size (compressed) are decompressed in one call on this thread: a thread-pool round trip costs
 * more CPU than inflating a typical feed, and a body this small inflates quickly even up to the cap. Larger ones go to the thread pool, so that a long inflate does not stall the other fetches.
 */
const INFLATE_HERE_MAX_BYTES = 64 * 1024;

function hasZlibHeader(input: Buffer): boolean {
  if (input.length < 2) return false;
  const header = input.readUInt16BE(0);
  return ((header >> 8) & 0x0f) === 8 && header % 31 === 0;
}

/** The body, refused once over `maxBytes` as received, then decoded. */
export async function readBody(response: BodyResponse, maxBytes: number, fail: FailWith): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (declared > maxBytes) {
    throw fail('too-large', `body of ${declared} bytes (Content-Length) is over the ${maxBytes}-byte cap`);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > maxBytes) throw fail('too-large', `body is over the ${maxBytes}-byte cap`);
    chunks.push(chunk);
  }
  return decodeBody(Buffer.concat(chunks, received), response.headers['content-encoding'], maxBytes, fail);
}

/** Undoes each Content-Encoding, last applied first, capping every decoded size (a small gzip can hold gigabytes). */
async function decodeBody(
  raw: Buffer,
  contentEncoding: string | undefined,
  maxBytes: number,
  fail: FailWith,
): Promise<Buffer> {
  const encodings = (contentEncoding ?? '')
    .split(',')
    .map((encoding) => encoding.trim().toLowerCase())
    .filter((encoding) => encoding !== '' && encoding !== 'identity')
    .reverse();
  let body = raw;
  for (const encoding of encodings) {
    if (body.length === 0) break;
    const decompressor = DECOMPRESSORS[encoding];
    if (!decompressor) throw fail('parse', `unsupported Content-Encoding "${encoding}"`);
    const decompress = decompressor(body);
    const input = body;
    const options = { maxOutputLength: maxBytes };
    try {
      body =
        input.length <= INFLATE_HERE_MAX_BYTES
          ? decompress.onThisThread(input, options)
          : await new Promise<Buffer>((resolve, reject) =>
              decompress.onThreadPool(input, options, (error, result) => (error ? reject(error) : resolve(result))),
            );
    } catch (error) {
      if (errorCode(error) === 'ERR_BUFFER_TOO_LARGE') {
        throw fail('too-large', `${encoding} body decompresses to over the ${maxBytes}-byte cap`);
      }
      throw fail('parse', `could not decompress the ${encoding} body (${(error as Error).message})`);
    }
  }
  return body;
}
