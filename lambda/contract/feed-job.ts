// The feed-jobs queue message between dispatch and poll: its body and its validation.
import * as z from 'zod/mini';
import type { FeedConfig } from '../core/types';
import { type FeedState, feedStateSchema } from './feed-state';

/** One SQS message: a feed to poll, with the state dispatch already read so poll need not read it again. */
export interface FeedJob {
  feed: FeedConfig;
  state?: FeedState;
}

// zod/mini keeps the Lambda bundles small; it has no default messages, so each check names its own.
const feedSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  name: z.string({ error: 'must be text' }).check(z.minLength(1, 'must not be empty')),
  intervalMinutes: z.optional(z.number({ error: 'must be a number' }).check(z.positive('must be positive'))),
});

const feedJobSchema = z
  .object({ feed: feedSchema, state: z.optional(feedStateSchema()) }, { error: 'must be an object with a feed' })
  .check(
    z.refine((job) => job.state === undefined || job.state.url === job.feed.url, {
      message: 'must equal feed.url',
      path: ['state', 'url'],
    }),
  );

export class FeedJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedJobError';
  }
}

/** Parses and validates a message body; throws FeedJobError naming every problem. */
export function parseFeedJob(body: string): FeedJob {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new FeedJobError(`feed job is not JSON: ${(error as Error).message}`);
  }
  const parsed = feedJobSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
    throw new FeedJobError(`invalid feed job: ${problems.join('; ')}`);
  }
  return parsed.data;
}
