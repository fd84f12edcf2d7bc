// Polling one feed: skip it if not due, fetch, read, find alerts, publish, and record the feed's state.
import { archiveKey } from '../core/archive';
import { backoffDelay, DEFAULT_BACKOFF } from '../core/backoff';
import { FeedError } from '../core/feed-error';
import { feedSkip } from '../core/feed-schedule';
import { sortedUnique } from '../core/story';
import type { FeedConfig, NormalizedItem } from '../core/types';
import { watchlistFingerprint } from '../core/watchlist-fingerprint';
import { withoutUndefined } from '../core/without-undefined';
import type { FeedState, FetchResponse, ItemArchive } from '../ports';
import { portsFor } from './dry-run';
import { findAlerts } from './find-alerts';
import { publish } from './publish';
import { type StoryFiler, storyFiler } from './story-filer';
import { emptyOutcome, type FeedOutcome, type PollOptions, type PollPorts } from './types';

/** How long a whole read stays fresh enough to ask the server only for changes (If-None-Match, If-Modified-Since). */
const REVALIDATE_MS = 2 * 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

/**
 * Polls one feed. A failure of the feed itself is recorded on the feed (with backoff) and reported in the outcome;
 * only a failure of the state store or the sink throws, so the caller can retry the whole job.
 */
export function pollFeed(
  feed: FeedConfig,
  ports: PollPorts,
  options: PollOptions,
  prior?: FeedState,
): Promise<FeedOutcome> {
  return feedPoller(ports, options)(feed, prior);
}

/**
 * pollFeed for feeds polled side by side (an SQS batch): they share one story filer, so an event two of them report
 * at once starts one story and alerts once, as in pollFeeds.
 */
export function feedPoller(ports: PollPorts, options: PollOptions): FeedPoller {
  return pollerOver(portsFor(ports, options), options);
}

/**
 * Polls one feed at a time. `saveRarity` adds what its polls read to the store's term table: always at the end of a
 * run, or (`always` false: a warm Lambda after each batch) once enough was read or enough time went by.
 */
export type FeedPoller = ((feed: FeedConfig, prior?: FeedState) => Promise<FeedOutcome>) & {
  saveRarity(always?: boolean): Promise<void>;
};

/** feedPoller over ports already composed for the run (portsFor). */
export function pollerOver(ports: PollPorts, options: PollOptions): FeedPoller {
  const filer = storyFiler(ports.state, options);
  const watchlist = watchlistFingerprint(options.entities);
  const poll = (feed: FeedConfig, prior?: FeedState) => pollOneFeed(feed, ports, options, prior, filer, watchlist);
  return Object.assign(poll, { saveRarity: (always = true) => filer.saveRarity(ports.clock.now(), always) });
}

async function pollOneFeed(
  feed: FeedConfig,
  ports: PollPorts,
  options: PollOptions,
  prior: FeedState | undefined,
  filer: StoryFiler,
  watchlist: string,
): Promise<FeedOutcome> {
  const now = ports.clock.now();
  const state = prior ?? (await ports.state.getFeed(feed.url));
  const outcome = emptyOutcome(feed);
  const skip = options.force ? undefined : feedSkip(feed, state, now);
  if (skip) return { ...outcome, status: 'skipped', skip };

  let response: FetchResponse;
  let items: NormalizedItem[] = [];
  try {
    // Matched with another watchlist last time: read it whole, since an unchanged document may now hold alerts. Nor
    // are validators sent once the last whole read is old: a server whose Last-Modified never moves (or moved back)
    // would answer 304 for good, and the feed would never be read again.
    const readRecently =
      state?.lastReadAt !== undefined && state.lastReadAt <= now && now - state.lastReadAt < REVALIDATE_MS;
    const trusted = readRecently && state?.validatorsStuck !== true;
    const known = state?.watchlist === watchlist && trusted ? state : undefined;
    response = await ports.source.fetch({
      url: feed.url,
      etag: known?.etag,
      lastModified: known?.lastModified,
    });
    if (response.kind === 'ok') {
      // Relative links resolve against where the document was found, which after a redirect is not the configured URL.
      const document = await ports.reader.read(response.body, response.contentType, {
        name: feed.name,
        url: response.finalUrl,
      });
      items = document.items;
      options.onParsed?.(feed.url, items.length, document.ms);
    }
  } catch (error) {
    if (!(error instanceof FeedError)) throw error;
    await ports.state.putFeed(failedState(feed, state, now, error));
    return { ...outcome, status: 'error', error: `${error.code}: ${error.message}`, errorCode: error.code };
  }

  if (response.kind === 'not-modified') {
    // A 304 changes nothing, so it costs no write, unless it ends a run of failures or the feed's own interval
    // needs to know when it was last asked (else it would be fetched on every tick once the interval passed).
    if (state !== undefined && (hasFailures(state) || feed.intervalMinutes !== undefined)) {
      await ports.state.putFeed(succeededState(feed, state, now, state, state.itemKeys, state.lastReadAt));
    }
    return { ...outcome, status: 'not-modified' };
  }

  const found = await findAlerts(items, feed, state, now, ports.state, filer, options);
  const published = await publish(found, ports, options, now);
  // After a failed publish, or an item another poller holds and might fail to send, keep the old validators: the
  // next poll then gets a 200 and sees the item again instead of a 304 that would hide it for good.
  const unfinished = published.failed > 0 || found.busy > 0;
  const validators = unfinished ? state : response;
  const itemKeys = found.doneKeys.length > 0 ? sortedUnique(found.doneKeys) : undefined;
  const polled = succeededState(feed, state, now, validators, itemKeys);
  // Nor does it count as the feed's attempt: a feed with its own interval is due again at once, so the retry (SQS's
  // redelivery, the next tick) polls it instead of skipping it as not due while the item may leave the feed.
  if (unfinished) polled.lastAttemptAt = state?.lastAttemptAt;
  const { turnedOver, ...turnover } = turnoverOf(items, state, now);
  const validatorsStuck = stuckValidators(response, state, turnover.newestItemAt);
  await ports.state.putFeed(withoutUndefined({ ...polled, ...turnover, validatorsStuck, watchlist }));
  const archiveError = await archiveRead(ports.archive, feed, items, now);
  return {
    ...outcome,
    ...(archiveError !== undefined && { archiveError }),
    status: 'ok',
    items: items.length,
    matches: found.matches,
    alerts: published.sent,
    failedAlerts: published.failed,
    backfilled: found.backfilled,
    joined: found.joined,
    bytes: response.body.byteLength,
    ...(turnedOver && { turnedOver: true }),
  };
}

