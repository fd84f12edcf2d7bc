// HttpFeedSource against real HTTPS servers on 127.0.0.1: HTTP/2 where offered, HTTP/1.1 where not, same outcomes.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { gzipSync } from 'node:zlib';
import { HttpFeedSource, type HttpFeedSourceOptions } from '../../lambda/adapters/http-feed-source';
import { FeedError } from '../../lambda/core/feed-error';
import type { FetchResponse } from '../../lambda/ports';
import { type CannedResponse, conditionalFeed, FeedServer, type FeedServerOptions } from '../support/feed-server';
import { runNodeChild, runTsChild } from '../support/node-child';
import { localhostCertificate, type TlsCertificate } from '../support/tls-certificate';

const FEED = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Election security</title>
<item><title>Sterling briefs county clerks on the audit</title><link>https://example.com/a</link></item>
</channel></rss>`;
const RSS = { 'content-type': 'application/rss+xml; charset=utf-8' };

let certificate: TlsCertificate;
const servers: FeedServer[] = [];

beforeAll(async () => {
  certificate = await localhostCertificate();
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function httpsServer(options: Omit<FeedServerOptions, 'tls'> = {}, http1Only = false): Promise<FeedServer> {
  const server = await FeedServer.start({ ...options, tls: { ...certificate, http1Only } });
  servers.push(server);
  return server;
}

/** A source that trusts the test certificate, as a deployment trusts a public CA. */
function trustingSource(options: HttpFeedSourceOptions = {}): HttpFeedSource {
  return new HttpFeedSource({ ca: certificate.cert, ...options });
}

function text(response: FetchResponse): string {
  if (response.kind !== 'ok') throw new Error(`expected a body, got ${response.kind}`);
  return Buffer.from(response.body).toString('utf8');
}

async function fetchError(source: HttpFeedSource, url: string): Promise<FeedError> {
  const outcome = await source.fetch({ url }).then(
    (response) => new Error(`expected a FeedError, got ${response.kind}`),
    (error: unknown) => error,
  );
  if (!(outcome instanceof FeedError)) throw outcome;
  return outcome;
}

describe('HttpFeedSource over HTTPS: HTTP/2', () => {
  it('fetches a feed over HTTP/2 when the server offers it, with its validators and final URL', async () => {
    const server = await httpsServer({ routes: { '/feed.xml': conditionalFeed(FEED, { etag: '"v1"' }) } });
    const response = await trustingSource().fetch({ url: server.url('/feed.xml') });
    expect(text(response)).toBe(FEED);
    expect(response).toMatchObject({ etag: '"v1"', finalUrl: server.url('/feed.xml') });
    expect(server.requests.map((request) => request.httpVersion)).toEqual(['2.0']);
    expect(server.requests[0]?.headers).toMatchObject({ 'accept-encoding': 'gzip, deflate, br' });
  });

  it('answers not-modified on a 304, and fetches the full feed again once it changes', async () => {
    const server = await httpsServer({ routes: { '/feed.xml': conditionalFeed(FEED, { etag: '"v1"' }) } });
    const source = trustingSource();
    expect(await source.fetch({ url: server.url('/feed.xml'), etag: '"v1"' })).toEqual({ kind: 'not-modified' });
    server.route('/feed.xml', conditionalFeed(`${FEED}\n`, { etag: '"v2"' }));
    expect(await source.fetch({ url: server.url('/feed.xml'), etag: '"v1"' })).toMatchObject({ etag: '"v2"' });
    expect(server.requests.map((request) => request.headers['if-none-match'])).toEqual(['"v1"', '"v1"']);
  });

  it('fetches every feed of one host over one connection, concurrent fetches included', async () => {
    const routes: Record<string, CannedResponse> = {};
    for (let feed = 0; feed < 30; feed++) routes[`/${feed}.xml`] = { headers: RSS, body: FEED };
    const server = await httpsServer({ routes, latencyMs: 20 });
    const source = trustingSource();
    const urls = Object.keys(routes).map((path) => server.url(path));
    const first = await Promise.all(urls.map((url) => source.fetch({ url })));
    const second = await Promise.all(urls.map((url) => source.fetch({ url })));
    expect([...first, ...second].map(text)).toEqual(Array(60).fill(FEED));
    expect(server.connectionsAccepted).toBe(1);
    expect(new Set(server.requests.map((request) => request.httpVersion))).toEqual(new Set(['2.0']));
  });

  it('moves under half the bytes of HTTP/1.1 for a poll of unchanged feeds, headers being HPACK-compressed', async () => {
    const routes: Record<string, ReturnType<typeof conditionalFeed>> = {};
    for (let feed = 0; feed < 20; feed++) routes[`/${feed}.xml`] = conditionalFeed(FEED, { etag: `"feed-${feed}-v1"` });
    const server = await httpsServer({ routes });
    const bytesPer304 = async (source: HttpFeedSource): Promise<number> => {
      await source.fetch({ url: server.url('/0.xml') }); // the handshake, outside the measure
      const before = server.wireBytes;
      for (const [path, _] of Object.entries(routes)) {
        const response = await source.fetch({ url: server.url(path), etag: `"feed-${path.slice(1, -4)}-v1"` });
        expect(response).toEqual({ kind: 'not-modified' });
      }
      return (server.wireBytes - before) / 20;
    };
    const http2 = await bytesPer304(trustingSource());
    const http1 = await bytesPer304(trustingSource({ http2: false }));
    expect(http2).toBeLessThan(http1 / 2);
  });

  it('opens a connection per fetch when not pooling (the Lambda default), resolving and checking each time', async () => {
    const server = await httpsServer({ routes: { '/feed.xml': { headers: RSS, body: FEED } } });
    const resolved: string[] = [];
    const source = trustingSource({
      addressPolicy: (ip) => ip === '127.0.0.1', // the test server trusted as if public
      resolve: async (hostname) => {
        resolved.push(hostname);
        return ['127.0.0.1'];
      },
    });
    const url = `https://localhost:${server.port}/feed.xml`;
    expect(text(await source.fetch({ url }))).toBe(FEED);
    expect(text(await source.fetch({ url }))).toBe(FEED);
    expect(resolved).toEqual(['localhost', 'localhost']);
    expect(server.connectionsAccepted).toBe(2);
    expect(server.requests.map((request) => request.httpVersion)).toEqual(['2.0', '2.0']);
  });

  it('refuses a name that resolves to an internal address before opening a TLS connection', async () => {
    const server = await httpsServer({ routes: { '/feed.xml': { body: FEED } } });
    const source = trustingSource({ addressPolicy: 'public-only', resolve: async () => ['127.0.0.1'] });
    const error = await fetchError(source, `https://localhost:${server.port}/feed.xml`);
    expect(error.code).toBe('blocked-address');
    expect(server.connectionsAccepted).toBe(0);
  });

  it('decompresses, and holds HTTP/2 bodies to the byte cap', async () => {
    const big = 'x'.repeat(50_000);
    const server = await httpsServer({
      routes: {
        '/gzip.xml': { headers: RSS, body: FEED, encoding: 'gzip' },
        '/declared.xml': { body: big },
        '/chunked.xml': { body: big, chunked: true },
        '/bomb.xml': { headers: { 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(2_000_000)) },
      },
    });
    const source = trustingSource({ maxBytes: 10_000 });
    expect(text(await source.fetch({ url: server.url('/gzip.xml') }))).toBe(FEED);
    for (const path of ['/declared.xml', '/chunked.xml', '/bomb.xml']) {
      expect((await fetchError(source, server.url(path))).code).toBe('too-large');
    }
  });

  it('reports HTTP errors as over HTTP/1.1, Retry-After included', async () => {
    const server = await httpsServer({
      routes: {
        '/busy.xml': { status: 429, headers: { 'retry-after': '120' } },
        '/gone.xml': { status: 410 },
        '/missing.xml': { status: 404 },
      },
    });
    const source = trustingSource();
    expect(await fetchError(source, server.url('/busy.xml'))).toMatchObject({
      code: 'rate-limited',
      details: { httpStatus: 429, retryAfterMs: 120_000 },
    });
    expect((await fetchError(source, server.url('/gone.xml'))).code).toBe('gone');
    const missing = await fetchError(source, server.url('/missing.xml'));
    expect(missing.code).toBe('http-status');
    expect(missing.message).toBe(`${server.url('/missing.xml')}: HTTP 404`);
  });

  it('gives up on a stream that never answers at the deadline, and one that goes silent at the idle timeout', async () => {
    const server = await httpsServer({
      routes: {
        '/hang.xml': { hang: true },
        '/silent.xml': { body: FEED, drip: { intervalMs: 60_000 } },
        '/ok.xml': { body: FEED },
      },
    });
    const source = trustingSource({ timeoutMs: 300, idleTimeoutMs: 200 });
    const hang = await fetchError(source, server.url('/hang.xml'));
    expect(hang.code).toBe('timeout');
    expect(hang.message).toMatch(/no (complete response within 300|data from the server for 200) ms$/);
    expect((await fetchError(source, server.url('/silent.xml'))).message).toMatch(
      /no data from the server for 200 ms$/,
    );
    // The abandoned streams were cancelled, not their shared connection.
    expect(text(await source.fetch({ url: server.url('/ok.xml') }))).toBe(FEED);
    expect(server.connectionsAccepted).toBe(1);
  });

  it('follows a redirect from an HTTP/2 host to a plain HTTP one', async () => {
    const plain = await FeedServer.start({ routes: { '/moved.xml': { headers: RSS, body: FEED } } });
    servers.push(plain);
    const server = await httpsServer({
      routes: { '/feed.xml': { status: 301, headers: { location: plain.url('/moved.xml') } } },
    });
    const response = await trustingSource().fetch({ url: server.url('/feed.xml') });
    expect(text(response)).toBe(FEED);
    expect(response).toMatchObject({ finalUrl: plain.url('/moved.xml') });
  });

  it('reconnects when the server has dropped the pooled connection', async () => {
    const server = await httpsServer({ routes: { '/feed.xml': { headers: RSS, body: FEED } } });
    const source = trustingSource();
    expect(text(await source.fetch({ url: server.url('/feed.xml') }))).toBe(FEED);
    server.dropConnections();
    expect(text(await source.fetch({ url: server.url('/feed.xml') }))).toBe(FEED);
    expect(server.connectionsAccepted).toBe(2);
  });

  it('moves to a new connection when the server sends GOAWAY, finishing the fetches already under way', async () => {
    const routes: Record<string, CannedResponse> = {};
    for (let feed = 0; feed < 10; feed++) routes[`/${feed}.xml`] = { headers: RSS, body: FEED, delayMs: 200 };
    const server = await httpsServer({ routes });
    const source = trustingSource();
    const urls = Object.keys(routes).map((path) => server.url(path));
    const underway = Promise.all(urls.map((url) => source.fetch({ url })));
    // GOAWAY once every request is in (not after a fixed wait, which a loaded machine outlasts), answers still pending.
    while (server.requests.length < urls.length) await new Promise((resolve) => setTimeout(resolve, 2));
    server.goAway();
    const after = await Promise.all(urls.map((url) => source.fetch({ url })));
    expect([...(await underway), ...after].map(text)).toEqual(Array(20).fill(FEED));
    expect(server.connectionsAccepted).toBe(2);
  });

  it('refuses a certificate it does not trust', async () => {
    const server = await httpsServer({ routes: { '/feed.xml': { body: FEED } } });
    const error = await fetchError(new HttpFeedSource(), server.url('/feed.xml'));
    expect(error.code).toBe('network');
    expect(error.message).toMatch(/self[- ]signed certificate/i);
    expect(server.requests).toHaveLength(0);
  });

  it('speaks HTTP/1.1 alone when told to', async () => {
    const server = await httpsServer({ routes: { '/feed.xml': { body: FEED } } });
    const source = trustingSource({ http2: false });
    await source.fetch({ url: server.url('/feed.xml') });
    expect(server.requests.map((request) => request.httpVersion)).toEqual(['1.1']);
  });
});

