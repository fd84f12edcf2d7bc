// `news-alerts demo`: the real poll, twice, over bundled sample feeds on 127.0.0.1 with a throwaway state file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileStateStore } from '../../adapters/file-state-store';
import { HttpFeedSource } from '../../adapters/http-feed-source';
import { inlineDocumentReader } from '../../adapters/inline-document-reader';
import { systemClock } from '../../adapters/system-clock';
import { DEFAULT_WATCHLIST_PATH, loadWatchlist } from '../../adapters/watchlist-file';
import { type CliIo, EXIT } from '../io';
import { exitCodeFor, pollAndReport } from '../poll';
import { DemoFeedServer } from './server';

export async function runDemo(io: CliIo): Promise<number> {
  const watchlist = loadWatchlist(DEFAULT_WATCHLIST_PATH);
  const server = await DemoFeedServer.start(systemClock.now());
  const stateDir = mkdtempSync(path.join(tmpdir(), 'news-alerts-demo-'));
  try {
    const say = (text: string) => io.stdout.write(`${text}\n`);
    const hours = watchlist.settings.backfillHours;
    say(`news-alerts demo: no network needed, nothing is sent anywhere.

Serving ${server.feeds.length} sample feeds on ${server.origin}: an RSS feed in the shape of BBC News, an Atom feed and a
Google News search feed. They hold the story that started this project (BBC, "Trump fires US election security
official Christopher Krebs", re-dated to a few hours ago), the same story again through Google News, NPR's coverage
of it, which joins the story instead of alerting again, look-alikes that must not alert (Brian Krebs of
KrebsOnSecurity, the Krebs cycle, pound sterling), and matching items older than the ${hours}-hour backfill window,
which the first poll of a feed records without alerting.
Entities: the default watchlist's (${DEFAULT_WATCHLIST_PATH}). State: a temporary file, deleted afterwards.
`);
    const run = {
      ports: {
        source: new HttpFeedSource({ addressPolicy: 'any' }),
        reader: inlineDocumentReader,
        state: new FileStateStore(path.join(stateDir, 'state.json')),
        clock: systemClock,
      },
      dryRun: false,
      json: false,
      explain: true,
    };

    say('== Poll 1: the alerts ==\n');
    const first = await pollAndReport(io, watchlist, server.feeds, run);

    say('\n== Poll 2: same feeds, same state ==\n');
    const second = await pollAndReport(io, watchlist, server.feeds, run);
    const repeated = second.reduce((sum, outcome) => sum + outcome.alerts.length, 0);
    const unchanged = second.filter((outcome) => outcome.status === 'not-modified').length;
    if (repeated > 0) {
      say(`\nUnexpected: the second poll alerted ${repeated} item(s) again.`);
      return EXIT.failed;
    }
    say(
      `\nNothing new: the second poll sent no alert. ${unchanged} feed(s) answered 304 Not Modified to the saved ETag;` +
        ' the others were fetched again, and every matching item in them was already alerted or recorded.',
    );
    return Math.max(exitCodeFor(first), exitCodeFor(second));
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
    await server.close();
  }
}
