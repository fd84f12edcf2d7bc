// Publishing a feed's claimed alerts: SMS slots, save the claims, publish, then mark each sent or give its claim back.
import { entitySetKey } from '../core/entity-set';
import type { Alert } from '../core/types';
import type { FoundAlerts } from './find-alerts';
import type { PollOptions, PollPorts } from './types';

export async function publish(
  found: FoundAlerts,
  ports: PollPorts,
  options: PollOptions,
  now: number,
): Promise<{ sent: Alert[]; failed: number }> {
  if (found.pending.length === 0) return { sent: [], failed: 0 };
  if (options.smsPerHour !== undefined) {
    for (const { alert } of found.pending) {
      // A window per set of entities: one entity's busy hour never holds another entity's SMS, nor tells of it.
      const slot = await ports.state.takeSmsSlot(options.smsPerHour, now, entitySetKey(alert.entities));
      if (!slot.granted) alert.smsHeld = true;
      else if (slot.heldBefore) alert.smsHeldBefore = slot.heldBefore;
    }
  }
  // Nothing leaves the process before the claims (and SMS slots) it rests on are saved: a crash cannot re-send it.
  await ports.state.flush?.();
  const results = await ports.sink.publish(found.pending.map((pending) => pending.alert));
  const sent: Alert[] = [];
  let failed = 0;
  for (const [index, pending] of found.pending.entries()) {
    const result = results[index];
    const riders = pending.riders ?? [];
    if (result?.ok) {
      await ports.state.markSent(pending.record, now, pending.alert.id);
      if (pending.first && pending.alert.storyId !== undefined) {
        await ports.state.markStoryAlerted?.(pending.alert.storyId);
      }
      sent.push(pending.alert);
      found.doneKeys.push(pending.seen);
      for (const rider of riders) {
        await ports.state.recordSilently(rider.record, now);
        if (rider.seen !== undefined) found.doneKeys.push(rider.seen);
      }
    } else {
      // Its reports are retried with it: recorded now, they would make the unsent story look dealt with.
      for (const rider of [pending, ...riders]) await ports.state.releaseClaim(rider.record);
      failed += 1;
    }
    pending.settled = true;
    pending.sent = result?.ok === true;
  }
  return { sent, failed };
}
