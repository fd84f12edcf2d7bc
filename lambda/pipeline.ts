// The use case: poll one feed (fetch, parse, normalize, match, dedupe, alert, record) and many feeds side by side.
import { createHash } from 'node:crypto';
import { backoffDelay, DEFAULT_BACKOFF } from './core/backoff';
import { type FeedSkip, feedSkip } from './core/feed-schedule';
import { itemIdentity } from './core/identity';
import type { Matcher } from './core/match';
import { inlineDocumentReader } from './core/read-document';
import {
  addToStory,
  alsoInPublishers,
  chooseStory,
  FOLLOW_UP_HORIZON_MS,
  followUpOf,
  relatedStory,
  type StoryContext,
  type StoryHeadline,
  type StoryMatch,
  type StoryRecord,
  type StoryRef,
  type StorySource,
  sortedUnique,
  startStory,
  storyBandKeys,
  storyContext,
  storyIdFor,
  storySignature,
  type WeightedTerm,
} from './core/story';
import { TermRarity } from './core/term-rarity';
import type { Alert, Entity, EntityMatch, FeedConfig, NormalizedItem } from './core/types';
import { withoutUndefined } from './core/without-undefined';
import {
  type AlertSink,
  type ClaimOutcome,
  type Clock,
  type DocumentReader,
  FeedError,
  type FeedErrorCode,
  type FeedSource,
  type FeedState,
  type FetchResponse,
  type ItemRecord,
  type StateStore,
  type StoryItemWrite,
  type StoryStore,
} from './ports';

export interface PollPorts {
  source: FeedSource;
  state: StateStore;
  sink: AlertSink;
  clock: Clock;
  /** Parses and normalizes each fetched document; on this thread when absent. */
  reader?: DocumentReader;
}

export interface PollOptions {
  matcher: Matcher;
  entities: Entity[];
  backfillHours: number;
  /** How long a claim keeps other pollers off an item while this one publishes it. */
  leaseMs?: number;
  /** Fetch, parse and match, but claim, publish and record nothing: `alerts` are the would-be alerts. */
  dryRun?: boolean;
  /**
   * Told how long parsing and normalizing one feed's document took, for benchmarks and diagnostics (fetch, match and
   * state are timed by wrapping the ports and the matcher; parsing happens in here).
   */
  onParsed?: (feedUrl: string, items: number, ms: number) => void;
  /**
   * SMS storm guard: at most this many alerts an hour go to SMS subscribers; the rest are published for email only
   * (`smsHeld`) and the next SMS tells how many were held. No guard when absent (nothing goes to SMS locally).
   */
  smsPerHour?: number;
  /** Fetch every feed now, whatever its backoff, its interval or an earlier 410 (the user asked: `poll --force`). */
  force?: boolean;
  /**
   * How rare story terms are in the news read so far, kept across polls by a long-lived process (a warm Lambda); the
   * state store's table is read into it once. A fresh table, filled from the store, when absent.
   */
  rarity?: TermRarity;
}

/** Which story a matching item joined instead of alerting, and why (`--explain`). */
export interface StoryJoin {
  title: string;
  link?: string;
  publisher?: string;
  storyId: string;
  storyTitle: string;
  /** Why it joined: the same copy, or rare event terms shared; and their summed weight. */
  reason?: StoryMatch['reason'];
  weight: number;
  sharedEntities: string[];
  /** The event terms that carried the join, rarest first, each with its weight (0..1, by rarity). */
  sharedTerms: WeightedTerm[];
}

export type FeedStatus = 'ok' | 'not-modified' | 'error' | 'skipped';

export { type FeedSkip, feedSkip, isDue } from './core/feed-schedule';

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
  /** New matching items that reported a story already alerted: recorded on that story, not alerted. */
  joined: StoryJoin[];
  error?: string;
  /** Set when the feed itself failed; absent on an error of our own (state store, sink, bug). */
  errorCode?: FeedErrorCode;
  bytes?: number;
  /** Set on a 'skipped' feed: why, and until when. */
  skip?: FeedSkip;
}

