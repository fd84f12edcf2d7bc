import { SMS_WINDOW_MS, smsGrantsInWindow, smsSlotFree } from '../../lambda/core/sms-window';

const AT = Date.UTC(2024, 10, 5, 14, 0, 0);
const MINUTE = 60_000;

describe('SMS storm guard window', () => {
  it('lets `limit` SMS go in an hour and holds the next, across a clock hour end', () => {
    const grants = [AT - 30 * MINUTE, AT - 5 * MINUTE];
    expect(smsSlotFree(grants, 3, AT)).toBe(true);
    expect(smsSlotFree(grants, 2, AT)).toBe(false);
    // 14:29: the 13:30 grant is still inside the hour before, though a new clock hour began at 14:00.
    expect(smsSlotFree(grants, 2, AT + 29 * MINUTE)).toBe(false);
    expect(smsSlotFree(grants, 2, AT + 30 * MINUTE)).toBe(true);
  });

  it('reads a store that keeps only the latest `limit` grants as one that keeps the whole hour', () => {
    const hour = [AT - 50 * MINUTE, AT - 40 * MINUTE, AT - 10 * MINUTE];
    for (const now of [AT, AT + 10 * MINUTE, AT + 20 * MINUTE]) {
      expect(smsSlotFree(hour.slice(-2), 2, now)).toBe(smsSlotFree(smsGrantsInWindow(hour, now), 2, now));
    }
    expect(smsSlotFree(hour.slice(-2), 2, AT + 20 * MINUTE)).toBe(true);
  });

  it('never grants with no budget', () => {
    expect(smsSlotFree([], 0, AT)).toBe(false);
  });

  it('keeps only the grants inside the window', () => {
    expect(smsGrantsInWindow([AT - SMS_WINDOW_MS, AT - SMS_WINDOW_MS + 1, AT], AT)).toEqual([
      AT - SMS_WINDOW_MS + 1,
      AT,
    ]);
  });

  it('does not count grants from a clock that ran ahead: SMS go again once the clock is corrected', () => {
    const aheadByADay = [AT + 24 * 60 * MINUTE, AT + 24 * 60 * MINUTE + 1];
    expect(smsSlotFree(aheadByADay, 2, AT)).toBe(true);
    expect(smsGrantsInWindow([AT - MINUTE, ...aheadByADay], AT)).toEqual([AT - MINUTE]);
  });
});
