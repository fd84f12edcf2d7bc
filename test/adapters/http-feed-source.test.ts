// HttpFeedSource against a real HTTP server on 127.0.0.1: every success and failure a feed fetch can meet.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  type AddressInfo,
  createServer as createNetServer,
  getDefaultAutoSelectFamily,
  type Socket,
  setDefaultAutoSelectFamily,
} from 'node:net';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { isPublicAddress } from '../../lambda/adapters/address-guard';
import { HttpFeedSource, type HttpFeedSourceOptions } from '../../lambda/adapters/http-feed-source';
import { FeedError } from '../../lambda/core/feed-error';
import type { FetchResponse } from '../../lambda/ports';
import { type CannedResponse, conditionalFeed, FeedServer } from '../support/feed-server';
import { runTsChild } from '../support/node-child';

const FEED = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Election security</title>
<item><title>Krebs testifies on election infrastructure</title><link>https://example.com/a</link></item>
</channel></rss>`;
const RSS = { 'content-type': 'application/rss+xml; charset=utf-8' };

let server: FeedServer;
let pathCounter = 0;

beforeAll(async () => {
  server = await FeedServer.start();
});

afterAll(async () => {
  await server.close();
});

/** Serves `route` on a fresh path and returns its absolute URL. */
function serve(route: Parameters<FeedServer['route']>[1], name = 'feed'): string {
  pathCounter += 1;
  const path = `/${pathCounter}/${name}`;
  server.route(path, route);
  return server.url(path);
}

function pathOf(url: string): string {
  return new URL(url).pathname;
}

function text(response: FetchResponse): string {
  if (response.kind !== 'ok') throw new Error(`expected a body, got ${response.kind}`);
  return Buffer.from(response.body).toString('utf8');
}

/** The FeedError a fetch rejects with (fails the test if it resolves or rejects with anything else). */
async function fetchError(url: string, options: HttpFeedSourceOptions = {}): Promise<FeedError> {
  const outcome = await new HttpFeedSource(options).fetch({ url }).then(
    (response) => new Error(`expected a FeedError, got ${response.kind}`),
    (error: unknown) => error,
  );
  if (!(outcome instanceof FeedError)) throw outcome;
  return outcome;
}

describe('HttpFeedSource: successful fetches', () => {
  it('returns the body, content type, validators and final URL of a 200', async () => {
    const url = serve({
      headers: { ...RSS, etag: '"v1"', 'last-modified': 'Tue, 17 Nov 2020 23:00:00 GMT' },
      body: FEED,
    });
    const response = await new HttpFeedSource().fetch({ url });
    expect(response).toEqual({
      kind: 'ok',
      body: expect.any(Uint8Array),
      contentType: 'application/rss+xml; charset=utf-8',
      etag: '"v1"',
      lastModified: 'Tue, 17 Nov 2020 23:00:00 GMT',
      finalUrl: url,
    });
    expect(text(response)).toBe(FEED);
  });

  it('names the project in User-Agent and asks for feeds and compressed bodies', async () => {
    const url = serve({ headers: RSS, body: FEED });
    await new HttpFeedSource().fetch({ url });
    const [seen] = server.requestsTo(pathOf(url));
    expect(seen?.headers['user-agent']).toBe('news-alerts/0.1 (+https://github.com/news-alerts/news-alerts)');
    expect(seen?.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(seen?.headers.accept).toContain('application/rss+xml');
    expect(seen?.headers['if-none-match']).toBeUndefined();
    expect(seen?.headers['if-modified-since']).toBeUndefined();
  });

  it('sends a configured User-Agent instead', async () => {
    const url = serve({ body: FEED });
    await new HttpFeedSource({ userAgent: 'custom-agent/1.0' }).fetch({ url });
    expect(server.requestsTo(pathOf(url))[0]?.headers['user-agent']).toBe('custom-agent/1.0');
  });

  it('returns an empty body for an empty 200, leaving the verdict to the parser', async () => {
    const plain = await new HttpFeedSource().fetch({ url: serve({ headers: RSS }) });
    expect(plain).toMatchObject({ kind: 'ok' });
    expect(text(plain)).toBe('');
    const labelledGzip = await new HttpFeedSource().fetch({ url: serve({ headers: { 'content-encoding': 'gzip' } }) });
    expect(text(labelledGzip)).toBe('');
  });

  it('fetches a body of exactly the byte cap', async () => {
    const body = 'x'.repeat(1000);
    const response = await new HttpFeedSource({ maxBytes: 1000 }).fetch({ url: serve({ body, chunked: true }) });
    expect(text(response)).toBe(body);
  });
});

describe('HttpFeedSource: conditional GET', () => {
  const etag = '"abc123"';
  const lastModified = 'Wed, 18 Nov 2020 08:00:00 GMT';

  it('sends the saved validators and answers not-modified on a 304', async () => {
    const url = serve(conditionalFeed(FEED, { etag, lastModified }));
    const source = new HttpFeedSource();
    const first = await source.fetch({ url });
    expect(first).toMatchObject({ kind: 'ok', etag, lastModified });
    if (first.kind !== 'ok') return;

    const second = await source.fetch({ url, etag: first.etag, lastModified: first.lastModified });
    expect(second).toEqual({ kind: 'not-modified' });
    const [, conditional] = server.requestsTo(pathOf(url));
    expect(conditional?.headers['if-none-match']).toBe(etag);
    expect(conditional?.headers['if-modified-since']).toBe(lastModified);
  });

  it('sends If-Modified-Since alone when only Last-Modified was saved', async () => {
    const url = serve(conditionalFeed(FEED, { lastModified }));
    const response = await new HttpFeedSource().fetch({ url, lastModified });
    expect(response).toEqual({ kind: 'not-modified' });
    const [seen] = server.requestsTo(pathOf(url));
    expect(seen?.headers['if-modified-since']).toBe(lastModified);
    expect(seen?.headers['if-none-match']).toBeUndefined();
  });

  it('gets the full feed again when the server has a newer version', async () => {
    const url = serve(conditionalFeed(FEED, { etag: '"v2"' }));
    const response = await new HttpFeedSource().fetch({ url, etag: '"v1"' });
    expect(response).toMatchObject({ kind: 'ok', etag: '"v2"' });
    expect(text(response)).toBe(FEED);
  });

  it('sends the validators on every hop, so a moved feed can still answer 304', async () => {
    const target = serve(conditionalFeed(FEED, { etag }), 'moved');
    const url = serve({ status: 301, headers: { location: target } });
    expect(await new HttpFeedSource().fetch({ url, etag })).toEqual({ kind: 'not-modified' });
    expect(server.requestsTo(pathOf(url))[0]?.headers['if-none-match']).toBe(etag);
    expect(server.requestsTo(pathOf(target))[0]?.headers['if-none-match']).toBe(etag);
  });

  it('drops a saved validator that would inject a header, and fetches the feed unconditionally', async () => {
    const url = serve(conditionalFeed(FEED, { etag }));
    const response = await new HttpFeedSource().fetch({ url, etag: `${etag}\r\nX-Injected: 1`, lastModified: 'x\ny' });
    expect(text(response)).toBe(FEED);
    const [seen] = server.requestsTo(pathOf(url));
    expect(seen?.headers['x-injected']).toBeUndefined();
    expect(seen?.headers['if-none-match']).toBeUndefined();
    expect(seen?.headers['if-modified-since']).toBeUndefined();
  });

  it('keeps validators only from a 200, not from another 2xx', async () => {
    const url = serve({ status: 203, headers: { etag: '"proxy"', 'last-modified': lastModified }, body: FEED });
    const response = await new HttpFeedSource().fetch({ url });
    expect(text(response)).toBe(FEED);
    expect(response).not.toHaveProperty('etag');
    expect(response).not.toHaveProperty('lastModified');
  });

  it('does not take validators from a redirect on the way to a 200 that has none', async () => {
    const target = serve({ body: FEED });
    const url = serve({
      status: 301,
      headers: { location: target, etag: '"redirect"', 'last-modified': lastModified },
    });
    const response = await new HttpFeedSource().fetch({ url });
    expect(response).toMatchObject({ kind: 'ok', finalUrl: target });
    expect(response).not.toHaveProperty('etag');
    expect(response).not.toHaveProperty('lastModified');
  });
});

describe('HttpFeedSource: redirects', () => {
  it.each([301, 302, 303, 307, 308])('follows a %i to the feed and reports the final URL', async (status) => {
    const target = serve({ body: FEED }, 'moved');
    const url = serve({ status, headers: { location: target } });
    const response = await new HttpFeedSource().fetch({ url });
    expect(text(response)).toBe(FEED);
    expect(response).toMatchObject({ finalUrl: target });
  });

  it('resolves relative Locations against the URL that sent them', async () => {
    pathCounter += 1;
    const base = `/${pathCounter}`;
    server.route(`${base}/a/start`, { status: 302, headers: { location: '../b/next' } });
    server.route(`${base}/b/next`, { status: 307, headers: { location: 'feed.xml?x=1' } });
    server.route(`${base}/b/feed.xml?x=1`, { status: 308, headers: { location: `${base}/final.xml` } });
    server.route(`${base}/final.xml`, { body: FEED });
    const response = await new HttpFeedSource().fetch({ url: server.url(`${base}/a/start`) });
    expect(text(response)).toBe(FEED);
    expect(response).toMatchObject({ finalUrl: server.url(`${base}/final.xml`) });
    const paths = server.requests.filter((request) => request.path.startsWith(`${base}/`)).map((r) => r.path);
    expect(paths).toEqual([`${base}/a/start`, `${base}/b/next`, `${base}/b/feed.xml?x=1`, `${base}/final.xml`]);
  });

  it('stops a redirect loop as soon as it comes back to a URL it has visited', async () => {
    pathCounter += 1;
    const base = `/${pathCounter}`;
    server.route(`${base}/a`, { status: 302, headers: { location: `${base}/b` } });
    server.route(`${base}/b`, { status: 302, headers: { location: `${base}/a` } });
    const error = await fetchError(server.url(`${base}/a`));
    expect(error.code).toBe('too-many-redirects');
    expect(error.message).toContain('redirect loop');
    expect(error.message).toContain(server.url(`${base}/a`));
    expect(server.requests.filter((request) => request.path.startsWith(`${base}/`))).toHaveLength(2);
  });

  /** A chain of `hops` redirects ending at the feed; returns the first URL and the path prefix. */
  function redirectChain(hops: number): { url: string; base: string } {
    pathCounter += 1;
    const base = `/${pathCounter}`;
    for (let hop = 0; hop < hops; hop += 1) {
      server.route(`${base}/${hop}`, { status: 302, headers: { location: `${base}/${hop + 1}` } });
    }
    server.route(`${base}/${hops}`, { body: FEED });
    return { url: server.url(`${base}/0`), base };
  }

  it('follows up to five redirects', async () => {
    const { url, base } = redirectChain(5);
    const response = await new HttpFeedSource().fetch({ url });
    expect(response).toMatchObject({ kind: 'ok', finalUrl: server.url(`${base}/5`) });
  });

  it('refuses a sixth redirect without requesting its target', async () => {
    const { url, base } = redirectChain(6);
    const error = await fetchError(url);
    expect(error.code).toBe('too-many-redirects');
    expect(error.message).toContain('more than 5 redirects');
    expect(server.requestsTo(`${base}/6`)).toHaveLength(0);
  });

  it('honours a lower maxRedirects', async () => {
    const { url } = redirectChain(2);
    expect((await fetchError(url, { maxRedirects: 1 })).code).toBe('too-many-redirects');
  });

  it.each(['ftp://example.com/feed.xml', 'file:///etc/passwd', 'javascript:alert(1)'])(
    'refuses a redirect to the non-http URL %s',
    async (location) => {
      const url = serve({ status: 302, headers: { location } });
      const error = await fetchError(url);
      expect(error.code).toBe('bad-url');
      expect(error.message).toContain(url);
      expect(error.message).toContain(`HTTP 302 redirect to ${location}: only http and https URLs can be fetched`);
    },
  );

  it('reports a redirect without a Location as an HTTP error', async () => {
    const error = await fetchError(serve({ status: 302 }));
    expect(error).toMatchObject({ code: 'http-status', details: { httpStatus: 302 } });
  });
});

describe('HttpFeedSource: deadlines', () => {
  it('gives up on a server that never sends headers, at the total deadline', async () => {
    const url = serve({ hang: true });
    const error = await fetchError(url, { timeoutMs: 500 });
    expect(error.code).toBe('timeout');
    expect(error.message).toBe(`${url}: no complete response within 500 ms`);
  });

  it('gives up on a body dripped one byte at a time, though the socket is never idle', async () => {
    const url = serve({ headers: RSS, body: FEED, drip: { intervalMs: 20, forever: true } });
    const error = await fetchError(url, { timeoutMs: 500 });
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('no complete response within 500 ms');
  });

  it('gives up on a socket that goes silent after the headers, at the idle timeout', async () => {
    const url = serve({ body: FEED, drip: { intervalMs: 60_000 } });
    const error = await fetchError(url, { idleTimeoutMs: 300, timeoutMs: 20_000 });
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('no data from the server for 300 ms');
  });

  it('gives up when the address cannot be found and connected in time', async () => {
    const stalledDns = () => new Promise<string[]>(() => {});
    const error = await fetchError('http://slow-dns.test/feed', {
      resolve: stalledDns,
      connectTimeoutMs: 200,
      timeoutMs: 20_000,
    });
    expect(error.code).toBe('timeout');
    expect(error.message).toBe('http://slow-dns.test/feed: could not connect to slow-dns.test within 200 ms');
  });

  it('applies one deadline across all redirects, not one per hop', async () => {
    // Each hop alone fits in the deadline; together they do not.
    const slowTarget = serve({ body: FEED, delayMs: 400 }, 'slow');
    const hop = serve({ status: 302, headers: { location: slowTarget }, delayMs: 400 });
    const error = await fetchError(hop, { timeoutMs: 600 });
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('no complete response within 600 ms');
  });
});

describe('HttpFeedSource: byte cap and decompression', () => {
  const big = 'y'.repeat(5000);

  it('refuses a body whose Content-Length is over the cap', async () => {
    const error = await fetchError(serve({ body: big }), { maxBytes: 1000 });
    expect(error.code).toBe('too-large');
    expect(error.message).toContain('5000 bytes (Content-Length) is over the 1000-byte cap');
  });

  it('stops reading a body without Content-Length once it passes the cap', async () => {
    const error = await fetchError(serve({ body: big, chunked: true }), { maxBytes: 1000 });
    expect(error.code).toBe('too-large');
    expect(error.message).toContain('body is over the 1000-byte cap');
  });

  // deflate-raw: labelled `deflate` but without the zlib header, as some servers send it.
  it.each(['gzip', 'deflate', 'deflate-raw', 'br'] as const)('decompresses a %s body', async (encoding) => {
    const response = await new HttpFeedSource().fetch({ url: serve({ headers: RSS, body: FEED, encoding }) });
    expect(text(response)).toBe(FEED);
  });

  it.each([
    ['gzip', gzipSync],
    ['br', brotliCompressSync],
  ] as const)('refuses a %s bomb: small on the wire, over the cap once decompressed', async (encoding, compress) => {
    const maxBytes = 1024 * 1024;
    const bomb = compress(Buffer.alloc(16 * maxBytes));
    expect(bomb.length).toBeLessThan(maxBytes);
    const error = await fetchError(serve({ headers: { 'content-encoding': encoding }, body: bomb }), { maxBytes });
    expect(error.code).toBe('too-large');
    expect(error.message).toContain(`${encoding} body decompresses to over the ${maxBytes}-byte cap`);
  });

  // Bodies over 64 KiB compressed are inflated on the thread pool, smaller ones in one call on the fetching thread.
  it('decompresses a large gzip body and refuses a large bomb, as it does small ones', async () => {
    const noise = randomBytes(96 * 1024).toString('base64'); // about 96 KiB once gzipped
    const feed = FEED.replace('</channel>', `<description>${noise}</description></channel>`);
    expect(gzipSync(feed).length).toBeGreaterThan(64 * 1024);
    const response = await new HttpFeedSource().fetch({ url: serve({ headers: RSS, body: feed, encoding: 'gzip' }) });
    expect(text(response)).toBe(feed);

    const maxBytes = 1024 * 1024;
    const bomb = gzipSync(Buffer.concat([randomBytes(80 * 1024), Buffer.alloc(4 * maxBytes)]));
    expect(bomb.length).toBeGreaterThan(64 * 1024);
    const error = await fetchError(serve({ headers: { 'content-encoding': 'gzip' }, body: bomb }), { maxBytes });
    expect(error.code).toBe('too-large');
    expect(error.message).toContain(`gzip body decompresses to over the ${maxBytes}-byte cap`);
  });

  it('reports a corrupt compressed body as unreadable', async () => {
    const error = await fetchError(serve({ headers: { 'content-encoding': 'gzip' }, body: 'not gzip at all' }));
    expect(error.code).toBe('parse');
    expect(error.message).toContain('could not decompress the gzip body');
  });

  it('reports a Content-Encoding it did not ask for', async () => {
    const error = await fetchError(serve({ headers: { 'content-encoding': 'zstd' }, body: FEED }));
    expect(error.code).toBe('parse');
    expect(error.message).toContain('unsupported Content-Encoding "zstd"');
  });
});

describe('HttpFeedSource: HTTP errors', () => {
  it('reports 429 as rate-limited with Retry-After in seconds', async () => {
    const url = serve({ status: 429, headers: { 'retry-after': '120' } });
    const error = await fetchError(url);
    expect(error).toMatchObject({ code: 'rate-limited', details: { httpStatus: 429, retryAfterMs: 120_000 } });
    expect(error.message).toBe(`${url}: HTTP 429 Too Many Requests; retry after 120 s`);
  });

  it('reads Retry-After given as an HTTP date against the clock', async () => {
    const now = Date.parse('2020-11-18T08:00:00Z');
    const url = serve({ status: 429, headers: { 'retry-after': 'Wed, 18 Nov 2020 08:15:00 GMT' } });
    const error = await fetchError(url, { clock: { now: () => now } });
    expect(error).toMatchObject({ code: 'rate-limited', details: { httpStatus: 429, retryAfterMs: 15 * 60_000 } });
  });

  it('treats a Retry-After date in the past as "now"', async () => {
    const url = serve({ status: 429, headers: { 'retry-after': 'Wed, 18 Nov 2020 08:15:00 GMT' } });
    const error = await fetchError(url, { clock: { now: () => Date.parse('2021-01-01T00:00:00Z') } });
    expect(error.details.retryAfterMs).toBe(0);
  });

  it('reports 429 without Retry-After as rate-limited with no wait given', async () => {
    const error = await fetchError(serve({ status: 429, headers: { 'retry-after': 'soon' } }));
    expect(error).toMatchObject({ code: 'rate-limited', details: { httpStatus: 429 } });
    expect(error.details.retryAfterMs).toBeUndefined();
  });

  it('reports 503 with Retry-After as rate-limited', async () => {
    const error = await fetchError(serve({ status: 503, headers: { 'retry-after': '30' } }));
    expect(error).toMatchObject({ code: 'rate-limited', details: { httpStatus: 503, retryAfterMs: 30_000 } });
  });

  it.each([
    [503, 'http-status'],
    [500, 'http-status'],
    [404, 'http-status'],
    [403, 'http-status'],
    [410, 'gone'],
  ])('reports HTTP %i as %s with the status', async (status, code) => {
    const url = serve({ status, body: 'error page' });
    const error = await fetchError(url);
    expect(error).toMatchObject({ code, details: { httpStatus: status } });
    expect(error.message).toContain(`${url}: HTTP ${status}`);
  });
});

describe('HttpFeedSource: connection reuse', () => {
  it('fetches feeds of one host over one connection, 304s included', async () => {
    const own = await FeedServer.start();
    try {
      own.route('/a', { headers: RSS, body: FEED });
      own.route('/b', conditionalFeed(FEED, { etag: '"b1"' }));
      const source = new HttpFeedSource();
      expect(text(await source.fetch({ url: own.url('/a') }))).toBe(FEED);
      expect(await source.fetch({ url: own.url('/b'), etag: '"b1"' })).toEqual({ kind: 'not-modified' });
      expect(text(await source.fetch({ url: own.url('/a') }))).toBe(FEED);
      expect(own.requests).toHaveLength(3);
      expect(own.connectionsAccepted).toBe(1);

      const unpooled = new HttpFeedSource({ keepAlive: false });
      await unpooled.fetch({ url: own.url('/a') });
      await unpooled.fetch({ url: own.url('/a') });
      expect(own.connectionsAccepted).toBe(3);
    } finally {
      await own.close();
    }
  });

  /**
   * A server that answers one request per connection but says keep-alive, then resets the connection on the next
   * request: what a server's idle timeout racing the client's reuse looks like.
   */
  async function oneRequestPerConnection(): Promise<{ url: string; sockets: Socket[]; close: () => void }> {
    const sockets: Socket[] = [];
    const raw = createNetServer((socket) => {
      sockets.push(socket);
      let served = false;
      socket.on('data', () => {
        if (served) {
          socket.resetAndDestroy();
          return;
        }
        served = true;
        socket.write(
          `HTTP/1.1 200 OK\r\ncontent-type: application/rss+xml\r\ncontent-length: ${Buffer.byteLength(FEED)}\r\n` +
            `connection: keep-alive\r\n\r\n${FEED}`,
        );
      });
      socket.on('error', () => {});
    });
    raw.listen(0, '127.0.0.1');
    await once(raw, 'listening');
    return {
      url: `http://127.0.0.1:${(raw.address() as AddressInfo).port}/feed.xml`,
      sockets,
      close: () => {
        for (const socket of sockets) socket.destroy();
        raw.close();
      },
    };
  }

  it('retries once on a new connection when the server has closed the pooled one', async () => {
    const server = await oneRequestPerConnection();
    try {
      const source = new HttpFeedSource();
      expect(text(await source.fetch({ url: server.url }))).toBe(FEED);
      expect(text(await source.fetch({ url: server.url }))).toBe(FEED);
      expect(server.sockets).toHaveLength(2);
    } finally {
      server.close();
    }
  });

  it('retries on a connection of its own when every pooled connection is stale, not on the next pooled one', async () => {
    // Three fetches at once leave three pooled connections, all of which the server has given up on.
    const server = await oneRequestPerConnection();
    try {
      const source = new HttpFeedSource();
      await Promise.all([1, 2, 3].map(() => source.fetch({ url: server.url })));
      expect(text(await source.fetch({ url: server.url }))).toBe(FEED);
      expect(server.sockets).toHaveLength(4);
    } finally {
      server.close();
    }
  });
});