export const DEFAULT_LEASE_MS = 2 * 60_000;
/**
 * Feeds fetched at once by pollFeeds. A poll mostly waits on the network (a few hundred ms per feed against a few ms
 * of parsing): at 300 ms a feed, 1,000 feeds take about 10 s at 32 in flight, 40 s at 8.
 * The Lambda path does not use it: each invocation polls its SQS batch side by side.
 */
export const DEFAULT_CONCURRENCY = 32;
export const DEFAULT_SMS_PER_HOUR = 5;
/** Earlier stories read per entity to find the one a new story follows up (the newest are the candidates). */
const FOLLOW_UP_CANDIDATES = 5;
/** Titles kept on story rows: a hostile feed's megabyte title must not outgrow a DynamoDB item (400 KB). */
const STORY_TITLE_MAX_CHARS = 500;

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
  const filer = storyFiler(ports.state, options);
  const poll = (feed: FeedConfig, prior?: FeedState) => pollOneFeed(feed, ports, options, prior, filer);
  return Object.assign(poll, { saveRarity: (always = true) => filer.saveRarity(ports.clock.now(), always) });
}

/**
 * Polls one feed at a time. `saveRarity` adds what its polls read to the store's term table: always at the end of a
 * run, or (`always` false: a warm Lambda after each batch) once enough was read or enough time went by.
 */
export type FeedPoller = ((feed: FeedConfig, prior?: FeedState) => Promise<FeedOutcome>) & {
  saveRarity(always?: boolean): Promise<void>;
};

/** A long-lived poller saves its reading at most this often, unless it read this many documents since its last save. */
const RARITY_SAVE_INTERVAL_MS = 15 * 60_000;
const RARITY_SAVE_DOCS = 2_000;
/** When each long-lived term table was last saved. */
const raritySavedAt = new WeakMap<TermRarity, number>();

/**
 * Runs the claim and story filing of one item at a time, so feeds polled side by side in this process see each
 * other's stories (a story carried by two feeds that answer at once still alerts once). A dry run files in memory over
 * the stored stories: its preview clusters as a real poll would, and writes nothing.
 */
interface StoryFiler {
  store: StoryFilingStore;
  serially<T>(work: () => Promise<T>): Promise<T>;
  /** The watchlist's names and the term table, read from the store on first use. */
  context(): Promise<StoryContext>;
  saveRarity(now: number, always: boolean): Promise<void>;
}

function storyFiler(state: StateStore, options: PollOptions): StoryFiler {
  let previous: Promise<unknown> = Promise.resolve();
  const rarity = options.rarity ?? new TermRarity();
  let context: Promise<StoryContext> | undefined;
  return {
    store: options.dryRun ? new PreviewStoryStore(state) : state,
    serially(work) {
      const run = previous.then(work);
      previous = run.catch(() => undefined);
      return run;
    },
    context() {
      context ??= loadRarity(state, rarity).then(() => storyContext(options.entities, rarity));
      return context;
    },
    async saveRarity(now, always) {
      if (options.dryRun || !state.addTermCounts || rarity.pendingDocs === 0) return;
      const due = now - (raritySavedAt.get(rarity) ?? Number.NEGATIVE_INFINITY) >= RARITY_SAVE_INTERVAL_MS;
      if (!always && !due && rarity.pendingDocs < RARITY_SAVE_DOCS) return;
      raritySavedAt.set(rarity, now);
      await state.addTermCounts(rarity.takeAdded());
    },
  };
}

/** Reads the store's term table into `rarity` once per table (a warm Lambda keeps its table across batches). */
const loadedRarity = new WeakSet<TermRarity>();
async function loadRarity(state: StateStore, rarity: TermRarity): Promise<void> {
  if (loadedRarity.has(rarity) || !state.loadTermCounts) return;
  loadedRarity.add(rarity);
  const stored = await state.loadTermCounts();
  if (stored) rarity.add(stored);
}

