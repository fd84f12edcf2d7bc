// Clock backed by the system time, for the CLI and the Lambdas (tests pass their own Clock).
import type { Clock } from '../ports';

export const systemClock: Clock = { now: () => Date.now() };
