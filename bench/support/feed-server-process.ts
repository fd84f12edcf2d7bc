// Child process for the poll benchmark: serves N generated feeds on 127.0.0.1 with latency, away from the poller's loop.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { conditionalFeed, FeedServer, type RouteHandler } from '../../test/support/feed-server';
import { type BenchFeedOptions, benchFeedXml } from './news-corpus';

export interface FeedServerConfig extends BenchFeedOptions {
  feeds: number;
  latencyMs: number;
  /** Serve gzipped bodies (as most feed servers do), or plain. */
  gzip: boolean;
  /** Serve HTTPS with this key and certificate, offering HTTP/2 and HTTP/1.1 (as most feed hosts do); default HTTP. */
  tls?: { key: string; cert: string };
}

/** A running server child: the URL of feed i, and how to stop it. */
export interface FeedServerChild {
  feedUrl(index: number): string;
  /** A plain-HTTP URL on a control port (not counted) answering the feed server's wire bytes so far. */
  wireBytesUrl: string;
  /** Stops the server; resolves with the CPU time (ms) it spent serving, generating the feeds excluded. */
  stop(): Promise<number>;
}

/** Forks this file as a server child and resolves once it listens. */
export function startFeedServerChild(config: FeedServerConfig): Promise<FeedServerChild> {
  const child = fork(__filename, [JSON.stringify(config)], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`feed server child exited early (${code})`)));
    child.once('message', (message: { origin: string; wireBytesUrl: string }) => {
      child.removeAllListeners('exit');
      resolve({
        feedUrl: (index) => `${message.origin}/feeds/${index}.xml`,
        wireBytesUrl: message.wireBytesUrl,
        stop: () =>
          new Promise((done) => {
            let servingCpuMs = Number.NaN;
            child.once('message', (report: { servingCpuMs: number }) => {
              servingCpuMs = report.servingCpuMs;
              child.disconnect();
            });
            child.once('exit', () => done(servingCpuMs));
            child.send('stop');
          }),
      });
    });
  });
}

/** Conditional GET as a well-behaved server answers it; gzip compressed once here, so serving costs no CPU per request. */
function feedRoute(xml: string, index: number, gzip: boolean): RouteHandler {
  const plain = conditionalFeed(xml, { etag: `"bench-${index}-v1"` });
  if (!gzip) return plain;
  const compressed = gzipSync(xml);
  return async (request) => {
    const response = await plain(request);
    if (response.status !== 200) return response;
    return { ...response, headers: { ...response.headers, 'content-encoding': 'gzip' }, body: compressed };
  };
}

async function serve(config: FeedServerConfig): Promise<void> {
  const routes: Record<string, RouteHandler> = {};
  for (let index = 0; index < config.feeds; index++) {
    routes[`/feeds/${index}.xml`] = feedRoute(benchFeedXml(index, config), index, config.gzip);
  }
  const server = await FeedServer.start({
    routes,
    latencyMs: config.latencyMs,
    ...(config.tls && { tls: config.tls }),
  });
  // Counted here, on the server's raw sockets: the poller's TLS connections are not visible to a client-side hook.
  const control = createServer((_request, response) => response.end(String(server.wireBytes)));
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  control.unref();
  const ready = process.cpuUsage();
  process.send?.({
    origin: server.origin,
    wireBytesUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}/wire-bytes`,
  });
  process.once('message', () => {
    const serving = process.cpuUsage(ready);
    process.send?.({ servingCpuMs: (serving.user + serving.system) / 1000 });
  });
  process.once('disconnect', () => {
    server.close().finally(() => process.exit(0));
  });
}

if (require.main === module) {
  serve(JSON.parse(process.argv[2] ?? '{}') as FeedServerConfig).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