describe('HttpFeedSource: network failures', () => {
  it('reports a connection reset mid-body', async () => {
    const url = serve({ headers: RSS, body: FEED, reset: { afterBytes: 40 } });
    const error = await fetchError(url);
    expect(error.code).toBe('network');
    expect(error.message).toContain(url);
    expect(error.message).toContain('ECONNRESET');
  });

  it('reports a connection reset before the headers', async () => {
    const error = await fetchError(serve({ reset: 'before-headers' }));
    expect(error.code).toBe('network');
    expect(error.message).toContain('ECONNRESET');
  });

  it('reports a refused connection', async () => {
    const closed = await FeedServer.start();
    const url = closed.url('/feed.xml');
    await closed.close();
    const error = await fetchError(url);
    expect(error.code).toBe('network');
    expect(error.message).toBe(`${url}: connection refused (ECONNREFUSED)`);
  });

  it('reports a DNS failure', async () => {
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    const error = await fetchError('http://no-such-host.test/feed', { resolve: () => Promise.reject(notFound) });
    expect(error.code).toBe('network');
    expect(error.message).toBe('http://no-such-host.test/feed: could not resolve no-such-host.test (ENOTFOUND)');
  });

  it('reports a name with no addresses', async () => {
    const error = await fetchError('http://empty.test/feed', { resolve: async () => [] });
    expect(error.code).toBe('network');
    expect(error.message).toContain('empty.test has no address');
  });

  it('reports a TLS failure on an https URL', async () => {
    const url = serve({ body: FEED }).replace('http:', 'https:');
    const error = await fetchError(url);
    expect(error.code).toBe('network');
    expect(error.message.startsWith(`${url}: TLS handshake failed`)).toBe(true);
    expect(server.requestsTo(pathOf(url))).toHaveLength(0);
  });

  it.each(['not a url', 'ftp://example.com/feed.xml', 'file:///etc/passwd', '/relative/feed.xml'])(
    'refuses the feed URL %p before connecting',
    async (url) => {
      const error = await fetchError(url);
      expect(error.code).toBe('bad-url');
      expect(error.message.startsWith(`${url}: `)).toBe(true);
      expect(error.message).toMatch(/(not a valid URL|only http and https URLs can be fetched)$/);
    },
  );
});

