// What a watchlist change does to the alerts of a replay: the alerts it adds, those it drops, how many stay.
import type { Alert } from './types';

export interface BacktestResult {
  added: Alert[];
  dropped: Alert[];
  unchanged: number;
}

/**
 * An alert is the same in both replays when it is for the same item and the same entities: an alert whose entities
 * change shows as one dropped and one added, so the change is seen.
 */
export function compareAlerts(current: readonly Alert[], next: readonly Alert[]): BacktestResult {
  const identity = (alert: Alert) => `${alert.itemKey}\n${[...alert.entities].sort().join(',')}`;
  const currentIds = new Set(current.map(identity));
  const nextIds = new Set(next.map(identity));
  return {
    added: next.filter((alert) => !currentIds.has(identity(alert))),
    dropped: current.filter((alert) => !nextIds.has(identity(alert))),
    unchanged: next.filter((alert) => currentIds.has(identity(alert))).length,
  };
}
