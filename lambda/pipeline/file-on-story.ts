// Filing one matching item on its story: join the story that reports the same event, or start one (maybe a follow-up).
import {
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
  storyIdFor,
  storySignature,
} from '../core/story';
import { withoutUndefined } from '../core/without-undefined';
import type { StoryStore } from '../ports';

/** Earlier stories read per entity to find the one a new story follows up (the newest are the candidates). */
const FOLLOW_UP_CANDIDATES = 5;
/** Titles kept on story rows: a hostile feed's megabyte title must not outgrow a DynamoDB item (400 KB). */
const STORY_TITLE_MAX_CHARS = 500;

/** The story operations filing needs (the dry run's preview stories implement only these). */
export type StoryFilingStore = Pick<
  StoryStore,
  'findStoryRefs' | 'saveStoryItem' | 'recentHeadlines' | 'whileStartingStory'
>;

/** What filing an item did: joined a story (no alert), or started one, maybe following up an earlier story. */
export type StoryFiling =
  /**
   * `addedEntities`: the item's entities the story had not been alerted for (usually none). `unsent`: the story's first
   * alert is not out: `in-flight` while the poll that started it may still send it (the item waits), `abandoned` once
   * it cannot be (a refused publish, a crash): the item carries the story's alert itself.
   */
  | {
      story: StoryRecord;
      joined: StoryMatch;
      addedEntities: string[];
      unsent?: 'in-flight' | 'abandoned';
      followUp?: undefined;
    }
  /** `related`: the candidate story the item resembles without strong evidence of the same event (`--explain`). */
  | { story: StoryRecord; joined?: undefined; unsent?: undefined; followUp?: StoryHeadline; related?: StoryMatch };

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
export type StoryKeys = ReturnType<typeof storyKeysOf>;

export function storyKeysOf(item: StoryItem, entityIds: string[]) {
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
  /**
   * For a caller that sends alerts and marks them sent (the poll): how long after its start a story whose first alert
   * is not out may still be sent by the poll that started it (the claim lease). Without it, joins never ask.
   */
  inFlightMs?: number,
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
    // This item filed before and claimed again: its alert was refused, so what it brought the story is still news.
    const addedBefore = new Set(
      candidates
        .filter((ref) => ref.storyId === match.storyId && ref.itemKey === item.key)
        .flatMap((ref) => ref.added ?? []),
    );
    const addedEntities = entityIds.filter((id) => !storyEntities.has(id) || addedBefore.has(id));
    const ref: StoryRef = withoutUndefined({
      ...joinedRef,
      entities: entityIds,
      storyEntities: sortedUnique([...storyEntities, ...entityIds]),
      signature,
      seenAt: at,
      itemKey: item.key,
      added: addedEntities.length > 0 ? addedEntities : undefined,
    });
    const story = await store.saveStoryItem({
      kind: 'join',
      storyId: match.storyId,
      source,
      entities: entityIds,
      ...(addedEntities.length > 0 && { addedEntities }),
      bandKeys,
      ref,
    });
    if (!story) return undefined;
    if (inFlightMs === undefined || story.alerted !== false) return { story, joined: match, addedEntities };
    const started = story.recordedAt ?? story.firstSeenAt;
    return recordedAt - started < inFlightMs
      ? { story, joined: match, addedEntities, unsent: 'in-flight' }
      : { story, joined: match, addedEntities: entityIds, unsent: 'abandoned' };
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
    if (inFlightMs !== undefined && story.alerted === true) {
      // Started on an attempt whose alert failed, and alerted since by another report of it: this is coverage now.
      const addedEntities = entityIds.filter((id) => !story.entities.includes(id));
      return { story, joined: ownStory(story, entityIds), addedEntities };
    }
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

/** The match of an item with the story it started itself. */
function ownStory(story: StoryRecord, entityIds: string[]): StoryMatch {
  const sharedEntities = entityIds.filter((id) => story.entities.includes(id));
  return {
    storyId: story.id,
    storyTitle: story.title,
    weight: 0,
    reason: 'own-story',
    sharedEntities,
    sharedTerms: [],
    newActs: [],
    otherPlaces: [],
    otherNames: [],
    swapped: [],
  };
}
