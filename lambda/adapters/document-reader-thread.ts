// Worker-thread side of WorkerDocumentReader: reads each document it is sent and posts back the items or the error.
import { parentPort, workerData } from 'node:worker_threads';
import { FeedError } from '../core/feed-error';
import { readDocument } from '../core/read-document';

export interface ReadJob {
  /** Echoed in the result: a thread may hold several jobs, and answers them in the order they came. */
  id: number;
  body: Uint8Array;
  contentType: string | undefined;
  feed: { name: string; url: string };
}

export type ReadJobResult = { id: number } & (
  | { ok: true; items: Awaited<ReturnType<typeof readDocument>>; ms: number }
  /** A FeedError crosses as its parts (`code` set); anything else as a message, to be reported as our own error. */
  | { ok: false; message: string; code?: FeedError['code'] }
);

/** Posted once the thread has loaded the parser and can take reads. */
export const THREAD_READY = 'ready';
/** workerData that marks a thread started by WorkerDocumentReader (another host's worker may import this module). */
export const THREAD_ROLE = 'news-alerts-document-reader';

const port = workerData === THREAD_ROLE ? parentPort : null;
if (port) {
  // One job at a time, in the order they came: the reader times the oldest job it sent, and holds the others behind it.
  const jobs: ReadJob[] = [];
  let reading = false;
  const readAll = async (): Promise<void> => {
    reading = true;
    for (let job = jobs.shift(); job !== undefined; job = jobs.shift()) port.postMessage(await read(job));
    reading = false;
  };
  port.on('message', (job: ReadJob) => {
    jobs.push(job);
    if (!reading) void readAll();
  });
  port.postMessage(THREAD_READY);
}

async function read({ id, body, contentType, feed }: ReadJob): Promise<ReadJobResult> {
  const start = performance.now();
  try {
    return { id, ok: true, items: await readDocument(body, contentType, feed), ms: performance.now() - start };
  } catch (error) {
    return error instanceof FeedError
      ? { id, ok: false, message: error.message, code: error.code }
      : { id, ok: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}