describe('HttpFeedSource over HTTPS: servers without HTTP/2', () => {
  it('asks again over HTTP/1.1 when the server requires it (HTTP_1_1_REQUIRED), and goes on that way', async () => {
    const server = await httpsServer({ routes: { '/feed.xml': { headers: RSS, body: FEED, http2Reset: 13 } } });
    const source = trustingSource();
    expect(text(await source.fetch({ url: server.url('/feed.xml') }))).toBe(FEED);
    expect(text(await source.fetch({ url: server.url('/feed.xml') }))).toBe(FEED);
    expect(server.requests.map((request) => request.httpVersion)).toEqual(['2.0', '1.1', '1.1']);
  });

  it('falls back to HTTP/1.1 when a server negotiates h2 but does not speak it', async () => {
    // What a misconfigured proxy does: ALPN says h2, then HTTP/1.1 bytes come back.
    const broken = createTlsServer({ ...certificate, ALPNProtocols: ['h2', 'http/1.1'] }, (socket) => {
      socket.on('error', () => {});
      if (socket.alpnProtocol === 'h2') socket.write('HTTP/1.1 400 Bad Request\r\n\r\n');
      else socket.once('data', () => socket.end(`HTTP/1.1 200 OK\r\ncontent-length: ${FEED.length}\r\n\r\n${FEED}`));
    });
    broken.listen(0, '127.0.0.1');
    await once(broken, 'listening');
    try {
      const url = `https://127.0.0.1:${(broken.address() as AddressInfo).port}/feed.xml`;
      const source = trustingSource();
      expect(text(await source.fetch({ url }))).toBe(FEED);
      expect(text(await source.fetch({ url }))).toBe(FEED);
    } finally {
      broken.close();
    }
  });

  it('fetches over HTTP/1.1, and after the first fetch goes straight to pooled HTTP/1.1 connections', async () => {
    const server = await httpsServer({ routes: { '/feed.xml': conditionalFeed(FEED, { etag: '"v1"' }) } }, true);
    const source = trustingSource();
    expect(text(await source.fetch({ url: server.url('/feed.xml') }))).toBe(FEED);
    expect(await source.fetch({ url: server.url('/feed.xml'), etag: '"v1"' })).toEqual({ kind: 'not-modified' });
    expect(text(await source.fetch({ url: server.url('/feed.xml') }))).toBe(FEED);
    expect(server.requests.map((request) => request.httpVersion)).toEqual(['1.1', '1.1', '1.1']);
    // The first fetch used the connection that learnt the protocol; the others share one pooled connection.
    expect(server.connectionsAccepted).toBe(2);
  });

  it('sends concurrent first fetches over HTTP/1.1 too, once the shared connection shows there is no HTTP/2', async () => {
    const routes: Record<string, CannedResponse> = {};
    for (let feed = 0; feed < 10; feed++) routes[`/${feed}.xml`] = { body: FEED };
    const server = await httpsServer({ routes }, true);
    const source = trustingSource();
    const responses = await Promise.all(Object.keys(routes).map((path) => source.fetch({ url: server.url(path) })));
    expect(responses.map(text)).toEqual(Array(10).fill(FEED));
    expect(server.requests).toHaveLength(10);
  });
});

