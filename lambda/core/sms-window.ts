// The SMS storm guard's rule: at most `limit` SMS in any hour (a sliding window); stores only keep the grant times.

/** The window: at most `smsPerHour` SMS in any span this long, across a clock hour's end too. */
export const SMS_WINDOW_MS = 3_600_000;
/** A held-back SMS count is told by the next SMS only within a day: "held since 14:05" must mean today. */
export const SMS_HELD_TTL_MS = 86_400_000;

/**
 * Whether one more SMS may go at `now`: fewer than `limit` SMS were granted in the window before it, that is the
 * `limit`-th latest grant (if there is one) has left the window. `grants`: grant times, oldest first; a store may
 * keep only the latest `limit` of them, or only those inside the window (smsGrantsInWindow).
 */
export function smsSlotFree(grants: readonly number[], limit: number, now: number): boolean {
  if (!(limit > 0)) return false;
  const real = grants.filter((at) => !fromAClockAhead(at, now));
  const limitth = real[real.length - limit];
  return limitth === undefined || limitth <= now - SMS_WINDOW_MS;
}

/** The grant times still inside the window at `now`, in their order: the ones a store must keep. */
export function smsGrantsInWindow(grants: readonly number[], now: number): number[] {
  return grants.filter((at) => at > now - SMS_WINDOW_MS && !fromAClockAhead(at, now));
}

/**
 * A grant more than a window after `now` was written under a clock that ran ahead (a laptop's, since corrected): kept,
 * it would hold every SMS for as long as the clock was ahead. Pollers' clocks a few seconds apart are not that.
 */
function fromAClockAhead(at: number, now: number): boolean {
  return at > now + SMS_WINDOW_MS;
}

/** When a count of alerts held back since `since` is forgotten (ms since epoch). */
export function smsHeldExpiresAt(since: number): number {
  return since + SMS_HELD_TTL_MS;
}

/** One storm-guard window as a store keeps it: the grant times, and the count held back since the last SMS. */
export interface SmsWindow {
  sent: number[];
  held?: { count: number; since: number; expiresAt: number };
}

/** The window after one more alert asks for a slot at `now`, and the answer: granted (telling what was held) or not. */
export function takeFromWindow(
  window: SmsWindow,
  limit: number,
  now: number,
): {
  next: SmsWindow;
  slot: { granted: true; heldBefore?: { count: number; since: number } } | { granted: false };
} {
  const sent = smsGrantsInWindow(window.sent, now);
  const held = window.held && window.held.expiresAt > now ? window.held : undefined;
  if (smsSlotFree(sent, limit, now)) {
    const slot = held
      ? { granted: true as const, heldBefore: { count: held.count, since: held.since } }
      : { granted: true as const };
    return { next: { sent: [...sent, now] }, slot };
  }
  const nextHeld = held
    ? { ...held, count: held.count + 1 }
    : { count: 1, since: now, expiresAt: smsHeldExpiresAt(now) };
  return { next: { sent, held: nextHeld }, slot: { granted: false } };
}