async function pollOneFeed(
  feed: FeedConfig,
  ports: PollPorts,
  options: PollOptions,
  prior: FeedState | undefined,
  filer: StoryFiler,
): Promise<FeedOutcome> {
  const now = ports.clock.now();
  const state = prior ?? (await ports.state.getFeed(feed.url));
  const outcome = emptyOutcome(feed);
  const skip = options.force ? undefined : feedSkip(feed, state, now);
  if (skip) return { ...outcome, status: 'skipped', skip };

  let response: FetchResponse;
  let items: NormalizedItem[] = [];
  try {
    response = await ports.source.fetch({ url: feed.url, etag: state?.etag, lastModified: state?.lastModified });
    if (response.kind === 'ok') {
      // Relative links resolve against where the document was found, which after a redirect is not the configured URL.
      const reader = ports.reader ?? inlineDocumentReader;
      const document = await reader.read(response.body, response.contentType, {
        name: feed.name,
        url: response.finalUrl,
      });
      items = document.items;
      options.onParsed?.(feed.url, items.length, document.ms);
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

  const found = await findAlerts(items, feed, state, now, ports.state, filer, options);
  const published = options.dryRun ? { sent: found.alerts, failed: 0 } : await publish(found, ports, options, now);
  if (!options.dryRun) {
    // After a failed publish, or an item another poller holds and might fail to send, keep the old validators: the
    // next poll then gets a 200 and sees the item again instead of a 304 that would hide it for good.
    const validators = published.failed > 0 || found.busy > 0 ? state : response;
    const itemKeys = found.doneKeys.length > 0 ? sortedUnique(found.doneKeys) : undefined;
    await ports.state.putFeed(succeededState(feed, state, now, validators, itemKeys));
  }
  return {
    ...outcome,
    status: 'ok',
    items: items.length,
    matches: found.matches,
    alerts: published.sent,
    failedAlerts: published.failed,
    backfilled: found.backfilled,
    joined: found.joined,
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
  const poll = feedPoller(ports, options);
  let nextIndex = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (let index = nextIndex++; index < feeds.length; index = nextIndex++) {
      const feed = feeds[index]!;
      let outcome: FeedOutcome;
      try {
        outcome = await poll(feed);
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
  try {
    await poll.saveRarity();
    await ports.state.flush?.(); // the poll's changes are saved when it returns
  } catch (error) {
    // Changes since the last good save are not in the store: every feed's poll must be done again.
    const unsaved = errorMessage(error);
    return outcomes.map((outcome) =>
      outcome.status === 'error' ? outcome : { ...outcome, status: 'error', error: unsaved },
    );
  }
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
  joined: StoryJoin[];
  /** Keys of matching items dealt with for good (alerted before, recorded, joined): the feed remembers them. */
  doneKeys: string[];
}

async function findAlerts(
  items: NormalizedItem[],
  feed: FeedConfig,
  state: FeedState | undefined,
  now: number,
  store: StateStore,
  filer: StoryFiler,
  options: PollOptions,
): Promise<FoundAlerts> {
  const found: FoundAlerts = { matches: 0, backfilled: 0, busy: 0, pending: [], alerts: [], joined: [], doneKeys: [] };
  // Every item read tells how common its words are in the news, matching or not.
  const context = await filer.context();
  for (const item of items) {
    context.rarity.observeOnce(item.canonicalLink ?? item.link ?? item.title, () => storySignature(item).terms);
  }
  const firstPoll = state?.firstPolledAt === undefined;
  const backfillFrom = now - options.backfillHours * 3_600_000;
  // Matching items the previous document held and that were dealt with then: done, without asking the store.
  const doneBefore = new Set(state?.itemKeys);
  // Oldest first (feeds list newest first): a story starts with its earliest item, and of two stories the later one
  // is filed second, so it can name the earlier as the story it follows up. Undated items count as now.
  const matching = [...items]
    .sort((a, b) => (a.publishedAt ?? now) - (b.publishedAt ?? now))
    .map((item) => ({ item, entityMatches: options.matcher.match(item, { feed: feed.name }) }))
    .filter(({ entityMatches }) => entityMatches.length > 0);
  for (const { item, entityMatches } of matching) {
    found.matches += 1;
    const record: ItemRecord = { identity: itemIdentity(item), feedUrl: feed.url, title: item.title };
    const { key } = record.identity;
    if (doneBefore.has(key)) {
      found.doneKeys.push(key);
      continue;
    }
    if (firstPoll && (item.publishedAt === undefined || item.publishedAt < backfillFrom)) {
      found.backfilled += 1;
      if (!options.dryRun) await store.recordSilently(record, now);
      found.doneKeys.push(key);
      continue;
    }
    const entityIds = entityMatches.map((match) => match.entityId);
    // The publication time places the item among its story's coverage; a missing or future date means "now".
    const at = item.publishedAt !== undefined && item.publishedAt <= now ? item.publishedAt : now;
    const storyItem: StoryItem = { key, ...item };
    const storyKeys = storyKeysOf(storyItem, entityIds);
    const filing = await filer.serially(async (): Promise<StoryFiling | ClaimOutcome> => {
      // One read for the item's own rows and the story rows its filing looks up next.
      await store.prefetchItems?.([record], storyKeys.bandKeys);
      if (options.dryRun) {
        if (await store.isItemDone?.(record, now)) return 'done';
      } else {
        const claim = await store.claimItem(record, now, options.leaseMs ?? DEFAULT_LEASE_MS);
        if (claim !== 'claimed') return claim;
      }
      return fileOnStory(filer.store, storyItem, entityIds, at, context, now, storyKeys);
    });
    if (filing === 'busy') found.busy += 1;
    if (filing === 'done') found.doneKeys.push(key);
    if (typeof filing === 'string') continue;
    record.storyId = filing.story.id;
    if (filing.joined) {
      found.joined.push(storyJoin(item, filing.story, filing.joined));
    }
    if (filing.joined && filing.addedEntities.length === 0) {
      if (!options.dryRun) await store.recordSilently(record, now);
      found.doneKeys.push(key);
      // Coverage that arrives before the story's alert is sent rides along in it.
      const pending = [...found.pending.map((p) => p.alert), ...found.alerts].find(
        (a) => a.storyId === filing.story.id,
      );
      if (pending) pending.alsoIn = alsoInPublishers(filing.story);
      continue;
    }
    // A new story alerts for all its entities; a joined one that names an entity its alert did not, for those only.
    const alerted = filing.joined
      ? entityMatches.filter((match) => filing.addedEntities.includes(match.entityId))
      : entityMatches;
    const alert: Alert = {
      ...toAlert(item, record, alerted, feed, options.entities),
      storyId: filing.story.id,
      ...(filing.followUp && { followUp: { title: filing.followUp.title, firstSeenAt: filing.followUp.firstSeenAt } }),
      ...(filing.joined && { partOf: { title: filing.story.title, firstSeenAt: filing.story.firstSeenAt } }),
    };
    if (options.dryRun) found.alerts.push(alert);
    else found.pending.push({ record, alert });
  }
  return found;
}

function storyJoin(item: NormalizedItem, story: StoryRecord, match: StoryMatch): StoryJoin {
  return {
    title: item.title,
    link: item.canonicalLink ?? item.link,
    publisher: item.publisher,
    storyId: story.id,
    storyTitle: story.title,
    ...(match.reason && { reason: match.reason }),
    weight: match.weight,
    sharedEntities: match.sharedEntities,
    sharedTerms: match.sharedTerms,
  };
}

/** The story operations filing needs (a dry run's preview has only these). */
export type StoryFilingStore = Pick<
  StoryStore,
  'findStoryRefs' | 'saveStoryItem' | 'recentHeadlines' | 'whileStartingStory'
>;

/** What filing an item did: joined a story (no alert), or started one, maybe following up an earlier story. */
export type StoryFiling =
  /** `addedEntities`: the item's entities the story had not been alerted for (usually none). */
  | { story: StoryRecord; joined: StoryMatch; addedEntities: string[]; followUp?: undefined }
  /** `related`: the candidate story the item resembles without strong evidence of the same event (`--explain`). */
  | { story: StoryRecord; joined?: undefined; followUp?: StoryHeadline; related?: StoryMatch };

export interface StoryItem {
  /** The item's identity key: a story it starts is named after it, so a retried item starts the same story. */
  key: string;
  title: string;
  summary?: string;
  publisher?: string;
  canonicalLink?: string;
  link?: string;
}

/** The item's story title, signature and band keys: what filing it looks up (and the poll reads ahead). */
type StoryKeys = ReturnType<typeof storyKeysOf>;

function storyKeysOf(item: StoryItem, entityIds: string[]) {
  const title = item.title.slice(0, STORY_TITLE_MAX_CHARS);
  const signature = storySignature({ title, summary: item.summary, publisher: item.publisher });
  return { title, signature, bandKeys: storyBandKeys(signature, entityIds) };
}

/**
 * Files one matching item on its story in one pass (docs/stories.md): signature -> band keys -> candidates ->
 * chooseStory. It joins the best candidate story, or starts a new one, naming the latest earlier story of its
 * entities (30 days back) as the story it follows up. `at`: the item's time.
 */
export async function fileOnStory(
  store: StoryFilingStore,
  item: StoryItem,
  entityIds: string[],
  at: number,
  context: StoryContext,
  recordedAt: number = at,
  /** storyKeysOf(item, entityIds), when the caller has it already (the poll reads ahead with its band keys). */
  keys: StoryKeys = storyKeysOf(item, entityIds),
): Promise<StoryFiling> {
  const { title, signature, bandKeys } = keys;
  const source: StorySource = withoutUndefined({
    publisher: item.publisher,
    link: item.canonicalLink ?? item.link,
    title,
    seenAt: at,
  });
  const ownId = storyIdFor(item.key);

  /** Joins the best of these candidates, if one is this item's story; undefined to start one instead. */
  const joinAny = async (candidates: StoryRef[]): Promise<StoryFiling | undefined> => {
    // Our own story among the candidates: an earlier attempt started it and its alert was not sent. Start it again.
    const match = candidates.some((ref) => ref.storyId === ownId)
      ? undefined
      : chooseStory(signature, entityIds, candidates, at, context);
    const joinedRef = match && candidates.find((ref) => ref.storyId === match.storyId);
    if (!match || !joinedRef) return undefined;
    // What the story had been alerted for, as its rows among the candidates know it (the latest row of a story
    // carries every entity added before it).
    const storyEntities = new Set(
      candidates.filter((ref) => ref.storyId === match.storyId).flatMap((ref) => ref.storyEntities ?? ref.entities),
    );
    const addedEntities = entityIds.filter((id) => !storyEntities.has(id));
    const ref: StoryRef = {
      ...joinedRef,
      entities: entityIds,
      storyEntities: sortedUnique([...storyEntities, ...entityIds]),
      signature,
      seenAt: at,
    };
    const story = await store.saveStoryItem({
      kind: 'join',
      storyId: match.storyId,
      source,
      entities: entityIds,
      bandKeys,
      ref,
    });
    return story && { story, joined: match, addedEntities };
  };

  const start = async (candidates: StoryRef[]): Promise<StoryFiling> => {
    const recent = (
      await Promise.all(
        entityIds.map((id) => store.recentHeadlines(id, at - FOLLOW_UP_HORIZON_MS, at, FOLLOW_UP_CANDIDATES)),
      )
    ).flat();
    // It follows up the story it resembles when there is one (a new development of that event), else the latest.
    const related = relatedStory(signature, entityIds, candidates, at, context);
    const followUp =
      recent.find((story) => story.id === related?.storyId && story.id !== ownId) ??
      followUpOf(entityIds, recent, at, FOLLOW_UP_HORIZON_MS, ownId);
    const started = startStory(ownId, signature, entityIds, source, recordedAt);
    const ref: StoryRef = {
      storyId: ownId,
      storyTitle: title,
      entities: entityIds,
      storyEntities: sortedUnique(entityIds),
      signature,
      origin: signature,
      seenAt: at,
    };
    const story = (await store.saveStoryItem({ kind: 'start', story: started, bandKeys, ref })) ?? started;
    return { story, followUp, ...(related && { related }) };
  };

  const refs = (consistent: boolean) => (bandKeys.length > 0 ? store.findStoryRefs(bandKeys, consistent) : []);
  const candidates = await refs(false);
  const joined = await joinAny(candidates);
  if (joined) return joined;
  if (!store.whileStartingStory) return start(candidates);
  // Another poller may be starting this story right now: under the lease, look again before starting one.
  return store.whileStartingStory(entityIds, async () => {
    const again = await refs(true);
    return (await joinAny(again)) ?? start(again);
  });
}

/**
 * A dry run's stories: reads what is stored, files in memory only, so a preview clusters its own items as a real
 * poll would and writes nothing. A stored story joined in the preview is known only by its band row.
 */
class PreviewStoryStore implements StoryFilingStore {
  private readonly bands = new Map<string, StoryRef>();
  private readonly stories = new Map<string, StoryRecord>();
  private readonly started: StoryHeadline[] = [];

  constructor(private readonly stored: StoryFilingStore) {}

  async findStoryRefs(bandKeys: string[]): Promise<StoryRef[]> {
    const previewed = bandKeys.flatMap((key) => this.bands.get(key) ?? []);
    return [...(await this.stored.findStoryRefs(bandKeys)), ...previewed];
  }

  async saveStoryItem(write: StoryItemWrite): Promise<StoryRecord> {
    let story: StoryRecord;
    if (write.kind === 'start') {
      story = this.stories.get(write.story.id) ?? write.story;
      this.started.push({ id: story.id, title: story.title, entities: story.entities, firstSeenAt: story.firstSeenAt });
    } else {
      const { ref } = write;
      const known = this.stories.get(write.storyId) ?? {
        id: write.storyId,
        title: ref.storyTitle ?? write.storyId,
        entities: [],
        firstSeenAt: ref.seenAt,
        lastSeenAt: ref.seenAt,
        signature: ref.origin,
        sources: [],
      };
      story = addToStory(known, write.source, write.entities);
    }
    this.stories.set(story.id, story);
    for (const key of write.bandKeys) this.bands.set(key, write.ref);
    return story;
  }

  async recentHeadlines(entityId: string, since: number, until: number, limit: number): Promise<StoryHeadline[]> {
    const previewed = this.started.filter(
      (h) => h.entities.includes(entityId) && h.firstSeenAt >= since && h.firstSeenAt <= until,
    );
    return [...(await this.stored.recentHeadlines(entityId, since, until, limit)), ...previewed]
      .sort((a, b) => b.firstSeenAt - a.firstSeenAt)
      .slice(0, limit);
  }
}

async function publish(
  found: FoundAlerts,
  ports: PollPorts,
  options: PollOptions,
  now: number,
): Promise<{ sent: Alert[]; failed: number }> {
  if (found.pending.length === 0) return { sent: [], failed: 0 };
  if (options.smsPerHour !== undefined) {
    for (const { alert } of found.pending) {
      const slot = await ports.state.takeSmsSlot(options.smsPerHour, now);
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
    if (result?.ok) {
      await ports.state.markSent(pending.record, now, pending.alert.id);
      sent.push(pending.alert);
      found.doneKeys.push(pending.record.identity.key);
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
  /** The matching items dealt with in the document just read; a 304 keeps the ones already known. */
  itemKeys: string[] | undefined = state?.itemKeys,
): FeedState {
  return withoutUndefined({
    url: feed.url,
    etag: validators?.etag,
    lastModified: validators?.lastModified,
    firstPolledAt: state?.firstPolledAt ?? now,
    lastSuccessAt: now,
    lastAttemptAt: now,
    consecutiveFailures: 0,
    itemKeys,
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
    itemKeys: state?.itemKeys,
  });
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
    joined: [],
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
