// HTTP/2 sessions shared per origin: fetches to one host multiplex over one TLS connection, headers HPACK-compressed.
import type * as Http2 from 'node:http2';
import type { ClientHttp2Session } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { lazily } from '../core/lazily';

/** Loading node:http2 takes time that only a fetch that gets h2 should pay, not every poll function's cold start. */
const http2 = lazily(() => require('node:http2') as typeof Http2);

/** How a fetch reaches an https origin: a session (owned: the fetch closes it when done), or HTTP/1.1. */
export type OriginRoute =
  | { protocol: 'h2'; session: ClientHttp2Session; owned: boolean }
  /** The server chose HTTP/1.1: over this fresh TLS socket, or, without one, over the HTTP/1.1 connection pool. */
  | { protocol: 'http/1.1'; socket?: TLSSocket };

/** Opens a TLS connection that offers h2 and http/1.1; the server's ALPN choice is in `socket.alpnProtocol`. */
export type TlsOpener = () => Promise<TLSSocket>;

/** Starts an HTTP/2 session on a connected socket whose ALPN chose h2. Session errors surface on its streams. */
export function startSession(origin: string, socket: TLSSocket): ClientHttp2Session {
  const session = http2().connect(origin, { createConnection: () => socket, settings: { enablePush: false } });
  session.on('error', () => {});
  return session;
}

/** HTTP/2 error codes (RFC 9113 §7) as numbers: node:http2's constants would load the module. */
export const HTTP2_ERROR = {
  /** The server did not process the stream: safe to send again. */
  REFUSED_STREAM: 7,
  /** The server asks for the request again over HTTP/1.1. */
  HTTP_1_1_REQUIRED: 13,
} as const;

function isUsable(session: ClientHttp2Session): boolean {
  return !session.closed && !session.destroyed;
}

/**
 * Sessions by origin. While one is being opened, other fetches to that origin wait for it rather than open their own;
 * an origin whose server chose HTTP/1.1 is remembered, so later fetches go straight to the HTTP/1.1 pool instead of
 * spending a handshake to learn it again. Idle sessions close after `idleMs`, and never keep a process alive.
 */
export class Http2SessionPool {
  private readonly live = new Map<string, ClientHttp2Session>();
  private readonly opening = new Map<string, Promise<ClientHttp2Session | undefined>>();
  private readonly http1Origins = new Set<string>();

  constructor(private readonly idleMs: number) {}

  route(origin: string, open: TlsOpener): Promise<OriginRoute> {
    if (this.http1Origins.has(origin)) return Promise.resolve({ protocol: 'http/1.1' });
    const live = this.live.get(origin);
    if (live && isUsable(live)) return Promise.resolve({ protocol: 'h2', session: live, owned: false });
    const pending = this.opening.get(origin);
    if (pending) {
      // A waiter whose shared connection failed tries one of its own, as it would have without sharing.
      return pending.then(
        (session): Promise<OriginRoute> | OriginRoute =>
          session === undefined
            ? { protocol: 'http/1.1' }
            : isUsable(session)
              ? { protocol: 'h2', session, owned: false }
              : routeAlone(origin, open),
        () => routeAlone(origin, open),
      );
    }
    return this.openShared(origin, open);
  }

  /**
   * Sends the origin's later fetches over HTTP/1.1: its server asked for that (HTTP_1_1_REQUIRED) or its HTTP/2 failed
   * at the protocol level. For this pool's lifetime, which for the local command is one poll.
   */
  requireHttp1(origin: string): void {
    this.http1Origins.add(origin);
    this.live.delete(origin);
  }

  private openShared(origin: string, open: TlsOpener): Promise<OriginRoute> {
    const socket = open();
    const session = socket.then((connected) => {
      if (connected.alpnProtocol !== 'h2') {
        this.http1Origins.add(origin);
        return undefined;
      }
      return this.adopt(origin, startSession(origin, connected));
    });
    this.opening.set(origin, session);
    const forget = (): void => {
      if (this.opening.get(origin) === session) this.opening.delete(origin);
    };
    session.then(forget, forget);
    return socket.then(async (connected) => {
      const started = await session;
      return started ? { protocol: 'h2', session: started, owned: false } : { protocol: 'http/1.1', socket: connected };
    });
  }

  private adopt(origin: string, session: ClientHttp2Session): ClientHttp2Session {
    this.live.set(origin, session);
    const forget = (): void => {
      if (this.live.get(origin) === session) this.live.delete(origin);
    };
    // A GOAWAY means no new streams: later fetches open a fresh session while this one finishes its streams, or go
    // over HTTP/1.1 if that is what the server asked for.
    session.once('goaway', (errorCode: number) => {
      if (errorCode === HTTP2_ERROR.HTTP_1_1_REQUIRED) this.http1Origins.add(origin);
      forget();
    });
    session.once('close', forget);
    session.setTimeout(this.idleMs, () => session.close());
    session.unref();
    return session;
  }
}

/** A route for one fetch on a connection of its own: the fetch closes the session when it is done. */
export async function routeAlone(origin: string, open: TlsOpener): Promise<OriginRoute> {
  const socket = await open();
  if (socket.alpnProtocol !== 'h2') return { protocol: 'http/1.1', socket };
  return { protocol: 'h2', session: startSession(origin, socket), owned: true };
}