/**
 * Whether the server's validators are stuck: the same ETag and Last-Modified as the read before, over newer items (a
 * Last-Modified fixed at a template's time). Its 304s then hide new items, so the feed is read whole until they move.
 */
function stuckValidators(
  response: { etag?: string; lastModified?: string },
  state: FeedState | undefined,
  newestItemAt: number | undefined,
): true | undefined {
  if (state === undefined || (state.etag === undefined && state.lastModified === undefined)) return undefined;
  const same = response.etag === state.etag && response.lastModified === state.lastModified;
  if (!same) return undefined;
  const newer = newestItemAt !== undefined && state.newestItemAt !== undefined && newestItemAt > state.newestItemAt;
  return newer || state.validatorsStuck === true ? true : undefined;
}

/**
 * The newest publication time of the items read, and whether even the oldest of them is newer than the newest of the
 * last read: the feed then holds nothing that read saw, so what was published between may have rolled off unread.
 */
function turnoverOf(
  items: readonly NormalizedItem[],
  state: FeedState | undefined,
  now: number,
): { newestItemAt?: number; turnedOverAt?: number; turnedOver: boolean } {
  const dates = items
    .map((item) => item.publishedAt)
    .filter((at): at is number => at !== undefined && at <= now + DAY_MS);
  if (dates.length === 0) return { turnedOver: false };
  const before = state?.newestItemAt;
  const turnedOver = dates.length >= 2 && before !== undefined && Math.min(...dates) > before;
  return { newestItemAt: Math.max(...dates), ...(turnedOver && { turnedOverAt: now }), turnedOver };
}

/** Last, once the alerts are out and the feed recorded: an archive that fails is reported, and costs no alert. */
async function archiveRead(
  archive: ItemArchive | undefined,
  feed: FeedConfig,
  items: NormalizedItem[],
  readAt: number,
): Promise<string | undefined> {
  if (archive === undefined || items.length === 0) return undefined;
  try {
    const entries = items.map((item) => ({
      key: archiveKey(feed.url, item),
      feedUrl: feed.url,
      feedName: feed.name,
      readAt,
      item,
    }));
    await archive.archiveItems(entries);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function hasFailures(state: FeedState): boolean {
  return state.consecutiveFailures > 0 || state.nextAttemptAt !== undefined || state.lastError !== undefined;
}

/** The feed's state after a read (a 200, or a 304 keeping `validators` as they were): what a failure set is cleared. */
function succeededState(
  feed: FeedConfig,
  state: FeedState | undefined,
  now: number,
  validators: { etag?: string; lastModified?: string } | undefined,
  /** The matching items dealt with in the document just read; a 304 keeps the ones already known. */
  itemKeys: string[] | undefined = state?.itemKeys,
  /** When the document was last read whole: now, but for a 304. */
  lastReadAt: number | undefined = now,
): FeedState {
  return withoutUndefined({
    ...state,
    url: feed.url,
    etag: validators?.etag,
    lastModified: validators?.lastModified,
    firstPolledAt: state?.firstPolledAt ?? now,
    firstAttemptAt: undefined,
    lastSuccessAt: now,
    lastReadAt,
    lastAttemptAt: now,
    consecutiveFailures: 0,
    failingSince: undefined,
    nextAttemptAt: undefined,
    lastError: undefined,
    gone: undefined,
    itemKeys,
  });
}

/** The feed's state after a failed attempt: everything else it knew is kept. */
function failedState(feed: FeedConfig, state: FeedState | undefined, now: number, error: FeedError): FeedState {
  const consecutiveFailures = (state?.consecutiveFailures ?? 0) + 1;
  return withoutUndefined({
    ...state,
    url: feed.url,
    // Until a first read, when it was first tried: what it publishes from then on is no backfill, however long it fails.
    firstAttemptAt: state?.firstPolledAt === undefined ? (state?.firstAttemptAt ?? now) : undefined,
    lastAttemptAt: now,
    consecutiveFailures,
    failingSince: state?.failingSince ?? now,
    nextAttemptAt: now + backoffDelay(consecutiveFailures, DEFAULT_BACKOFF, error.details.retryAfterMs),
    lastError: `${error.code}: ${error.message}`,
    gone: error.code === 'gone' ? true : undefined,
  });
}
