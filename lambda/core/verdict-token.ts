// Verdict link tokens: an alert id, an entity id and an expiry, signed with HMAC-SHA256; pure (key and time passed in).

import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a verdict link in an alert stays valid. */
export const VERDICT_LINK_TTL_MS = 30 * 24 * 3_600_000;
/** Ids longer than this are not ours: a token is refused before anything is parsed further. */
const MAX_ID_CHARS = 200;
const MAX_TOKEN_CHARS = 1_000;

export interface VerdictClaim {
  alertId: string;
  entityId: string;
  /** ms since the epoch; the link is refused from then on. */
  expiresAt: number;
}

export type VerdictTokenCheck =
  | { ok: true; claim: VerdictClaim }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

const base64url = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64url');

function signature(payload: string, key: string): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

/** `<payload>.<signature>`, both base64url: the payload a JSON array [alertId, entityId, expiry in seconds]. */
export function signVerdictToken(claim: VerdictClaim, key: string): string {
  const payload = base64url(JSON.stringify([claim.alertId, claim.entityId, Math.floor(claim.expiresAt / 1000)]));
  return `${payload}.${base64url(signature(payload, key))}`;
}

/** The claim a token carries, once its signature (compared in constant time) and its expiry check out. */
export function verifyVerdictToken(token: string, key: string, now: number): VerdictTokenCheck {
  if (token.length > MAX_TOKEN_CHARS) return { ok: false, reason: 'malformed' };
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, payload, given] = match as unknown as [string, string, string];
  const expected = signature(payload, key);
  const actual = Buffer.from(given, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    return { ok: false, reason: 'bad-signature' };
  }
  const claim = parseClaim(Buffer.from(payload, 'base64url').toString('utf8'));
  if (claim === undefined) return { ok: false, reason: 'malformed' };
  if (claim.expiresAt <= now) return { ok: false, reason: 'expired' };
  return { ok: true, claim };
}

function parseClaim(text: string): VerdictClaim | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 3) return undefined;
  const [alertId, entityId, expires] = value as unknown[];
  const id = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_CHARS;
  if (!id(alertId) || !id(entityId) || typeof expires !== 'number' || !Number.isSafeInteger(expires)) return undefined;
  return { alertId, entityId, expiresAt: expires * 1000 };
}

/** One "Not about <name>?" link of an alert. */
export interface VerdictLink {
  entityId: string;
  entityName: string;
  url: string;
}

/** The verdict links of an alert, one per matched entity, each with its own token, under the endpoint's base URL. */
export function verdictLinks(
  alert: { id: string; entities: string[]; entityNames: string[] },
  endpoint: { baseUrl: string; key: string; now: number; ttlMs?: number },
): VerdictLink[] {
  const expiresAt = endpoint.now + (endpoint.ttlMs ?? VERDICT_LINK_TTL_MS);
  return alert.entities.map((entityId, index) => {
    const url = new URL(endpoint.baseUrl);
    url.searchParams.set('t', signVerdictToken({ alertId: alert.id, entityId, expiresAt }, endpoint.key));
    return { entityId, entityName: alert.entityNames[index] ?? entityId, url: url.href };
  });
}
