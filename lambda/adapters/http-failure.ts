// How a fetch's failures read: socket error codes in plain words, and Retry-After as a wait.

/** Socket error codes worth a plain-words description; anything else is reported with its own message. */
const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset before the response was complete',
  EPIPE: 'connection closed by the server',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EPROTO: 'TLS handshake failed',
};

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date (a past date means now). */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function errorCode(error: unknown): string | undefined {
  const { code, errors } = error as { code?: unknown; errors?: unknown[] };
  if (typeof code === 'string') return code;
  // Connection attempts to several addresses (happy eyeballs) fail with an AggregateError of the attempts.
  return Array.isArray(errors) && errors.length > 0 ? errorCode(errors[0]) : undefined;
}

/** How a socket, TLS or HTTP/2 failure is reported: plain words where the code is known, then the code. */
export function networkFailure(error: unknown): { code: 'timeout' | 'network'; detail: string } {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  // OpenSSL messages carry a reason ("wrong version number") between build paths and hex codes; keep only it.
  const sslReason = /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1];
  // A TLS connection opened directly (to offer HTTP/2) reports OpenSSL's own code where https.request says EPROTO.
  const known =
    code === undefined
      ? undefined
      : (NETWORK_ERRORS[code] ?? (code.startsWith('ERR_SSL_') ? NETWORK_ERRORS.EPROTO : undefined));
  const description = known ?? message.split('\n')[0]?.trim();
  const detail = `${description}${sslReason ? `: ${sslReason}` : ''}${code && !description?.includes(code) ? ` (${code})` : ''}`;
  return { code: code === 'ETIMEDOUT' ? 'timeout' : 'network', detail };
}
