// Child process of the load and hostile-document tests: polls the feeds it is given through the real pipeline
// (HttpFeedSource, memory store, capturing sink) for some cycles, then prints one JSON report: outcomes, alerted
// links, peak memory and any unhandled rejection. Its own process, so the memory is its own and nothing else
// (jest) catches a rejection first.
import type { HttpFeedSourceOptions } from '../../lambda/adapters/http-feed-source';
import { MemoryStateStore } from '../../lambda/adapters/memory-state-store';
import type { FeedConfig } from '../../lambda/core/types';
import { type FeedStatus, pollFeeds } from '../../lambda/pipeline';
import type { FeedErrorCode } from '../../lambda/ports';
import { pollPorts } from '../support/poll-ports';
import { CapturingSink, ManualClock, pollOptions, testFeedSource } from './harness';

export interface PollJob {
  feeds: FeedConfig[];
  cycles: number;
  /** The pipeline clock of the first cycle; each later cycle runs a minute later. */
  now: number;
  source?: HttpFeedSourceOptions;
  concurrency?: number;
}

export interface CycleReport {
  outcomes: { url: string; status: FeedStatus; errorCode?: FeedErrorCode; error?: string; alerts: number }[];
  /** Links of the alerts published in this cycle, in order. */
  alerted: string[];
  durationMs: number;
}

export interface PollReport {
  cycles: CycleReport[];
  /** Highest heap used seen by a sampler every 20 ms (it cannot see inside one synchronous stretch). */
  peakHeapBytes: number;
  /** Highest resident set size of the process, as the kernel counted it. */
  peakRssBytes: number;
  unhandledRejections: string[];
}

async function main(): Promise<void> {
  const unhandledRejections: string[] = [];
  process.on('unhandledRejection', (reason) => unhandledRejections.push(String(reason)));
  const job = JSON.parse(process.argv[2] ?? '{}') as PollJob;

  let peakHeapBytes = 0;
  const sampler = setInterval(() => {
    peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed);
  }, 20);
  const clock = new ManualClock(job.now);
  const sink = new CapturingSink();
  const ports = pollPorts({ source: testFeedSource(job.source), state: new MemoryStateStore(), sink, clock });
  const cycles: CycleReport[] = [];
  for (let cycle = 0; cycle < job.cycles; cycle++) {
    const published = sink.published.length;
    const started = performance.now();
    const outcomes = await pollFeeds(job.feeds, ports, { ...pollOptions(), concurrency: job.concurrency });
    cycles.push({
      outcomes: outcomes.map(({ url, status, errorCode, error, alerts }) => ({
        url,
        status,
        errorCode,
        error,
        alerts: alerts.length,
      })),
      alerted: sink.links().slice(published),
      durationMs: Math.round(performance.now() - started),
    });
    clock.advance(60_000);
  }
  clearInterval(sampler);
  peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed);
  // Rejections are reported on a later turn of the event loop; give them one before reporting.
  await new Promise((resolve) => setImmediate(resolve));
  const report: PollReport = {
    cycles,
    peakHeapBytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    unhandledRejections,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

void main();
