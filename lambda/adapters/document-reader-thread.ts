// Worker-thread side of WorkerDocumentReader: reads each document it is sent and posts back the items or the error.
import { parentPort, workerData } from 'node:worker_threads';
import { readDocument } from '../core/read-document';
import { FeedError } from '../ports';

export interface ReadJob {
  body: Uint8Array;
  contentType: string | undefined;
  feed: { name: string; url: string };
}

export type ReadJobResult =
  | { ok: true; items: Awaited<ReturnType<typeof readDocument>>; ms: number }
  /** A FeedError crosses as its parts (`code` set); anything else as a message, to be reported as our own error. */
  | { ok: false; message: string; code?: FeedError['code'] };

/** Posted once the thread has loaded the parser and can take reads. */
export const THREAD_READY = 'ready';
/** workerData that marks a thread started by WorkerDocumentReader (another host's worker may import this module). */
export const THREAD_ROLE = 'news-alerts-document-reader';

const port = workerData === THREAD_ROLE ? parentPort : null;
if (port) {
  port.on('message', async ({ body, contentType, feed }: ReadJob) => {
    const start = performance.now();
    let result: ReadJobResult;
    try {
      result = { ok: true, items: await readDocument(body, contentType, feed), ms: performance.now() - start };
    } catch (error) {
      result =
        error instanceof FeedError
          ? { ok: false, message: error.message, code: error.code }
          : { ok: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    port.postMessage(result);
  });
  port.postMessage(THREAD_READY);
}
