// The daily digest: a period's stories grouped by entity, and who receives which digest; pure data in, data out.

import { entitySetKey } from './entity-set';
import { shortestName } from './short-name';
import { recordedIn, type StoryRecord, type StorySource } from './story';
import type { Entity } from './types';

/** The digest's period: stories recorded in [from, to), ms since the epoch. */
export interface DigestPeriod {
  from: number;
  to: number;
}

export interface DigestStory {
  id: string;
  title: string;
  firstSeenAt: number;
  /** Display names of the story's other entities in the digest (it is listed once, under its first). */
  alsoAbout: string[];
  /** Oldest first: the report that started the story, then the others. */
  sources: StorySource[];
}

export interface DigestGroup {
  entityId: string;
  entityName: string;
  /** Its shortest name, for an SMS ("CISA"). */
  entityShortName?: string;
  stories: DigestStory[];
}

export interface Digest {
  period: DigestPeriod;
  /** In watchlist order; entities without a story in the period are left out. */
  groups: DigestGroup[];
  storyCount: number;
}

/** Who receives one digest: the entities it covers; `key` is what its SNS subscriptions filter on. */
export interface DigestAudience {
  key: string;
  /** Entity ids, or undefined for every entity of the watchlist. */
  entities?: string[];
}

export const ALL_ENTITIES_AUDIENCE = 'all';

/** The audience key of a subscriber's entity choice: "all", or the chosen ids sorted and joined ("cisa,krebs"). */
export function digestAudienceKey(entities: readonly string[] | undefined): string {
  return entities === undefined || entities.length === 0 ? ALL_ENTITIES_AUDIENCE : entitySetKey(entities);
}

/** One audience per distinct entity choice among digest subscribers, so each receives only what they chose. */
export function digestAudiences(choices: readonly (readonly string[] | undefined)[]): DigestAudience[] {
  const audiences = new Map<string, DigestAudience>();
  for (const entities of choices) {
    const key = digestAudienceKey(entities);
    if (!audiences.has(key)) {
      audiences.set(key, key === ALL_ENTITIES_AUDIENCE ? { key } : { key, entities: key.split(',') });
    }
  }
  return [...audiences.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * The digest of `period` for `entities` (watchlist order): each story recorded in the period that names one of them,
 * listed once under the first of its entities, oldest first. Undefined when there is no such story: no digest is sent
 * on a day without stories.
 */
export function buildDigest(
  stories: readonly StoryRecord[],
  entities: readonly Entity[],
  period: DigestPeriod,
): Digest | undefined {
  // Recorded in the period, not published in it: a report polled after the cut-off belongs to the next digest.
  const inPeriod = stories
    .filter((story) => recordedIn(story, period.from, period.to))
    .sort((a, b) => a.firstSeenAt - b.firstSeenAt || (a.id < b.id ? -1 : 1));
  const listed = new Set<string>();
  const groups: DigestGroup[] = [];
  for (const entity of entities) {
    const group: DigestGroup = {
      entityId: entity.id,
      entityName: entity.name,
      entityShortName: shortestName(entity),
      stories: [],
    };
    for (const story of inPeriod) {
      if (listed.has(story.id) || !story.entities.includes(entity.id)) continue;
      listed.add(story.id);
      group.stories.push({
        id: story.id,
        title: story.title,
        firstSeenAt: story.firstSeenAt,
        alsoAbout: entities.filter((e) => e.id !== entity.id && story.entities.includes(e.id)).map((e) => e.name),
        sources: story.sources,
      });
    }
    if (group.stories.length > 0) groups.push(group);
  }
  return listed.size === 0 ? undefined : { period, groups, storyCount: listed.size };
}
