// Child process for the poll benchmark: two cycles of pollFeeds over the real adapters, timed stage by stage.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileStateStore } from '../../lambda/adapters/file-state-store';
import { HttpFeedSource } from '../../lambda/adapters/http-feed-source';
import { inlineDocumentReader } from '../../lambda/adapters/inline-document-reader';
import { systemClock } from '../../lambda/adapters/system-clock';
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { documentReaderFor } from '../../lambda/adapters/worker-document-reader';
import { compileMatcher, type Matcher } from '../../lambda/core/match';
import type { FeedConfig } from '../../lambda/core/types';
import { type PollPorts, pollFeeds } from '../../lambda/pipeline';
import type { AlertSink, DocumentReader, FeedSource, StateStore } from '../../lambda/ports';

export interface PollCycleConfig {
  feedUrls: string[];
  /** Answers the feed server's wire bytes so far (TCP payload both ways, counted on its sockets). */
  wireBytesUrl: string;
  /** The HTTPS feed server's certificate, to trust. */
  ca?: string;
  concurrency: number;
  /** How documents are parsed: as the local command chooses for this many feeds (default), or on the loop. */
  reader?: 'as-the-cli-does' | 'inline';
  /** Keep the items read in the state file, as `news-alerts poll` does by default (settings.archiveDays). */
  archive?: boolean;
}

export interface CycleFigures {
  wallMs: number;
  /** This process's CPU time (user + system) during the cycle. */
  cpuMs: number;
  /** Share of the cycle's wall time the event loop was busy running JavaScript. */
  loopBusy: number;
  statuses: Record<string, number>;
  items: number;
  alerts: number;
  /** Bytes on the wire both ways (TCP payload: headers, bodies, TLS records and handshakes), counted by the server. */
  wireBytes: number;
  /** Feed bodies after decompression. */
  bodyBytes: number;
  /** Summed over feeds: fetch (request to body), parse + normalize, match, and every awaited state store call. */
  fetchMs: number;
  parseMs: number;
  /** Summed over feeds: from handing a document to the reader to getting its items (parseMs plus the queue). */
  readWaitMs: number;
  matchMs: number;
  stateMs: number;
  stateCalls: number;
  stateFileBytes: number;
}

export interface PollCycleResult {
  concurrency: number;
  first: CycleFigures;
  second: CycleFigures;
  /** Peak resident set size of this process over both cycles. */
  peakRssBytes: number;
}

/** Runs the two cycles in a fresh child process (so its peak RSS is its own) and returns what it measured. */
export function runPollCycleChild(config: PollCycleConfig): Promise<PollCycleResult> {
  // BENCH_CPU_PROF=<dir>: write the poller's CPU profile there (where the time goes, function by function).
  const profile = process.env.BENCH_CPU_PROF;
  const child = fork(__filename, [], {
    execArgv: ['--import', 'tsx', ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.send(config);
  return new Promise((resolve, reject) => {
    child.once('message', (result: PollCycleResult) => resolve(result));
    child.once('exit', (code) => reject(new Error(`poll cycle child exited with ${code} before reporting`)));
    child.once('error', reject);
  });
}

/** Sums the time callers spend awaiting each method of an object (a port or the matcher). */
class StageTimer {
  ms = 0;
  calls = 0;

  wrap<T extends object>(target: T): T {
    return new Proxy(target, {
      get: (object, key, receiver) => {
        const value = Reflect.get(object, key, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const start = performance.now();
          const result = value.apply(object, args);
          if (result instanceof Promise) {
            return result.finally(() => this.add(start));
          }
          this.add(start);
          return result;
        };
      },
    });
  }

  private add(start: number): void {
    this.ms += performance.now() - start;
    this.calls += 1;
  }
}

const countingSink: AlertSink = {
  async publish(alerts) {
    return alerts.map((alert) => ({ alertId: alert.id, ok: true as const }));
  },
};

async function run(config: PollCycleConfig): Promise<PollCycleResult> {
  const directory = mkdtempSync(path.join(tmpdir(), 'news-alerts-bench-'));
  const stateFile = path.join(directory, 'state.json');
  const wireBytes = async (): Promise<number> => Number(await (await fetch(config.wireBytesUrl)).text());
  const watchlist = loadWatchlist();
  const feeds: FeedConfig[] = config.feedUrls.map((url, index) => ({ url, name: `Bench feed ${index}` }));
  const store = new FileStateStore(stateFile);
  const reading =
    config.reader === 'inline'
      ? { reader: inlineDocumentReader, close: async () => {} }
      : documentReaderFor(config.feedUrls.length);
  try {
    const cycle = async (): Promise<CycleFigures> => {
      const fetchTimer = new StageTimer();
      const stateTimer = new StageTimer();
      const matchTimer = new StageTimer();
      const readTimer = new StageTimer();
      let parseMs = 0;
      const ports: PollPorts = {
        source: fetchTimer.wrap<FeedSource>(new HttpFeedSource(config.ca ? { ca: config.ca } : {})),
        state: stateTimer.wrap<StateStore>(store),
        sink: countingSink,
        clock: systemClock,
        reader: readTimer.wrap<DocumentReader>(reading.reader),
        ...(config.archive === true && { archive: store }),
      };
      const wireBefore = await wireBytes();
      const loopBefore = performance.eventLoopUtilization();
      const cpuBefore = process.cpuUsage();
      const start = performance.now();
      const outcomes = await pollFeeds(feeds, ports, {
        matcher: matchTimer.wrap<Matcher>(compileMatcher(watchlist.entities)),
        entities: watchlist.entities,
        backfillHours: watchlist.settings.backfillHours,
        concurrency: config.concurrency,
        onParsed: (_url, _items, ms) => {
          parseMs += ms;
        },
      });
      // The archive's writes end with the poll, as `news-alerts poll` waits for them before it exits.
      if (config.archive === true) await store.drain();
      const wallMs = performance.now() - start;
      const cpu = process.cpuUsage(cpuBefore);
      const statuses: Record<string, number> = {};
      for (const outcome of outcomes) statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
      return {
        wallMs,
        cpuMs: (cpu.user + cpu.system) / 1000,
        loopBusy: performance.eventLoopUtilization(performance.eventLoopUtilization(), loopBefore).utilization,
        statuses,
        items: outcomes.reduce((sum, outcome) => sum + outcome.items, 0),
        alerts: outcomes.reduce((sum, outcome) => sum + outcome.alerts.length, 0),
        wireBytes: (await wireBytes()) - wireBefore,
        bodyBytes: outcomes.reduce((sum, outcome) => sum + (outcome.bytes ?? 0), 0),
        fetchMs: fetchTimer.ms,
        parseMs,
        readWaitMs: readTimer.ms,
        matchMs: matchTimer.ms,
        stateMs: stateTimer.ms,
        stateCalls: stateTimer.calls,
        stateFileBytes:
          (statSync(stateFile, { throwIfNoEntry: false })?.size ?? 0) +
          (statSync(`${stateFile}.archive.jsonl`, { throwIfNoEntry: false })?.size ?? 0),
      };
    };
    const first = await cycle();
    const second = await cycle();
    return {
      concurrency: config.concurrency,
      first,
      second,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    await reading.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

if (require.main === module) {
  process.once('message', (config: PollCycleConfig) => {
    run(config).then(
      (result) => process.send?.(result, () => process.exit(0)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
