// FeedSource over node:http(s) and HTTP/2: conditional GET, redirects, decompression, a byte cap, deadlines, SSRF guard.
import { lookup as systemLookup } from 'node:dns/promises';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { SecureContextOptions } from 'node:tls';
import type { Clock, FeedSource, FetchRequest, FetchResponse } from '../ports';
import { isPublicAddress } from './address-guard';
import { FetchAttempt, type FetchSettings } from './http-fetch-attempt';
import { Http2SessionPool } from './http2-session-pool';

export const DEFAULT_USER_AGENT = 'news-alerts/0.1 (+https://github.com/news-alerts/news-alerts)';

/** Which addresses a fetch may connect to: any (the local command), public unicast only (Lambda), or a custom rule. */
export type AddressPolicy = 'any' | 'public-only' | ((ip: string) => boolean);

export interface HttpFeedSourceOptions {
  /** Total deadline for one fetch, every redirect and the whole body included (default 30 s). */
  timeoutMs?: number;
  /** Time to resolve and connect each hop (default 10 s). */
  connectTimeoutMs?: number;
  /** Longest silence allowed on a connected socket (default 10 s). */
  idleTimeoutMs?: number;
  /** Cap on the body, both as received and after decompression (default 10 MB). */
  maxBytes?: number;
  /** Redirects followed before giving up (default 5). */
  maxRedirects?: number;
  userAgent?: string;
  /** Default 'any'; 'public-only' checks every resolved address of every hop, and IP literals in URLs. */
  addressPolicy?: AddressPolicy;
  /** Hostname -> IP addresses; default the system resolver. The connection goes to exactly these addresses. */
  resolve?: (hostname: string) => Promise<string[]>;
  /** For Retry-After given as a date; default the system clock. */
  clock?: Clock;
  /**
   * Reuse a connection for the next fetch from the same host: feeds often share a host (five of the default ten are
   * Google News), and a new connection per feed costs a handshake and its CPU each. Default: on for the
   * 'any' policy, off otherwise, so that under an address policy every fetch resolves the name and checks it again
   * (a name that turns internal between polls is refused, not reached over an older connection).
   */
  keepAlive?: boolean;
  /**
   * Offer HTTP/2 to https servers (default on). Where the server takes it, every fetch to that host shares one
   * connection, and repeated headers are sent as a few bytes of HPACK: a 304 costs a fraction of its HTTP/1.1 size. A server that answers with HTTP/1.1 is fetched as before.
   */
  http2?: boolean;
  /** Certificates to trust besides the system's (a private feed server's CA; tests' self-signed servers). */
  ca?: SecureContextOptions['ca'];
}

/** Idle HTTP/2 sessions close after this long: about the HTTP/1.1 pool's idle sockets, which servers close at 5 s. */
const SESSION_IDLE_MS = 5_000;
export class HttpFeedSource implements FeedSource {
  private readonly settings: FetchSettings;

  constructor(options: HttpFeedSourceOptions = {}) {
    const policy = options.addressPolicy ?? 'any';
    const keepAlive = options.keepAlive ?? policy === 'any';
    this.settings = {
      timeoutMs: options.timeoutMs ?? 30_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      idleTimeoutMs: options.idleTimeoutMs ?? 10_000,
      maxBytes: options.maxBytes ?? 10 * 1024 * 1024,
      maxRedirects: options.maxRedirects ?? 5,
      userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
      isAllowed: policy === 'any' ? () => true : policy === 'public-only' ? isPublicAddress : policy,
      resolve:
        options.resolve ??
        (async (hostname) =>
          (await systemLookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address)),
      clock: options.clock ?? { now: () => Date.now() },
      // Idle pooled sockets are unref'd by node: they never keep a finished process alive.
      agents: !keepAlive
        ? false
        : {
            http: new HttpAgent({ keepAlive: true, scheduling: 'lifo' }),
            https: new HttpsAgent({ keepAlive: true, scheduling: 'lifo' }),
          },
      http2: options.http2 === false ? 'off' : keepAlive ? new Http2SessionPool(SESSION_IDLE_MS) : false,
      ca: options.ca,
    };
  }

  fetch(request: FetchRequest): Promise<FetchResponse> {
    return new FetchAttempt(request, this.settings).run();
  }
}
