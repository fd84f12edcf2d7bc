// One fetch over node:http(s) and HTTP/2: its hops, redirects and timers, the checked DNS lookup, and its failures.
import { type Agent, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { ClientHttp2Session } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { type SecureContextOptions, type TLSSocket, connect as tlsConnect } from 'node:tls';
import { FeedError, type FeedErrorCode } from '../core/feed-error';
import type { Clock, FetchRequest, FetchResponse } from '../ports';
import { readBody } from './http-body';
import { checkedLookup } from './http-checked-lookup';
import { errorCode, networkFailure, parseRetryAfter } from './http-failure';
import { HTTP2_ERROR, Http2SessionPool, type OriginRoute, routeAlone, type TlsOpener } from './http2-session-pool';

export interface FetchSettings {
  timeoutMs: number;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  isAllowed: (ip: string) => boolean;
  resolve: (hostname: string) => Promise<string[]>;
  clock: Clock;
  /** Connection pools by scheme; false opens one connection per fetch. */
  agents: { http: Agent; https: Agent } | false;
  /** How https fetches are sent: HTTP/2 sessions pooled per origin, or one per fetch (false); or HTTP/1.1 only. */
  http2: Http2SessionPool | false | 'off';
  ca: SecureContextOptions['ca'];
}

/** The parts of a response a fetch reads, the same over HTTP/1.1 and HTTP/2. */
interface HttpResponse {
  status: number;
  /** HTTP/1.1's reason phrase; HTTP/2 has none. */
  statusText: string | undefined;
  headers: IncomingHttpHeaders;
  body: Readable;
}

/** What a fetch destroys when it ends: the request or stream in flight, or a connection being opened. */
interface Exchange {
  destroy(error?: Error): unknown;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const ACCEPT = 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8';
const ACCEPT_ENCODING = 'gzip, deflate, br';
/** How a pooled connection the server already closed fails when it is reused. */
const STALE_CONNECTION = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
/** How a stream on a pooled session fails when the server refused it unprocessed, or was closing the session. */
const STALE_SESSION = new Set(['ERR_HTTP2_GOAWAY_SESSION', 'ERR_HTTP2_INVALID_SESSION', 'ERR_HTTP2_STREAM_CANCEL']);
/** How HTTP/2 fails when the server's implementation of it is broken: the fetch is made again over HTTP/1.1. */
const HTTP2_PROTOCOL_FAILURES = new Set(['ERR_HTTP2_ERROR', 'ERR_HTTP2_SESSION_ERROR']);
/** Characters RFC 9110 allows in a field value: no CR, LF or other controls, so nothing can be injected. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * One fetch. Its hops share one deadline; whatever ends it (success, a timer, a bad status, a socket error), the live
 * request is destroyed and every timer cleared, so nothing outlives the promise.
 */
export class FetchAttempt {
  private exchange: Exchange | undefined;
  /** An HTTP/2 session opened for this fetch alone (no pooling): closed with it. */
  private ownedSession: ClientHttp2Session | undefined;
  private redirectedTo: URL | undefined;
  /** The first failure wins: a timer that destroys the socket also causes a reset error, which is only its echo. */
  private failure: FeedError | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly aborted: Promise<never>;
  private rejectAborted: (error: FeedError) => void = () => {};
  /** Every hop's DNS lookup: resolves, checks every address against the policy, and connects to exactly those. */
  private readonly lookup: LookupFunction;

  constructor(
    private readonly fetchRequest: FetchRequest,
    private readonly settings: FetchSettings,
  ) {
    this.aborted = new Promise<never>((_, reject) => {
      this.rejectAborted = reject;
    });
    this.aborted.catch(() => {}); // observed through guard(); an attempt that never aborts must not leave it unhandled
    this.lookup = checkedLookup(settings, (code, detail) => this.error(code, detail));
  }

  async run(): Promise<FetchResponse> {
    const { timeoutMs } = this.settings;
    this.startTimer(timeoutMs, () => this.fail('timeout', `no complete response within ${timeoutMs} ms`));
    try {
      return await this.follow();
    } catch (error) {
      throw this.failure ?? this.toFeedError(error);
    } finally {
      for (const timer of this.timers) clearTimeout(timer);
      this.exchange?.destroy();
      this.ownedSession?.destroy();
    }
  }

  private async follow(): Promise<FetchResponse> {
    let url = this.checkedUrl(this.fetchRequest.url);
    const visited = new Set<string>();
    for (let redirects = 0; ; redirects += 1) {
      visited.add(url.href);
      const response = await this.guard(this.send(url));
      const { status } = response;
      if (REDIRECT_STATUSES.has(status)) {
        response.body.destroy();
        url = this.redirectTarget(response, url, visited, redirects);
        this.redirectedTo = url;
        continue;
      }
      if (status === 304) {
        // No body to read; waiting for its end lets the connection go back to the pool before the request is closed.
        await this.guard(finished(response.body.resume(), { writable: false }));
        return { kind: 'not-modified' };
      }
      if (status < 200 || status > 299) {
        response.body.destroy();
        throw this.statusError(response);
      }
      const body = await this.guard(this.readBody(response));
      const { etag, 'last-modified': lastModified, 'content-type': contentType } = response.headers;
      const result: FetchResponse = { kind: 'ok', body, finalUrl: url.href };
      if (contentType) result.contentType = contentType;
      // Only a full 200 describes the whole feed; validators from another 2xx answer would be wrong to reuse.
      if (status === 200 && etag) result.etag = etag;
      if (status === 200 && lastModified) result.lastModified = lastModified;
      return result;
    }
  }

  /**
   * Parses a URL and applies the rules every hop must pass before any connection: the scheme, and the address policy
   * for an IP literal. `redirect` describes the redirect that led here, for the message.
   */
  private checkedUrl(text: string, redirect?: { from: URL; status: number }): URL {
    let url: URL;
    try {
      url = new URL(text, redirect?.from);
    } catch {
      throw this.error(
        'bad-url',
        `${redirect ? `HTTP ${redirect.status} redirect to "${text}": ` : ''}not a valid URL`,
      );
    }
    const context = redirect ? `HTTP ${redirect.status} redirect to ${url.href}: ` : '';
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw this.error('bad-url', `${context}only http and https URLs can be fetched`);
    }
    url.hash = '';
    // The socket skips the lookup for an IP literal, so the address rule is applied here instead.
    const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(literal) && !this.settings.isAllowed(literal)) {
      throw this.error('blocked-address', `${context}${literal} is not a public address`);
    }
    return url;
  }

  private redirectTarget(response: HttpResponse, from: URL, visited: Set<string>, redirects: number): URL {
    const { status } = response;
    const location = response.headers.location;
    if (!location)
      throw this.error('http-status', `HTTP ${status} redirect without a Location`, { httpStatus: status });
    const target = this.checkedUrl(location, { from, status });
    if (visited.has(target.href)) {
      throw this.error('too-many-redirects', `redirect loop: ${from.href} sends back to ${target.href}`);
    }
    if (redirects >= this.settings.maxRedirects) {
      throw this.error('too-many-redirects', `more than ${this.settings.maxRedirects} redirects`);
    }
    return target;
  }

  /**
   * One request. On a pooled connection the server may have closed just as it was reused: a reset before any
   * response is retried once on a new connection rather than reported as the feed's failure.
   */
  private send(url: URL, retry = true): Promise<HttpResponse> {
    const headers: OutgoingHttpHeaders = {
      'user-agent': this.settings.userAgent,
      accept: ACCEPT,
      'accept-encoding': ACCEPT_ENCODING,
    };
    const { etag, lastModified } = this.fetchRequest;
    // A validator that is not a legal header value (never one a server sent) is dropped: the fetch goes on unconditional.
    if (etag && HEADER_VALUE.test(etag)) headers['if-none-match'] = etag;
    if (lastModified && HEADER_VALUE.test(lastModified)) headers['if-modified-since'] = lastModified;
    if (url.protocol === 'https:' && this.settings.http2 !== 'off') return this.sendHttps(url, headers, retry);
    return this.sendHttp1(url, headers, retry);
  }

  /** An https request over whatever the server chose: a (shared) HTTP/2 session, or HTTP/1.1. */
  private async sendHttps(url: URL, headers: OutgoingHttpHeaders, retry: boolean): Promise<HttpResponse> {
    const { http2 } = this.settings;
    const open: TlsOpener = () => this.connectTls(url);
    // The retry after a stale session goes through the pool too: it has dropped the session that failed (closed,
    // destroyed or sent GOAWAY), so the fetches that shared it share its successor instead of opening one each.
    const route: OriginRoute = await this.guard(
      http2 instanceof Http2SessionPool ? http2.route(url.origin, open) : routeAlone(url.origin, open),
    );
    if (route.protocol === 'http/1.1') return this.sendHttp1(url, headers, retry && !route.socket, route.socket);
    if (route.owned) this.ownedSession = route.session;
    // A shared session's socket is not this fetch's to destroy; its stream is.
    else this.exchange = undefined;
    return this.sendHttp2(route.session, url, headers, retry && !route.owned);
  }

  private sendHttp1(url: URL, headers: OutgoingHttpHeaders, retry: boolean, socket?: TLSSocket): Promise<HttpResponse> {
    const { connectTimeoutMs, idleTimeoutMs } = this.settings;
    return new Promise((resolve, reject) => {
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
        method: 'GET',
        headers,
        ...(socket
          ? { createConnection: () => socket }
          : {
              // The retry after a stale pooled connection takes a connection of its own: the pool's next idle one may be
              // just as stale (the server closes idle connections together, and a busy loop may not have seen them close).
              agent:
                this.settings.agents && retry
                  ? this.settings.agents[url.protocol === 'https:' ? 'https' : 'http']
                  : false,
              lookup: this.lookup,
              ca: this.settings.ca,
            }),
      });
      this.exchange = request;
      const connectTimer = this.startTimer(connectTimeoutMs, () =>
        this.fail('timeout', `could not connect to ${url.host} within ${connectTimeoutMs} ms`),
      );
      request.on('socket', (connection) => {
        if (connection.connecting) connection.once('connect', () => clearTimeout(connectTimer));
        else clearTimeout(connectTimer);
      });
      request.setTimeout(idleTimeoutMs, () => this.fail('timeout', `no data from the server for ${idleTimeoutMs} ms`));
      let responded = false;
      request.on('response', (response) => {
        responded = true;
        resolve({
          status: response.statusCode ?? 0,
          statusText: response.statusMessage,
          headers: response.headers,
          body: response,
        });
      });
      request.on('error', (error) => {
        const stale = retry && !responded && request.reusedSocket && STALE_CONNECTION.has(errorCode(error) ?? '');
        if (stale && !this.failure) resolve(this.send(url, false));
        else reject(error);
      });
      request.end();
    });
  }

  /**
   * One stream on an HTTP/2 session. A shared session the server is closing (GOAWAY, or a stream it refused unread)
   * is retried once on a connection of the fetch's own, as a stale HTTP/1.1 connection is.
   */
  private sendHttp2(
    session: ClientHttp2Session,
    url: URL,
    headers: OutgoingHttpHeaders,
    retry: boolean,
  ): Promise<HttpResponse> {
    const { idleTimeoutMs } = this.settings;
    return new Promise((resolve, reject) => {
      let settled = false;
      const retryOrReject = (error: unknown): void => {
        // Once only ('error' is followed by 'close'); after the headers, a failure surfaces where the body is read.
        if (settled) return;
        settled = true;
        const code = errorCode(error) ?? '';
        // The server wants HTTP/1.1 for this request, or cannot speak HTTP/2 properly: once, over HTTP/1.1, and the
        // origin's later fetches too (with a pool to remember it).
        if ((stream?.rstCode === HTTP2_ERROR.HTTP_1_1_REQUIRED || HTTP2_PROTOCOL_FAILURES.has(code)) && !this.failure) {
          const { http2 } = this.settings;
          if (http2 instanceof Http2SessionPool) http2.requireHttp1(url.origin);
          resolve(this.sendHttp1(url, headers, false));
          return;
        }
        // The session died under the stream (its connection dropped), or the server refused the stream unprocessed.
        const refused = stream?.rstCode === HTTP2_ERROR.REFUSED_STREAM;
        const stale = refused || session.destroyed || STALE_SESSION.has(code) || STALE_CONNECTION.has(code);
        if (retry && stale && !this.failure) resolve(this.send(url, false));
        else reject(error);
      };
      let stream: ReturnType<ClientHttp2Session['request']> | undefined;
      try {
        stream = session.request({ ':path': `${url.pathname}${url.search}`, ...headers }, { endStream: true });
      } catch (error) {
        retryOrReject(error);
        return;
      }
      this.exchange = stream;
      stream.setTimeout(idleTimeoutMs, () => this.fail('timeout', `no data from the server for ${idleTimeoutMs} ms`));
      stream.once('response', (responseHeaders) => {
        settled = true;
        const status = Number(responseHeaders[':status']);
        resolve({ status, statusText: undefined, headers: responseHeaders as IncomingHttpHeaders, body: stream });
      });
      stream.on('error', retryOrReject);
      stream.once('close', () =>
        retryOrReject(
          Object.assign(new Error(`HTTP/2 stream closed before the response (code ${stream.rstCode})`), {
            code: 'ERR_HTTP2_STREAM_ERROR',
          }),
        ),
      );
    });
  }

  /** A TLS connection offering h2 and http/1.1, through the checked lookup, within the connect timeout. */
  private connectTls(url: URL): Promise<TLSSocket> {
    const { connectTimeoutMs, ca } = this.settings;
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return new Promise((resolve, reject) => {
      const socket = tlsConnect({
        host,
        port: Number(url.port) || 443,
        // SNI carries names only (RFC 6066); an IP literal is still checked against the certificate.
        servername: isIP(host) ? undefined : host,
        ALPNProtocols: ['h2', 'http/1.1'],
        lookup: this.lookup,
        ca,
      });
      socket.setNoDelay(true); // HTTP/2 writes small frames; Nagle would hold them back for an ACK
      this.exchange = socket;
      const connectTimer = this.startTimer(connectTimeoutMs, () =>
        this.fail('timeout', `could not connect to ${url.host} within ${connectTimeoutMs} ms`),
      );
      socket.once('error', reject);
      socket.once('secureConnect', () => {
        clearTimeout(connectTimer);
        socket.off('error', reject);
        resolve(socket);
      });
    });
  }

  private statusError(response: HttpResponse): FeedError {
    const httpStatus = response.status;
    const status = `HTTP ${httpStatus}${response.statusText ? ` ${response.statusText}` : ''}`;
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], this.settings.clock.now());
    if (httpStatus === 429 || (httpStatus === 503 && retryAfterMs !== undefined)) {
      const wait = retryAfterMs === undefined ? '' : `; retry after ${Math.ceil(retryAfterMs / 1000)} s`;
      return this.error('rate-limited', `${status}${wait}`, { httpStatus, retryAfterMs });
    }
    if (httpStatus === 410) return this.error('gone', `${status}: the feed was removed`, { httpStatus });
    return this.error('http-status', status, { httpStatus });
  }

  private readBody(response: HttpResponse): Promise<Uint8Array> {
    return readBody(response, this.settings.maxBytes, (code, detail) => this.error(code, detail));
  }

  /** Settles with `work`, or rejects as soon as the attempt fails (deadline, idle or connect timer). */
  private guard<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.aborted]);
  }

  private startTimer(ms: number, onExpiry: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      onExpiry();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private fail(code: FeedErrorCode, detail: string): void {
    if (this.failure) return;
    this.failure = this.error(code, detail);
    this.rejectAborted(this.failure);
    this.exchange?.destroy(this.failure);
  }

  private error(code: FeedErrorCode, detail: string, details: ConstructorParameters<typeof FeedError>[2] = {}) {
    const where = this.redirectedTo
      ? `${this.fetchRequest.url} (redirected to ${this.redirectedTo.href})`
      : this.fetchRequest.url;
    return new FeedError(code, `${where}: ${detail}`, details);
  }

  private toFeedError(error: unknown): FeedError {
    if (error instanceof FeedError) return error;
    const { code, detail } = networkFailure(error);
    return this.error(code, detail);
  }
}