describe('HttpFeedSource: address policy', () => {
  const blockedUrls = (port: number) => [
    `http://127.0.0.1:${port}/feed`,
    `http://[::1]:${port}/feed`,
    `http://[::ffff:127.0.0.1]:${port}/feed`,
    `http://2130706433:${port}/feed`, // 127.0.0.1 as one decimal number
    `http://0x7f.1:${port}/feed`,
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/feed',
    'http://[fd00::1]/feed',
  ];

  it('public-only refuses IP literals of internal addresses without connecting', async () => {
    for (const url of blockedUrls(server.port)) {
      const before = server.requests.length;
      const error = await fetchError(url, { addressPolicy: 'public-only' });
      expect(error.code).toBe('blocked-address');
      expect(error.message).toMatch(/: \S+ is not a public address$/);
      expect(error.message.startsWith(`${url}: `)).toBe(true);
      expect(server.requests.length).toBe(before);
    }
  });

  it('public-only refuses localhost as the system resolver answers it', async () => {
    const error = await fetchError(`http://localhost:${server.port}/feed`, { addressPolicy: 'public-only' });
    expect(error.code).toBe('blocked-address');
    expect(error.message).toMatch(/localhost resolves to .*(127\.0\.0\.1|::1)/);
  });

  it('public-only checks the resolved address, so a public-looking name that resolves to loopback is refused', async () => {
    const url = serve({ body: FEED }).replace('127.0.0.1', 'news.example.com');
    const rebinding = async (hostname: string) => (hostname === 'news.example.com' ? ['127.0.0.1'] : []);
    const error = await fetchError(url, { addressPolicy: 'public-only', resolve: rebinding });
    expect(error.code).toBe('blocked-address');
    expect(error.message).toBe(`${url}: news.example.com resolves to 127.0.0.1, which is not a public address`);
    expect(server.requestsTo(pathOf(url))).toHaveLength(0);

    const local = await new HttpFeedSource({ addressPolicy: 'any', resolve: rebinding }).fetch({ url });
    expect(text(local)).toBe(FEED);
    expect(server.requestsTo(pathOf(url))[0]?.headers.host).toBe(`news.example.com:${server.port}`);
  });

  it('hands the checked address to a socket that asks for one address (happy eyeballs off)', async () => {
    const url = serve({ body: FEED }).replace('127.0.0.1', 'single.example.com');
    const resolve = async () => ['127.0.0.1'];
    const previous = getDefaultAutoSelectFamily();
    setDefaultAutoSelectFamily(false);
    try {
      expect(text(await new HttpFeedSource({ resolve }).fetch({ url }))).toBe(FEED);
      const error = await fetchError(url, { resolve, addressPolicy: 'public-only' });
      expect(error.code).toBe('blocked-address');
    } finally {
      setDefaultAutoSelectFamily(previous);
    }
  });

  it('public-only refuses a name when any of its addresses is internal', async () => {
    const error = await fetchError('http://mixed.example.com/feed', {
      addressPolicy: 'public-only',
      resolve: async () => ['93.184.216.34', '10.0.0.7'],
    });
    expect(error.code).toBe('blocked-address');
    expect(error.message).toContain('resolves to 10.0.0.7');
  });

  it('resolves each hop once and connects to the address it checked', async () => {
    const url = serve({ body: FEED }).replace('127.0.0.1', 'flip.example.com');
    const answers = [['127.0.0.1'], ['10.9.9.9']];
    const calls: string[] = [];
    const flipping = async (hostname: string) => {
      calls.push(hostname);
      return answers.shift() ?? [];
    };
    const trustTestServer = (ip: string) => ip === '127.0.0.1' || isPublicAddress(ip);
    const response = await new HttpFeedSource({ addressPolicy: trustTestServer, resolve: flipping }).fetch({ url });
    expect(text(response)).toBe(FEED);
    expect(calls).toEqual(['flip.example.com']);
  });

  describe('on redirects (the test server trusted as if public)', () => {
    const trustTestServer = (ip: string) => ip === '127.0.0.1' || isPublicAddress(ip);
    const internalDns = async (hostname: string) => (hostname === 'intranet.example.com' ? ['192.168.1.20'] : []);

    it.each([
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'http://[::ffff:a9fe:a9fe]/latest/meta-data/',
      'http://intranet.example.com/admin',
      'http://[fe80::1]/',
    ])('refuses a redirect to %s', async (location) => {
      const url = serve({ status: 302, headers: { location } });
      const error = await fetchError(url, { addressPolicy: trustTestServer, resolve: internalDns });
      expect(error.code).toBe('blocked-address');
      expect(error.message).toContain(url);
      expect(error.message).toContain(new URL(location).href);
      expect(error.message).toContain('is not a public address');
    });

    it('still follows a redirect to an allowed address', async () => {
      const target = serve({ body: FEED });
      const url = serve({ status: 302, headers: { location: target } });
      const response = await new HttpFeedSource({ addressPolicy: trustTestServer }).fetch({ url });
      expect(text(response)).toBe(FEED);
    });
  });

  it('any (the local default) fetches from loopback', async () => {
    const response = await new HttpFeedSource().fetch({ url: serve({ body: FEED }) });
    expect(text(response)).toBe(FEED);
  });
});

