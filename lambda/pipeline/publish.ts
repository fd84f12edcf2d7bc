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
  // Settled before any write: a report of one of these stories filed meanwhile (another feed of this process) joins
  // a sent story, or waits for a refused one, instead of riding along after its riders were dealt with.
  const settled = found.pending.map((pending, index) => {
    pending.settled = true;
    pending.sent = results[index]?.ok === true;
    return { pending, riders: pending.riders ?? [] };
  });
  const sent: Alert[] = [];
  let failed = 0;
  for (const { pending, riders } of settled) {
    if (pending.sent) {
      await ports.state.markSent(pending.record, now, pending.alert.id);
      if (pending.first && pending.alert.storyId !== undefined) {
        // Best effort: the alert is out and marked; a story left unmarked costs at worst one more alert later.
        await ports.state.markStoryAlerted?.(pending.alert.storyId).catch(() => undefined);
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
  }
  return { sent, failed };
}
