// Finding a feed's alerts: match the items read, skip those dealt with, claim each new one and file it on its story.
import { createHash } from 'node:crypto';
import { feedSubjects } from '../core/feed-subjects';
import { itemIdentity, rematchIdentity, revisionIdentity, seenKey } from '../core/identity';
import { shortestName } from '../core/short-name';
import { alsoInPublishers, type StoryMatch, type StoryRecord, signatureTerms } from '../core/story';
import { itemTopicText } from '../core/topic-terms';
import type { Alert, Entity, EntityMatch, FeedConfig, ItemIdentity, NormalizedItem } from '../core/types';
import type { ClaimOutcome, FeedState, ItemRecord, StateStore } from '../ports';
import { fileOnStory, type StoryFiling, type StoryItem, storyKeysOf } from './file-on-story';
import { SeenItems } from './seen-items';
import type { StoryFiler } from './story-filer';
import { DEFAULT_LEASE_MS, type PollOptions, type StoryJoin } from './types';

/** Deterministic, so a retried publish of the same item carries the same id. */
export function alertIdFor(itemKey: string): string {
  return createHash('sha256').update(itemKey).digest('hex').slice(0, 24);
}

export interface PendingAlert {
  record: ItemRecord;
  alert: Alert;
  /** How the feed remembers the item once its alert is out (seenKey). */
  seen: string;
  /**
   * Reports of the same story filed before its first alert went out: done once it is, retried if it is not. `seen`
   * for those of this feed, which its state remembers.
   */
  riders?: { record: ItemRecord; seen?: string }[];
  /** The story's first alert: once sent, the story is marked alerted. */
  first?: boolean;
  /** Entities that reports of its story, alerted beside it in this process, tell ("Same story as"). */
  covered?: string[];
  /** Published, or refused (`sent` tells which). */
  settled?: boolean;
  sent?: boolean;
}

export interface FoundAlerts {
  matches: number;
  backfilled: number;
  /** Items another poller holds a live claim on. */
  busy: number;
  /** Claimed items to publish. */
  pending: PendingAlert[];
  joined: StoryJoin[];
  /** Matching items dealt with for good (alerted before, recorded, joined), as seenKey: the feed remembers them. */
  doneKeys: string[];
}

