// Child process for the leak test: runs the fetches named on its command line, prints the outcomes, then must exit
// on its own; a socket or timer left behind would keep it running until the watchdog reports it.
import { HttpFeedSource, type HttpFeedSourceOptions } from '../../lambda/adapters/http-feed-source';
import { FeedError } from '../../lambda/core/feed-error';

interface Job {
  url: string;
  options: HttpFeedSourceOptions;
}

async function main(): Promise<void> {
  const jobs = JSON.parse(process.argv[2] ?? '[]') as Job[];
  const outcomes: string[] = [];
  for (const job of jobs) {
    const outcome = await new HttpFeedSource(job.options).fetch({ url: job.url }).then(
      (response) => response.kind,
      (error: unknown) => (error instanceof FeedError ? error.code : `unexpected: ${String(error)}`),
    );
    outcomes.push(outcome);
  }
  process.stdout.write(JSON.stringify(outcomes));
  setTimeout(() => {
    process.stderr.write(`still running: ${JSON.stringify(process.getActiveResourcesInfo())}`);
    process.exit(3);
  }, 20_000).unref();
}

void main();
