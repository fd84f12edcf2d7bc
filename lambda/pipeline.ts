// The use case: poll one feed (fetch, parse, normalize, match, dedupe, alert, record) and many feeds side by side.
import { createHash } from 'node:crypto';
import { backoffDelay, DEFAULT_BACKOFF } from './core/backoff';
import { itemIdentity } from './core/identity';
import type { Matcher } from './core/match';
import { normalizeItem } from './core/normalize';
import { parseFeed } from './core/parse';
import type { Alert, Entity, EntityMatch, FeedConfig, NormalizedItem } from './core/types';
import {
  type AlertSink,
  type Clock,
  FeedError,
  type FeedErrorCode,
  type FeedSource,
  type FeedState,
  type FetchResponse,
  type ItemRecord,
  type StateStore,
} from './ports';

export interface PollPorts {
  source: FeedSource;
  state: StateStore;
  sink: AlertSink;
  clock: Clock;
}

export interface PollOptions {
  matcher: Matcher;
  entities: Entity[];
  backfillHours: number;
  /** How long a claim keeps other pollers off an item while this one publishes it. */
  leaseMs?: number;
  /** Fetch, parse and match, but claim, publish and record nothing: `alerts` are the would-be alerts. */
  dryRun?: boolean;
}

export type FeedStatus = 'ok' | 'not-modified' | 'error' | 'skipped';

export interface FeedOutcome {
  url: string;
  name: string;
  status: FeedStatus;
  /** Items in the fetched document. */
  items: number;
  /** Items that matched at least one entity (new or not). */
  matches: number;
  /** Alerts published (or, in a dry run, that would be). */
  alerts: Alert[];
  /** Alerts the sink refused; their items are retried on the next poll. */
  failedAlerts: number;
  /** Matching items older than the backfill window on a feed's first poll: recorded, not alerted. */
  backfilled: number;
  error?: string;
  /** Set when the feed itself failed; absent on an error of our own (state store, sink, bug). */
  errorCode?: FeedErrorCode;
  bytes?: number;
}

export const DEFAULT_LEASE_MS = 2 * 60_000;
export const DEFAULT_CONCURRENCY = 8;

/** Whether a feed should be fetched now: not gone, not backing off, and its own interval has passed. */
export function isDue(feed: FeedConfig, state: FeedState | undefined, now: number): boolean {
  if (state === undefined) return true;
  if (state.gone) return false;
  if (state.nextAttemptAt !== undefined && state.nextAttemptAt > now) return false;
  if (feed.intervalMinutes !== undefined && state.lastAttemptAt !== undefined) {
    return now - state.lastAttemptAt >= feed.intervalMinutes * 60_000;
  }
  return true;
}

/**
 * Polls one feed. A failure of the feed itself is recorded on the feed (with backoff) and reported in the outcome;
 * only a failure of the state store or the sink throws, so the caller can retry the whole job.
 */
export async function pollFeed(
  feed: FeedConfig,
  ports: PollPorts,
  options: PollOptions,
  prior?: FeedState,
): Promise<FeedOutcome> {
  const now = ports.clock.now();
  const state = prior ?? (await ports.state.getFeed(feed.url));
  const outcome = emptyOutcome(feed);
  if (!isDue(feed, state, now)) return { ...outcome, status: 'skipped' };

  let response: FetchResponse;
  let items: NormalizedItem[] = [];
  try {
    response = await ports.source.fetch({ url: feed.url, etag: state?.etag, lastModified: state?.lastModified });
    if (response.kind === 'ok') {
      const parsed = await parseFeed(response.body, response.contentType);
      items = parsed.items.map((raw) => normalizeItem(raw, feed));
    }
  } catch (error) {
    if (!(error instanceof FeedError)) throw error;
    if (!options.dryRun) await ports.state.putFeed(failedState(feed, state, now, error));
    return { ...outcome, status: 'error', error: `${error.code}: ${error.message}`, errorCode: error.code };
  }

  if (response.kind === 'not-modified') {
    // A 304 changes nothing, so it costs no write, unless it ends a run of failures or the feed's own interval
    // needs to know when it was last asked (else it would be fetched on every tick once the interval passed).
    if (!options.dryRun && state !== undefined && (hasFailures(state) || feed.intervalMinutes !== undefined)) {
      await ports.state.putFeed(succeededState(feed, state, now, state));
    }
    return { ...outcome, status: 'not-modified' };
  }

  const found = await findAlerts(items, feed, state, now, ports.state, options);
  const published = options.dryRun ? { sent: found.alerts, failed: 0 } : await publish(found, ports, now);
  if (!options.dryRun) {
    // After a failed publish, or an item another poller holds and might fail to send, keep the old validators: the
    // next poll then gets a 200 and sees the item again instead of a 304 that would hide it for good.
    const validators = published.failed > 0 || found.busy > 0 ? state : response;
    await ports.state.putFeed(succeededState(feed, state, now, validators));
  }
  return {
    ...outcome,
    status: 'ok',
    items: items.length,
    matches: found.matches,
    alerts: published.sent,
    failedAlerts: published.failed,
    backfilled: found.backfilled,
    bytes: response.body.byteLength,
  };
}

/**
 * Polls many feeds, at most `concurrency` at a time. Every feed gets an outcome: an unexpected error while polling one
 * feed becomes that feed's 'error' outcome (without an errorCode) and the others go on.
 */
