// A real HTTP server on 127.0.0.1 for tests and benchmarks: canned responses per path, fault modes, a request log.
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import {
  createSecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server, Socket } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';

/** What the server answers on one route. Every field is optional: `{}` is an empty 200. */
export interface CannedResponse {
  /** Default 200. */
  status?: number;
  headers?: OutgoingHttpHeaders;
  body?: string | Uint8Array;
  /**
   * Compress the body and set Content-Encoding. `deflate-raw` sends raw DEFLATE labelled `deflate`, as some servers do.
   * For a hand-made payload (a gzip bomb), pass compressed bytes as `body` and the header in `headers` instead.
   */
  encoding?: 'gzip' | 'deflate' | 'deflate-raw' | 'br';
  /** Send no Content-Length (chunked transfer), so the client cannot know the size before reading. */
  chunked?: boolean;
  /** Wait this long before the status line (added to the server's `latencyMs`). */
  delayMs?: number;
  /** Read the request and never answer, until the client gives up or the server closes. */
  hang?: boolean;
  /** After the headers, send the body `bytes` at a time (default 1) every `intervalMs`; `forever` keeps sending spaces. */
  drip?: { intervalMs: number; bytes?: number; forever?: boolean };
  /** Reset the TCP connection: at once, or after the headers and `afterBytes` bytes of the body. */
  reset?: 'before-headers' | { afterBytes: number };
  /** Over HTTP/2, reset the stream with this error code instead of answering (13: HTTP_1_1_REQUIRED); HTTP/1.1 is answered. */
  http2Reset?: number;
}

/** A request as the server saw it (header names lower-case). */
export interface RecordedRequest {
  method: string;
  /** Path and query, as sent on the request line. */
  path: string;
  headers: IncomingHttpHeaders;
  /** '1.1', or '2.0' for a request that came over HTTP/2. */
  httpVersion: string;
}

export type RouteHandler = (request: RecordedRequest) => CannedResponse | Promise<CannedResponse>;
export type Route = CannedResponse | RouteHandler;

export interface FeedServerOptions {
  /** Path (with or without query) -> response. A path with a query is matched before its bare path. */
  routes?: Record<string, Route>;
  /** Answer for paths without a route; default 404. */
  fallback?: Route;
  /** Delay added before every response, to model a remote server. */
  latencyMs?: number;
  /**
   * Serve HTTPS with this key and certificate. The server offers HTTP/2 and HTTP/1.1 by ALPN, as most feed hosts do;
   * `http1Only` makes it one that speaks HTTP/1.1 alone. The reset fault modes are for plain HTTP.
   */
  tls?: { key: string; cert: string; http1Only?: boolean };
}

/** HTTP/2's compatibility API mirrors HTTP/1.1's for everything this server calls, but for `destroyed`. */
type AnyRequest = IncomingMessage | Http2ServerRequest;
type AnyResponse = ServerResponse;

/** Whether the client has gone (HTTP/2 responses keep that on their stream). */
function isGone(response: AnyResponse): boolean {
  const { stream } = response as unknown as Partial<Http2ServerResponse>;
  return stream ? stream.destroyed : response.destroyed;
}

/**
 * A feed that honours conditional GET the way a well-behaved server does: 304 when the client's If-None-Match or
 * If-Modified-Since matches, else 200 with the validators.
 */
export function conditionalFeed(
  body: string | Uint8Array,
  validators: { etag?: string; lastModified?: string; contentType?: string },
): RouteHandler {
  return ({ headers }) => {
    const validatorHeaders: OutgoingHttpHeaders = {};
    if (validators.etag) validatorHeaders.etag = validators.etag;
    if (validators.lastModified) validatorHeaders['last-modified'] = validators.lastModified;
    const etagMatches = validators.etag !== undefined && headers['if-none-match'] === validators.etag;
    const dateMatches =
      validators.lastModified !== undefined &&
      headers['if-none-match'] === undefined &&
      headers['if-modified-since'] === validators.lastModified;
    if (etagMatches || dateMatches) return { status: 304, headers: validatorHeaders };
    return {
      status: 200,
      headers: { 'content-type': validators.contentType ?? 'application/rss+xml; charset=utf-8', ...validatorHeaders },
      body,
    };
  };
}

const COMPRESSORS: Record<NonNullable<CannedResponse['encoding']>, [label: string, (input: Buffer) => Buffer]> = {
  gzip: ['gzip', gzipSync],
  deflate: ['deflate', deflateSync],
  'deflate-raw': ['deflate', deflateRawSync],
  br: ['br', brotliCompressSync],
};