describe('HttpFeedSource: nothing left running', () => {
  // A leaked socket or timer keeps the child alive; an unhandled rejection or uncaught error crashes it with output.
  it('lets a process exit on its own, silently, after fetches that succeed, time out or fail', async () => {
    const scenarios: [CannedResponse, HttpFeedSourceOptions, string][] = [
      [{ body: FEED }, {}, 'ok'],
      [{ hang: true }, { timeoutMs: 300 }, 'timeout'],
      [{ body: FEED, drip: { intervalMs: 20, forever: true } }, { timeoutMs: 300 }, 'timeout'],
      [{ body: FEED, drip: { intervalMs: 60_000 } }, { idleTimeoutMs: 300 }, 'timeout'],
      [{ body: 'x'.repeat(100_000), chunked: true }, { maxBytes: 1000 }, 'too-large'],
      [{ body: Buffer.alloc(4_000_000), encoding: 'gzip' }, { maxBytes: 1000_000 }, 'too-large'],
      [{ body: FEED, reset: { afterBytes: 10 } }, {}, 'network'],
      [{ status: 500, body: 'oops' }, {}, 'http-status'],
      [{ status: 302, headers: { location: '/elsewhere' } }, { maxRedirects: 0 }, 'too-many-redirects'],
      [{ body: FEED }, { addressPolicy: 'public-only' }, 'blocked-address'],
    ];
    const refused = await FeedServer.start();
    const refusedUrl = refused.url('/feed');
    await refused.close();
    const jobs = [
      ...scenarios.map(([canned, options]) => ({ url: serve(canned), options })),
      { url: refusedUrl, options: {} },
      { url: 'ftp://example.com/feed', options: {} },
    ];
    const child = await runTsChild(join(__dirname, 'fetch-child.ts'), { args: [JSON.stringify(jobs)] });
    expect(child.stderr).toBe('');
    expect(child.code).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual([...scenarios.map(([, , expected]) => expected), 'network', 'bad-url']);
  }, 60_000);
});
