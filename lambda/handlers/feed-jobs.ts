// The feed-jobs queue contract between dispatch and poll: the message body, its validation, the queue port.
import * as z from 'zod/mini';
import type { FeedConfig } from '../core/types';
import type { FeedState } from '../ports';

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

const optionalNumber = z.optional(z.number({ error: 'must be a number' }));
const optionalString = z.optional(z.string({ error: 'must be text' }));

// Loose: fields added to FeedState later must travel through the queue untouched, or pollFeed would drop them.
const stateSchema = z.looseObject({
  url: z.string({ error: 'must be text' }),
  etag: optionalString,
  lastModified: optionalString,
  firstPolledAt: optionalNumber,
  lastSuccessAt: optionalNumber,
  lastAttemptAt: optionalNumber,
  consecutiveFailures: z.int({ error: 'must be a whole number' }).check(z.nonnegative('must not be negative')),
  failingSince: optionalNumber,
  nextAttemptAt: optionalNumber,
  lastError: optionalString,
  gone: z.optional(z.boolean({ error: 'must be true or false' })),
});

const feedJobSchema = z
  .object({ feed: feedSchema, state: z.optional(stateSchema) }, { error: 'must be an object with a feed' })
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

export interface FeedJobQueue {
  /** Queues every job; rejects, after trying them all, naming the feeds whose jobs could not be queued. */
  send(jobs: FeedJob[]): Promise<void>;
}
