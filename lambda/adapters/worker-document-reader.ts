// DocumentReader on worker threads: a large local poll parses on the other cores while this thread fetches and files.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { FeedError } from '../core/feed-error';
import type { DocumentReader, ReadDocument } from '../ports';
import { type ReadJob, type ReadJobResult, THREAD_READY, THREAD_ROLE } from './document-reader-thread';
import { inlineDocumentReader } from './inline-document-reader';

export interface WorkerDocumentReaderOptions {
  /** Worker threads (default: one per core but this one, at most 4). */
  threads?: number;
  /**
   * A document still being read after this long fails as a parse error and its thread is replaced (default 20 s):
   * the bound on what a hostile document can cost, which the main thread alone could not enforce on itself.
   */
  timeoutMs?: number;
  /** The code a thread runs (tests: one that cannot start). Default: the reader thread module. */
  threadSource?: string;
  /**
   * Documents sent to a thread behind the one it is reading (default 4). With one at a time, a thread that finished
   * waited for the event loop, busy with fetches and filing, to take its answer and send the next document: in a
   * large poll it sat idle much of the time while feeds queued for it.
   */
  readAhead?: number;
}

interface PendingRead {
  job: ReadJob;
  resolve: (document: ReadDocument) => void;
  reject: (error: Error) => void;
}

/**
 * What a thread runs: the entry module by absolute path (an eval'd thread resolves from the working directory). Under
 * tsx or ts-jest the entry is TypeScript, so the thread first registers tsx, as cli.cjs does.
 */
export function readerThreadSource(): string {
  const entry = require.resolve('./document-reader-thread');
  const register = entry.endsWith('.ts') ? `require(${JSON.stringify(require.resolve('tsx/cjs'))});` : '';
  return `${register}require(${JSON.stringify(entry)});`;
}

/** One worker thread and the reads sent to it, which it does one at a time, in order. */
class ReaderThread {
  private worker: Worker;
  /** Loaded and waiting: a read's time limit starts when the thread can start on it, not while it loads. */
  ready = false;
  /** Terminated on purpose (the reader closed, or the threads are not used): not to be replaced. */
  private stopped = false;
  /** Sent and not yet answered, oldest first: the first is the one the thread is reading. */
  readonly inFlight: PendingRead[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: string,
    private readonly timeoutMs: number,
    private readonly onIdle: () => void,
    /** The thread could not even start: replacing it would fail the same way, again and again. */
    private readonly onBroken: (error: Error) => void,
    /** Reads sent to a thread that had to be replaced, behind the one that caused it: to be read elsewhere. */
    private readonly onReturned: (reads: PendingRead[]) => void,
  ) {
    this.worker = this.spawn();
  }

  start(read: PendingRead): void {
    this.inFlight.push(read);
    this.worker.ref(); // a pending read keeps the process alive; an idle thread does not
    if (this.inFlight.length === 1) this.startTimer();
    this.worker.postMessage(read.job);
  }

  /** Stops the thread; the reads it still held are handed back to be read elsewhere, or fail if there is nowhere. */
  terminate(): Promise<number> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.onReturned(this.inFlight.splice(0));
    return this.worker.terminate();
  }

  /** The time limit of the read at the head, which the thread is on (or starts as soon as it answers the one before). */
  private startTimer(): void {
    this.timer = setTimeout(() => {
      this.replace(new FeedError('parse', `document still not read after ${this.timeoutMs} ms: not a feed`));
    }, this.timeoutMs);
  }

  private spawn(): Worker {
    const worker = new Worker(this.source, { eval: true, workerData: THREAD_ROLE });
    worker.unref();
    // A thread replaced after its time limit may still answer: that answer belongs to a read already failed.
    worker.on('message', (message: ReadJobResult | typeof THREAD_READY) => {
      if (worker !== this.worker) return;
      if (message !== THREAD_READY) return this.settle(message);
      this.ready = true;
      this.onIdle();
    });
    // A thread that dies (out of memory on a hostile document, a bug) fails its read alone and is replaced.
    worker.on('error', (error) => {
      if (worker !== this.worker) return;
      if (!this.ready) this.onBroken(error);
      else this.replace(new FeedError('parse', `the parser thread failed: ${error.message}`));
    });
    // One that exits while idle is replaced too, or the next read would wait out its time limit on a dead thread.
    worker.on('exit', (code) => {
      if (worker !== this.worker || this.stopped) return;
      if (!this.ready) this.onBroken(new Error(`the parser thread exited (${code}) while starting`));
      else this.replace(new FeedError('parse', `the parser thread exited (${code})`));
    });
    return worker;
  }

  private settle(result: ReadJobResult): void {
    if (this.inFlight[0]?.job.id !== result.id) return; // not the read at the head: one already failed
    const read = this.inFlight.shift();
    clearTimeout(this.timer);
    if (this.inFlight.length > 0) this.startTimer();
    else this.worker.unref();
    if (!read) return;
    if (result.ok) read.resolve({ items: result.items, ms: result.ms });
    else read.reject(result.code ? new FeedError(result.code, result.message) : new Error(result.message));
    this.onIdle();
  }

  /** Fails the read the thread was on, hands back the ones behind it, and starts a fresh thread. */
  private replace(error: Error): void {
    clearTimeout(this.timer);
    const [read, ...behind] = this.inFlight.splice(0);
    const old = this.worker;
    this.ready = false;
    this.worker = this.spawn();
    void old.terminate();
    read?.reject(error);
    if (behind.length > 0) this.onReturned(behind);
    this.onIdle();
  }
}

