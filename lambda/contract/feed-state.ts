// What is remembered about one feed between polls: one schema, read from the queue and the state file, and its type.
import * as z from 'zod/mini';
import { lazily } from '../core/lazily';

// zod/mini keeps the Lambda bundles small; it has no default messages, so each check names its own. The shape is
// built on first use: dispatch and digest load the field list below but never parse, and should not build schemas.
const optionalNumber = () => z.optional(z.number({ error: 'must be a number' }));
const optionalString = () => z.optional(z.string({ error: 'must be text' }));

const feedStateShape = () => ({
  url: z.string({ error: 'must be text' }),
  etag: optionalString(),
  lastModified: optionalString(),
  /** ms since epoch */
  firstPolledAt: optionalNumber(),
  /** ms since epoch of the first attempt before the first read: a feed added while down backfills from then. */
  firstAttemptAt: optionalNumber(),
  lastSuccessAt: optionalNumber(),
  /** ms since epoch of the last document read whole (a 200): validators older than that are not sent. */
  lastReadAt: optionalNumber(),
  lastAttemptAt: optionalNumber(),
  consecutiveFailures: z.int({ error: 'must be a whole number' }).check(z.nonnegative('must not be negative')),
  /** ms since epoch of the first failure in the current run of failures (a 304 does not move lastSuccessAt). */
  failingSince: optionalNumber(),
  nextAttemptAt: optionalNumber(),
  lastError: optionalString(),
  /** Publication time (ms) of the newest dated item of the last document read. */
  newestItemAt: optionalNumber(),
  /**
   * When a read last held nothing the read before it did (its oldest item newer than that read's newest): items between
   * may have rolled off unread, so for a day the feed is polled on every tick, its own interval aside.
   */
  turnedOverAt: optionalNumber(),
  /**
   * The server sent the same validators with newer items: its 304s cannot be trusted, so the feed is read whole on
   * every poll until its validators move again.
   */
  validatorsStuck: z.optional(z.boolean({ error: 'must be true or false' })),
  /** 410 Gone: tried again only after the longest backoff. */
  gone: z.optional(z.boolean({ error: 'must be true or false' })),
  /**
   * The matching items in the last document read that were dealt with for good (alerted, recorded or filed on a
   * story), as `key@headline@entities`: the next changed document skips them without asking the store, and knows an
   * item whose headline was rewritten since, or that names an entity it did not. Shorter entries (older states) skip
   * the item under any headline or entities they do not keep.
   */
  itemKeys: z.optional(z.array(z.string({ error: 'must be text' }), { error: 'must be a list' })),
  /** watchlistFingerprint of the watchlist the last document read was matched with: another one reads it whole. */
  watchlist: optionalString(),
});

/** What is remembered about one feed between polls. */
export type FeedState = z.infer<z.ZodMiniObject<ReturnType<typeof feedStateShape>>>;

/** Every field of FeedState but its key, for a store that writes them one by one (a DynamoDB row). */
export const FEED_STATE_FIELDS = [
  'etag',
  'lastModified',
  'firstPolledAt',
  'firstAttemptAt',
  'lastSuccessAt',
  'lastReadAt',
  'lastAttemptAt',
  'consecutiveFailures',
  'failingSince',
  'nextAttemptAt',
  'lastError',
  'gone',
  'newestItemAt',
  'turnedOverAt',
  'validatorsStuck',
  'itemKeys',
  'watchlist',
] as const satisfies readonly Exclude<keyof FeedState, 'url'>[];

// A field added to the schema and not to the list above fails to compile here.
const everyField: Exclude<keyof FeedState, 'url' | (typeof FEED_STATE_FIELDS)[number]> extends never ? true : never =
  true;
void everyField;

/**
 * Loose: fields a later version adds to FeedState travel through the queue and stay in the state file untouched, so
 * an older poller or CLI does not drop them.
 */
export const feedStateSchema = lazily(() => z.looseObject(feedStateShape()));