export async function findAlerts(
  items: NormalizedItem[],
  feed: FeedConfig,
  state: FeedState | undefined,
  now: number,
  store: StateStore,
  filer: StoryFiler,
  options: PollOptions,
): Promise<FoundAlerts> {
  const found: FoundAlerts = { matches: 0, backfilled: 0, busy: 0, pending: [], joined: [], doneKeys: [] };
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  // Every item read tells how common its words are in the news, matching or not.
  const context = await filer.context();
  for (const item of items) {
    context.rarity.observeOnce(item.canonicalLink ?? item.link ?? item.title, () => signatureTerms(item));
  }
  const firstPoll = state?.firstPolledAt === undefined;
  // From the feed's first attempt, not its first read: a feed added while down alerts what it published since.
  const backfillFrom = Math.min(now, state?.firstAttemptAt ?? now) - options.backfillHours * 3_600_000;
  // Matching items the previous document held and that were dealt with then: done, without asking the store. The
  // same item under another headline is a rewrite in place (it may tell a new development); naming an entity it did
  // not, it is news for that entity's followers.
  const seenBefore = new SeenItems(state?.itemKeys);
  // Oldest first (feeds list newest first): a story starts with its earliest item, and of two stories the later one
  // is filed second, so it can name the earlier as the story it follows up. Undated items count as now.
  const about = feedSubjects(feed, options.entities);
  const matching = [...items]
    .sort((a, b) => (a.publishedAt ?? now) - (b.publishedAt ?? now))
    .map((item) => ({ item, entityMatches: options.matcher.match(item, { feed: feed.name, about }) }))
    .filter(({ entityMatches }) => entityMatches.length > 0);
  for (const { item, entityMatches } of matching) {
    found.matches += 1;
    const identity = itemIdentity(item);
    const entityIds = entityMatches.map((match) => match.entityId);
    const seen = seenKey(identity, item.title, entityIds);
    const before = seenBefore.lookup(seen);
    if (before.kind === 'done') {
      found.doneKeys.push(seen);
      continue;
    }
    const record: ItemRecord = {
      identity:
        before.kind === 'rewritten'
          ? revisionIdentity(identity, item)
          : before.kind === 'more-entities'
            ? rematchIdentity(identity, item.title, entityIds)
            : identity,
      feedUrl: feed.url,
      title: item.title,
      entities: entityIds,
    };
    /** Alerted before for the others: a new story of this item alerts only these. */
    const onlyFor = before.kind === 'more-entities' ? before.entities : undefined;
    if (firstPoll && (item.publishedAt === undefined || item.publishedAt < backfillFrom)) {
      found.backfilled += 1;
      await store.recordSilently(record, now);
      found.doneKeys.push(seen);
      continue;
    }
    // The publication time places the item among its story's coverage; a missing or future date means "now".
    const at = item.publishedAt !== undefined && item.publishedAt <= now ? item.publishedAt : now;
    const storyItem: StoryItem = { key: record.identity.key, ...item };
    const storyKeys = storyKeysOf(storyItem, entityIds);
    const filing = await filer.serially(async (): Promise<StoryFiling | ClaimOutcome> => {
      // One read for the item's own rows and the story rows its filing looks up next.
      await store.prefetchItems?.([record], storyKeys.bandKeys);
      const claimAs = (next: ItemIdentity) => {
        record.identity = next;
        storyItem.key = next.key;
        return store.claimItem(record, now, leaseMs);
      };
      let claim = await store.claimItem(record, now, leaseMs);
      // Dealt with only under other headlines (a rewrite across a gap, another entry of its page): this wording is
      // claimed under a key of its own. Under this headline for fewer entities (another outlet's copy naming one
      // more): a key of its own too. Either way its story decides.
      if (claim === 'rewritten') claim = await claimAs(revisionIdentity(identity, item));
      if (claim === 'more-entities') claim = await claimAs(rematchIdentity(identity, item.title, entityIds));
      if (claim !== 'claimed') return claim === 'busy' ? 'busy' : 'done';
      return fileOnStory(store, storyItem, entityIds, at, context, now, storyKeys, leaseMs);
    });
    if (filing === 'busy') found.busy += 1;
    if (filing === 'done') found.doneKeys.push(seen);
    if (typeof filing === 'string') continue;
    record.storyId = filing.story.id;
    const quiet = filing.joined !== undefined && filing.addedEntities.length === 0;
    // The story's first alert, claimed in this process and not yet published: a report naming no entity it does not
    // rides along in it, done once it is sent and retried with it if it is not (in another feed's poll, it counts as
    // busy meanwhile); a report naming more alerts for those, as a report of that story.
    const carrier = filer.inFlight.get(filing.story.id);
    const riding = carrier && !carrier.settled && (quiet || !filing.joined || filing.unsent === 'abandoned');
    const covered = riding ? [...carrier.alert.entities, ...(carrier.covered ?? [])] : [];
    const uncovered = entityMatches.filter((match) => riding && !covered.includes(match.entityId));
    if (riding && uncovered.length === 0) {
      const sameFeed = found.pending.includes(carrier);
      carrier.riders = [...(carrier.riders ?? []), { record, ...(sameFeed && { seen }) }];
      if (!sameFeed) found.busy += 1;
      if (filing.joined) found.joined.push(storyJoin(item, filing.story, filing.joined));
      carrier.alert.alsoIn = alsoInPublishers(filing.story);
      continue;
    }
    // Not out (and not sent by this process): while the poll that started the story may still send it, the report
    // waits under its claim (the feed keeps its validators), then joins; once it cannot, the report carries it.
    const unsent = riding || carrier?.sent ? undefined : filing.unsent;
    if (quiet && unsent === 'in-flight') {
      found.busy += 1;
      continue;
    }
    if (filing.joined && unsent !== 'abandoned') {
      found.joined.push(storyJoin(item, filing.story, filing.joined));
    }
    if (quiet && !riding && unsent !== 'abandoned') {
      await store.recordSilently(record, now);
      found.doneKeys.push(seen);
      // Coverage that arrives before the story's alert is sent rides along in it.
      const pending = found.pending.find((p) => p.alert.storyId === filing.story.id)?.alert;
      if (pending) pending.alsoIn = alsoInPublishers(filing.story);
      continue;
    }
    // A new story alerts for all its entities; a joined one that names an entity its alert did not, for those only. A
    // report of a story whose first alert never went out is that alert.
    const first = !riding && (!filing.joined || unsent === 'abandoned');
    const alerted = riding
      ? uncovered
      : first
        ? entityMatches.filter((match) => onlyFor === undefined || onlyFor.includes(match.entityId))
        : entityMatches.filter((match) => filing.joined && filing.addedEntities.includes(match.entityId));
    const alert: Alert = {
      ...toAlert(item, record, alerted, feed, options.entities),
      storyId: filing.story.id,
      ...(filing.followUp && { followUp: { title: filing.followUp.title, firstSeenAt: filing.followUp.firstSeenAt } }),
      ...(!first && { partOf: { title: filing.story.title, firstSeenAt: filing.story.firstSeenAt } }),
    };
    // Kept with the sent item: a verdict on the alert teaches the entity's profile these words.
    record.alerted = { entities: alert.entities, text: itemTopicText(item) };
    const pending: PendingAlert = { record, alert, seen, ...(first && { first }) };
    found.pending.push(pending);
    if (first) filer.carry(pending);
    // A report of a story whose first alert is on its way tells these entities: later reports need not again.
    else if (carrier && !carrier.settled) carrier.covered = [...(carrier.covered ?? []), ...alert.entities];
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

function toAlert(
  item: NormalizedItem,
  record: ItemRecord,
  entityMatches: EntityMatch[],
  feed: FeedConfig,
  entities: Entity[],
): Alert {
  const ids = entityMatches.map((match) => match.entityId);
  const tracked = ids.map((id) => entities.find((entity) => entity.id === id));
  return {
    id: alertIdFor(record.identity.key),
    itemKey: record.identity.key,
    entities: ids,
    entityNames: tracked.map((entity, index) => entity?.name ?? ids[index]!),
    entityShortNames: tracked.map((entity, index) => (entity ? shortestName(entity) : ids[index]!)),
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