export class FeedServer {
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  /** TCP connections accepted so far (a client that reuses connections opens fewer than it sends requests). */
  connectionsAccepted = 0;
  /** TCP payload bytes both ways on connections already closed (TLS records and handshakes included). */
  private closedConnectionBytes = 0;
  private readonly routes = new Map<string, Route>();
  private readonly sockets = new Set<Socket>();
  private readonly sessions = new Set<ServerHttp2Session>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    private readonly options: FeedServerOptions,
  ) {
    for (const [path, route] of Object.entries(options.routes ?? {})) this.routes.set(path, route);
    server.on('session', (session: ServerHttp2Session) => {
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
    });
    server.on('connection', (socket) => {
      this.connectionsAccepted += 1;
      this.sockets.add(socket);
      socket.on('close', () => {
        this.sockets.delete(socket);
        this.closedConnectionBytes += socket.bytesRead + socket.bytesWritten;
      });
    });
    server.on('request', (request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(`feed-server handler failed: ${String(error)}`);
      });
    });
  }

  /** Starts listening on 127.0.0.1 on a free port. */
  static async start(options: FeedServerOptions = {}): Promise<FeedServer> {
    const { tls } = options;
    const server = !tls
      ? createServer()
      : tls.http1Only
        ? createHttpsServer({ key: tls.key, cert: tls.cert })
        : createSecureServer({ key: tls.key, cert: tls.cert, allowHTTP1: true });
    const feedServer = new FeedServer(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return feedServer;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `http://127.0.0.1:<port>`, or https for a TLS server. */
  get origin(): string {
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  /** Absolute URL of a path on this server. */
  url(path: string): string {
    return `${this.origin}${path}`;
  }

  /**
   * Bytes on the wire both ways, over every connection so far: TCP payload as the network carries it, so an HTTPS
   * server counts TLS records and handshakes, not the HTTP inside them.
   */
  get wireBytes(): number {
    let bytes = this.closedConnectionBytes;
    for (const socket of this.sockets) bytes += socket.bytesRead + socket.bytesWritten;
    return bytes;
  }

  /** Adds or replaces the answer for a path. */
  route(path: string, route: Route): this {
    this.routes.set(path, route);
    return this;
  }

  /** The requests received for one path (query included when given). */
  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === path || request.path.split('?')[0] === path);
  }

  /** Closes every open connection, as a server restart or an idle timeout does; the server goes on listening. */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  /**
   * Sends GOAWAY on every HTTP/2 connection, as a server does before a restart or after its request limit per
   * connection: streams already started finish, the client must open a new connection for the next.
   */
  goAway(): void {
    for (const session of this.sessions) session.close();
  }

  /** Stops pending drips and delays, drops open connections and stops listening. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.dropConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private async handle(request: AnyRequest, response: AnyResponse): Promise<void> {
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
      httpVersion: request.httpVersion,
    };
    this.requests.push(recorded);
    const route =
      this.routes.get(recorded.path) ??
      this.routes.get(recorded.path.split('?')[0] ?? '') ??
      this.options.fallback ??
      ({ status: 404, body: 'no such feed' } satisfies CannedResponse);
    const canned = typeof route === 'function' ? await route(recorded) : route;
    const delayMs = (this.options.latencyMs ?? 0) + (canned.delayMs ?? 0);
    if (delayMs > 0) await this.sleep(delayMs, response);
    if (isGone(response) || canned.hang) return;
    this.respond(canned, response);
  }

  private respond(canned: CannedResponse, response: AnyResponse): void {
    const { stream } = response as unknown as Partial<Http2ServerResponse>;
    if (stream && canned.http2Reset !== undefined) {
      stream.close(canned.http2Reset);
      return;
    }
    const socket = response.socket;
    if (canned.reset === 'before-headers') {
      socket?.resetAndDestroy();
      return;
    }
    const headers: OutgoingHttpHeaders = { ...canned.headers };
    let body: Buffer = typeof canned.body === 'string' ? Buffer.from(canned.body) : Buffer.from(canned.body ?? []);
    if (canned.encoding) {
      const [label, compress] = COMPRESSORS[canned.encoding];
      body = compress(body);
      headers['content-encoding'] = label;
    }
    if (!canned.chunked && headers['content-length'] === undefined) headers['content-length'] = body.length;
    response.on('error', () => {}); // the client hanging up mid-write is one of the scenarios, not a server fault
    response.writeHead(canned.status ?? 200, headers);
    if (typeof canned.reset === 'object') {
      response.write(body.subarray(0, canned.reset.afterBytes), () => socket?.resetAndDestroy());
    } else if (canned.drip) {
      this.drip(body, canned.drip, response);
    } else {
      response.end(body);
    }
  }

  private drip(body: Buffer, drip: NonNullable<CannedResponse['drip']>, response: AnyResponse): void {
    const size = drip.bytes ?? 1;
    let offset = 0;
    const tick = (): void => {
      if (isGone(response)) return;
      if (offset < body.length) {
        response.write(body.subarray(offset, offset + size));
        offset += size;
      } else if (drip.forever) {
        response.write(' '.repeat(size));
      } else {
        response.end();
        return;
      }
      this.schedule(tick, drip.intervalMs, response);
    };
    tick();
  }

  private sleep(ms: number, response: AnyResponse): Promise<void> {
    return new Promise((resolve) => {
      this.schedule(resolve, ms, response);
      response.once('close', () => resolve());
    });
  }

  /** A timer that is dropped when the response closes, so an abandoned request leaves nothing running. */
  private schedule(callback: () => void, ms: number, response: AnyResponse): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      response.off('close', cancel);
      callback();
    }, ms);
    const cancel = (): void => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
    this.timers.add(timer);
    response.once('close', cancel);
  }
}