export async function pollFeeds(
  feeds: FeedConfig[],
  ports: PollPorts,
  options: PollOptions & {
    concurrency?: number;
    onProgress?: (outcome: FeedOutcome, done: number, total: number) => void;
  },
): Promise<FeedOutcome[]> {
  const outcomes: FeedOutcome[] = new Array(feeds.length);
  let nextIndex = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (let index = nextIndex++; index < feeds.length; index = nextIndex++) {
      const feed = feeds[index]!;
      let outcome: FeedOutcome;
      try {
        outcome = await pollFeed(feed, ports, options);
      } catch (error) {
        outcome = { ...emptyOutcome(feed), status: 'error', error: errorMessage(error) };
      }
      outcomes[index] = outcome;
      done += 1;
      options.onProgress?.(outcome, done, feeds.length);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, feeds.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return outcomes;
}

/** Deterministic, so a retried publish of the same item carries the same id. */
export function alertIdFor(itemKey: string): string {
  return createHash('sha256').update(itemKey).digest('hex').slice(0, 24);
}

interface PendingAlert {
  record: ItemRecord;
  alert: Alert;
}

interface FoundAlerts {
  matches: number;
  backfilled: number;
  /** Items another poller holds a live claim on. */
  busy: number;
  /** Claimed items to publish (empty in a dry run). */
  pending: PendingAlert[];
  /** Would-be alerts of a dry run. */
  alerts: Alert[];
}

async function findAlerts(
  items: NormalizedItem[],
  feed: FeedConfig,
  state: FeedState | undefined,
  now: number,
  store: StateStore,
  options: PollOptions,
): Promise<FoundAlerts> {
  const found: FoundAlerts = { matches: 0, backfilled: 0, busy: 0, pending: [], alerts: [] };
  const firstPoll = state?.firstPolledAt === undefined;
  const backfillFrom = now - options.backfillHours * 3_600_000;
  for (const item of items) {
    const entityMatches = options.matcher.match(item);
    if (entityMatches.length === 0) continue;
    found.matches += 1;
    const record: ItemRecord = { identity: itemIdentity(item), feedUrl: feed.url, title: item.title };
    if (firstPoll && (item.publishedAt === undefined || item.publishedAt < backfillFrom)) {
      found.backfilled += 1;
      if (!options.dryRun) await store.recordSilently(record, now);
      continue;
    }
    const alert = toAlert(item, record, entityMatches, feed, options.entities);
    if (options.dryRun) {
      if (!(await store.isItemDone?.(record, now))) found.alerts.push(alert);
    } else {
      const claim = await store.claimItem(record, now, options.leaseMs ?? DEFAULT_LEASE_MS);
      if (claim === 'claimed') found.pending.push({ record, alert });
      else if (claim === 'busy') found.busy += 1;
    }
  }
  return found;
}

async function publish(found: FoundAlerts, ports: PollPorts, now: number): Promise<{ sent: Alert[]; failed: number }> {
  if (found.pending.length === 0) return { sent: [], failed: 0 };
  const results = await ports.sink.publish(found.pending.map((pending) => pending.alert));
  const sent: Alert[] = [];
  let failed = 0;
  for (const [index, pending] of found.pending.entries()) {
    const result = results[index];
    if (result?.ok) {
      await ports.state.markSent(pending.record, now, pending.alert.id);
      sent.push(pending.alert);
    } else {
      await ports.state.releaseClaim(pending.record);
      failed += 1;
    }
  }
  return { sent, failed };
}

function toAlert(
  item: NormalizedItem,
  record: ItemRecord,
  entityMatches: EntityMatch[],
  feed: FeedConfig,
  entities: Entity[],
): Alert {
  const ids = entityMatches.map((match) => match.entityId);
  return {
    id: alertIdFor(record.identity.key),
    itemKey: record.identity.key,
    entities: ids,
    entityNames: ids.map((id) => entities.find((entity) => entity.id === id)?.name ?? id),
    title: item.title,
    link: item.canonicalLink ?? item.link,
    summary: item.summary,
    publisher: item.publisher,
    publishedAt: item.publishedAt,
    feed: feed.name,
    feedUrl: feed.url,
    evidence: entityMatches.flatMap((match) => match.evidence),
  };
}

function hasFailures(state: FeedState): boolean {
  return state.consecutiveFailures > 0 || state.nextAttemptAt !== undefined || state.lastError !== undefined;
}

function succeededState(
  feed: FeedConfig,
  state: FeedState | undefined,
  now: number,
  validators: { etag?: string; lastModified?: string } | undefined,
): FeedState {
  return withoutUndefined({
    url: feed.url,
    etag: validators?.etag,
    lastModified: validators?.lastModified,
    firstPolledAt: state?.firstPolledAt ?? now,
    lastSuccessAt: now,
    lastAttemptAt: now,
    consecutiveFailures: 0,
  });
}

function failedState(feed: FeedConfig, state: FeedState | undefined, now: number, error: FeedError): FeedState {
  const consecutiveFailures = (state?.consecutiveFailures ?? 0) + 1;
  return withoutUndefined({
    url: feed.url,
    etag: state?.etag,
    lastModified: state?.lastModified,
    firstPolledAt: state?.firstPolledAt,
    lastSuccessAt: state?.lastSuccessAt,
    lastAttemptAt: now,
    consecutiveFailures,
    failingSince: state?.failingSince ?? now,
    nextAttemptAt: now + backoffDelay(consecutiveFailures, DEFAULT_BACKOFF, error.details.retryAfterMs),
    lastError: `${error.code}: ${error.message}`,
    gone: error.code === 'gone' ? true : undefined,
  });
}

/** State stores persist what they are given; an explicit `undefined` would be a field some stores reject. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

function emptyOutcome(feed: FeedConfig): FeedOutcome {
  return {
    url: feed.url,
    name: feed.name,
    status: 'ok',
    items: 0,
    matches: 0,
    alerts: [],
    failedAlerts: 0,
    backfilled: 0,
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
