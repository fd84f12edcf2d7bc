// Signs the "Not about <entity>?" links of an alert for its email, under the verdict endpoint's URL.

import { type VerdictLink, verdictLinks } from '../core/verdict-token';
import type { Clock } from '../ports';

export interface VerdictLinker {
  linksFor(alert: { id: string; entities: string[]; entityNames: string[] }): Promise<VerdictLink[]>;
}

export function signedVerdictLinker(options: {
  baseUrl: string;
  key: () => Promise<string>;
  clock: Clock;
}): VerdictLinker {
  return {
    async linksFor(alert) {
      return verdictLinks(alert, { baseUrl: options.baseUrl, key: await options.key(), now: options.clock.now() });
    },
  };
}