// node:http2 takes milliseconds to load, which every poll function's cold start would pay (bench/lambda.ts). A fresh
// process, as loaded modules are per process.
test('loads node:http2 only when a fetch gets an HTTP/2 session, not for plain HTTP or at import', async () => {
  const plain = await FeedServer.start({ routes: { '/feed.xml': { body: FEED } } });
  servers.push(plain);
  const secure = await httpsServer({ routes: { '/feed.xml': { body: FEED } } });
  const script = `
    const { HttpFeedSource } = require(${JSON.stringify(join(__dirname, '..', '..', 'lambda', 'adapters', 'http-feed-source.ts'))});
    const http2Loaded = () => process.moduleLoadList.includes('NativeModule http2');
    (async () => {
      const source = new HttpFeedSource({ ca: ${JSON.stringify(certificate.cert)} });
      const atImport = http2Loaded();
      await source.fetch({ url: ${JSON.stringify(plain.url('/feed.xml'))} });
      const afterHttp = http2Loaded();
      await source.fetch({ url: ${JSON.stringify(secure.url('/feed.xml'))} });
      console.log(JSON.stringify({ atImport, afterHttp, afterHttp2: http2Loaded() }));
    })();
  `;
  const child = await runNodeChild(['--require', 'tsx/cjs', '-e', script]);
  expect(JSON.parse(child.stdout)).toEqual({ atImport: false, afterHttp: false, afterHttp2: true });
  expect(secure.requests.map((request) => request.httpVersion)).toEqual(['2.0']);
});

describe('HttpFeedSource over HTTPS: nothing left running', () => {
  it('lets a process exit on its own after HTTP/2 and HTTP/1.1 fetches, pooled or not', async () => {
    const routes = { '/feed.xml': { body: FEED }, '/hang.xml': { hang: true } };
    const h2 = await httpsServer({ routes });
    const h1 = await httpsServer({ routes }, true);
    const trust = { ca: certificate.cert };
    const jobs = [
      { url: h2.url('/feed.xml'), options: trust },
      { url: h2.url('/hang.xml'), options: { ...trust, timeoutMs: 300 } },
      { url: h2.url('/feed.xml'), options: { ...trust, keepAlive: false } },
      { url: h1.url('/feed.xml'), options: trust },
      { url: h1.url('/feed.xml'), options: { ...trust, keepAlive: false } },
      { url: h2.url('/feed.xml'), options: {} },
    ];
    const child = await runTsChild(join(__dirname, 'fetch-child.ts'), { args: [JSON.stringify(jobs)] });
    expect(child.stderr).toBe('');
    expect(child.code).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual(['ok', 'timeout', 'ok', 'ok', 'ok', 'network']);
  }, 60_000);
});