export class WorkerDocumentReader implements DocumentReader {
  private readonly threads: ReaderThread[];
  private readonly queue: PendingRead[] = [];
  private closed = false;
  /** Set when a thread could not start: every read is then done on this thread, as without workers. */
  private startFailure: Error | undefined;

  private readonly readAhead: number;
  private nextJobId = 0;

  constructor(options: WorkerDocumentReaderOptions = {}) {
    const count = options.threads ?? Math.min(4, Math.max(1, availableParallelism() - 1));
    const timeoutMs = options.timeoutMs ?? 20_000;
    const source = options.threadSource ?? readerThreadSource();
    this.readAhead = Math.max(0, options.readAhead ?? 4);
    const onBroken = (error: Error) => this.readInline(error);
    const onReturned = (reads: PendingRead[]) => {
      if (this.closed) {
        for (const read of reads) read.reject(new Error('WorkerDocumentReader closed before reading'));
        return;
      }
      this.queue.unshift(...reads);
      if (this.startFailure) this.drainInline();
    };
    this.threads = Array.from(
      { length: count },
      () => new ReaderThread(source, timeoutMs, () => this.dispatch(), onBroken, onReturned),
    );
  }

  /** Why the threads are not used (reads went inline), if they are not. */
  get fallbackReason(): string | undefined {
    return this.startFailure?.message;
  }

  read(body: Uint8Array, contentType: string | undefined, feed: { name: string; url: string }): Promise<ReadDocument> {
    if (this.closed) return Promise.reject(new Error('WorkerDocumentReader is closed'));
    if (this.startFailure) return inlineDocumentReader.read(body, contentType, feed);
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { id: this.nextJobId++, body, contentType, feed }, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops the threads; reads still queued fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const read of this.queue.splice(0)) read.reject(new Error('WorkerDocumentReader closed before reading'));
    await Promise.all(this.threads.map((thread) => thread.terminate()));
  }

  private readInline(error: Error): void {
    if (this.startFailure) return;
    this.startFailure = error;
    for (const thread of this.threads) void thread.terminate();
    this.drainInline();
  }

  private drainInline(): void {
    for (const { job, resolve, reject } of this.queue.splice(0)) {
      inlineDocumentReader.read(job.body, job.contentType, job.feed).then(resolve, reject);
    }
  }

  /** Sends queued reads to the ready threads, the least loaded first, up to one being read and readAhead behind it. */
  private dispatch(): void {
    if (this.startFailure) return;
    while (this.queue.length > 0) {
      let target: ReaderThread | undefined;
      for (const thread of this.threads) {
        if (!thread.ready || thread.inFlight.length > this.readAhead) continue;
        if (!target || thread.inFlight.length < target.inFlight.length) target = thread;
      }
      if (!target) return;
      target.start(this.queue.shift()!);
    }
  }
}

/** Feeds in one poll from which worker threads pay for their start on a machine with 2+ cores (bench: poll). */
export const WORKER_READER_MIN_FEEDS = 50;

/** The reader for a local poll of `feeds` feeds: worker threads when there are enough feeds and a core to spare. */
export function documentReaderFor(feeds: number): { reader: DocumentReader; close: () => Promise<void> } {
  if (feeds < WORKER_READER_MIN_FEEDS || availableParallelism() < 2) {
    return { reader: inlineDocumentReader, close: async () => {} };
  }
  const reader = new WorkerDocumentReader();
  return { reader, close: () => reader.close() };
}
